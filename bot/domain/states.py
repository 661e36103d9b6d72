"""The states a stored row can be in. The values are what the database holds."""

from __future__ import annotations

from enum import StrEnum


class SessionStatus(StrEnum):
    """Where one day's session stands (sessions.status)."""

    PENDING = "pending"  # claimed by the dispatcher, being sent
    SENT = "sent"
    DONE = "done"
    PARTLY = "partly"  # "Partly done"
    SKIPPED = "skipped"
    PAUSED = "paused"  # fell on a paused day: never sent
    MISSED = "missed"  # due beyond the grace window, or could not be sent


class Screen(StrEnum):
    """The red-flag safety screen every user passes before any exercise (users.screen)."""

    PENDING = "pending"  # not answered yet
    CLEAR = "clear"  # no red flags
    FLAGGED = "flagged"  # a red flag: see a clinician first
    CLEARED = "cleared"  # a clinician cleared them


class Awaiting(StrEnum):
    """The typed text the bot is waiting for (users.awaiting; NULL: nothing)."""

    TIME = "time"
    ZONE = "zone"
    NOTE = "note"

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
    """Where the tiered red-flag screen stands (users.screen); bot/domain/triage.py moves it.

    The screen asks tier by tier, most urgent first; a "yes" stops at that tier's advice
    until "I have been cleared". A child or teenager stops at the age advice first.
    """

    PENDING = "pending"  # asking the first tier (emergency now)
    ASK_DOCTOR_TODAY = "ask_doctor_today"  # the first tier was "no": asking the second
    ASK_BOOK_FIRST = "ask_book_first"  # asking the third
    EMERGENCY_NOW = "emergency_now"  # a "yes" at this tier: its advice, until cleared
    DOCTOR_TODAY = "doctor_today"
    BOOK_FIRST = "book_first"
    YOUNG = "young"  # a child or teenager: a doctor first, until cleared
    CLEAR = "clear"  # every tier "no"
    CLEARED = "cleared"  # a clinician cleared the user ("I have been cleared")


class Awaiting(StrEnum):
    """The typed text the bot is waiting for (users.awaiting; NULL: nothing)."""

    TIME = "time"
    ZONE = "zone"
    NOTE = "note"

"""The one message a knee-pain rating gets: its outcome (bot.domain.progression.outcome) in
words from content/messages.yaml, with a line for each exercise that moved.

Text only, no Telegram: the handlers (or the render package) send it.
"""

from __future__ import annotations

from html import escape

from bot.content import Content
from bot.content_fields import MESSAGE_FIELDS
from bot.domain.progression import MESSAGE_KEY, LevelChange, Review, outcome


def change_line(content: Content, change: LevelChange) -> str:
    """ "• Glute bridge: 2–3 sets of 10–12 reps → 3 sets of 12 reps", or, when the form
    changed, "• Supported side step → Side lunge (2–3 sets of 8–10 reps per side)"."""
    before = content.exercises[change.before.exercise_id]
    after = content.exercises[change.after.exercise_id]
    before_dose = before.level(change.before.level).dose
    after_dose = after.level(change.after.level).dose
    if before.id == after.id:
        return f"• {escape(after.name)}: {escape(before_dose)} → {escape(after_dose)}"
    return f"• {escape(before.name)} → {escape(after.name)} ({escape(after_dose)})"


def rating_message(content: Content, result: Review, score: int, needs_care: bool) -> str:
    """The message for a rating of `score` after the settled review `result`; `needs_care`: the
    rating is 7+ or a jump of 3 over the usual."""
    key = MESSAGE_KEY[outcome(result, needs_care)]
    rate = "–" if result.adherence is None else content.percent(result.adherence)
    values = {
        "pain": f"{score}/10",
        "rate": rate,
        "changes": "\n".join(change_line(content, c) for c in result.changes),
    }
    return content.messages(key, **{k: v for k, v in values.items() if k in MESSAGE_FIELDS[key]})

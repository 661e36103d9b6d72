"""The JSON shapes of the Mini App's API that are built from content: the page's words, and
one exercise of the session with its dose, cues and a countdown per hold."""

from __future__ import annotations

from typing import Any

from bot.content import Content, ExerciseKind
from bot.domain.holds import hold_of
from bot.domain.variants import PlanStep


def texts_json(content: Content) -> dict[str, str]:
    """Every word the page shows: the `webapp:` labels, and the short weekday names (day_0 is
    Monday)."""
    texts = dict(content.webapp.templates)
    for number, name in enumerate(content.names.weekdays_short):
        texts[f"day_{number}"] = name
    return texts


def timers(content: Content, step: PlanStep) -> list[dict[str, Any]]:
    """One countdown per hold, in the order the chat's guided timer runs them (every hold on
    the first side, then the second: bot/domain/holds.py); none for an exercise done in reps."""
    level = content.exercises[step.exercise_id].level(step.level)
    if level.reps is not None or level.holds is None:
        return []
    t = content.webapp
    seconds = level.hold_seconds or level.hold_range[0]  # the chat's guided timer, or the least
    out: list[dict[str, Any]] = []
    hold = hold_of(0, level.holds, level.sides)
    while hold is not None:
        k, n = hold.number_on_side, hold.per_side
        if hold.side is None:
            label = t("timer_hold", k=k, n=n)
        else:
            side = t("timer_left") if hold.side == 1 else t("timer_right")
            label = side if n == 1 else t("timer_side_hold", side=side, k=k, n=n)
        out.append({"label": label, "seconds": seconds})
        hold = hold.following
    return out


def exercise_json(content: Content, index: int, step: PlanStep) -> dict[str, Any]:
    exercise = content.exercises[step.exercise_id]
    level = exercise.level(step.level)
    if exercise.kind is ExerciseKind.SOFT_TISSUE:
        kind = "soft_tissue"
    else:
        kind = "reps" if level.reps is not None else "hold"
    sets = (level.sets or (1, 1))[0] if level.reps is not None else (level.holds or 1)
    return {
        "step": index,
        "id": exercise.id,
        "name": exercise.name,
        "dose": level.dose,
        "cues": list(exercise.cues),
        "kind": kind,
        "sets": sets,
        "timers": timers(content, step),
        # The exercise's name is drawn into the animation: ask for it in the page's language.
        "demo": f"/api/demo/{exercise.id}.gif?lang={content.code}"
        if exercise.id in content.demos
        else None,
        "eased": step.exercise_id != step.slot,
    }

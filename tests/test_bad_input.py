"""Bad input and odd orderings through the running bot: never an unhandled error, never
another user's rows."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot import callbacks as cb
from bot.app import COMMANDS
from bot.storage.models import QuizAttempt, Session, User
from tests.conftest import SESSION, onboard, pass_screen, reach_quiz, sessions_of, step
from tests.test_callbacks import callbacks

GENERATED_CASES = 1000
EVE, BEN = 3003, 2002

command_names = st.sampled_from([f"/{name}" for name, _ in COMMANDS] + ["/nope", "/START", "/"])
words = st.text(min_size=1, max_size=40)
texts = st.one_of(
    st.text(min_size=1, max_size=300),
    st.text(min_size=4000, max_size=4096, alphabet=st.characters(codec="utf-8")),
    st.sampled_from(
        ["07:30", "25:99", "Europe/Berlin", "europe/berln", "🙂🦵", "שלום עולם", "‏مرحبا"]
    ),
).filter(lambda t: t.strip() and not t.startswith("/"))
commands = st.builds(lambda c, a: f"{c} {a}".strip(), command_names, st.one_of(st.just(""), words))
callback_data = st.one_of(
    callbacks.map(cb.encode),
    st.text(min_size=1, max_size=64),
    st.binary(min_size=1, max_size=64).map(lambda b: b.decode("latin-1")),
).filter(lambda d: 1 <= len(d.encode()) <= 64)
actions = st.lists(
    st.one_of(
        st.tuples(st.just("send"), texts | commands),
        st.tuples(st.just("tap"), callback_data),
    ),
    min_size=1,
    max_size=3,
)


def generated_cases() -> list[list[tuple[str, str]]]:
    """Hypothesis generates the inputs; the test replays them against the running bot."""
    cases: list[list[tuple[str, str]]] = []

    @settings(
        max_examples=GENERATED_CASES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(actions)
    def collect(steps: list[tuple[str, str]]) -> None:
        cases.append(steps)

    collect()
    return cases


async def snapshot(db, user_id: int) -> tuple[object, ...]:
    async with db.transaction() as s:
        user = await s.get(User, user_id)
        assert user is not None
        sessions = (await s.scalars(select(Session).where(Session.user_id == user_id))).all()
        attempts = (
            await s.scalars(select(QuizAttempt).where(QuizAttempt.user_id == user_id))
        ).all()
        return (
            {c.key: getattr(user, c.key) for c in User.__table__.columns},
            [(r.day, r.status, r.pain, r.snooze_until) for r in sessions],
            [(a.id, a.answers, a.finished_at) for a in attempts],
        )


async def test_generated_input_never_breaks_the_bot_or_touches_another_user(
    bot, telegram, db, caplog
):
    ben, eve = telegram.user(BEN, "Ben"), telegram.user(EVE, "Eve")
    await onboard(ben)
    await step(ben, "/done", "streak", tap=False)
    before = await snapshot(db, BEN)
    await step(eve, "/start", "Your data, in short", tap=False)
    cases = generated_cases()
    assert len(cases) >= GENERATED_CASES
    with caplog.at_level(logging.ERROR):
        for steps in cases:
            for kind, value in steps:
                seen = len(eve.messages)
                if kind == "send":
                    await eve.send(value)
                    await eve.wait_for(lambda m: True, after=seen)
                else:
                    answer = await eve.wait_answered(await eve.tap_data(value))
                    assert "went wrong" not in answer.get("text", ""), value
                assert not any("went wrong" in m.text for m in eve.messages[seen:]), value
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert telegram.unanswered_callbacks() == []
    assert await snapshot(db, BEN) == before


async def test_a_button_from_an_old_quiz_expires_once_a_new_quiz_began(bot, ana):
    await reach_quiz(ana)
    old_question = ana.last_message
    await step(ana, "/quiz", "Does any of these apply", tap=False)
    await pass_screen(ana, "Question 1 of 5")
    answer = await ana.wait_answered(await ana.tap("Yes", old_question))
    assert "expired" in answer["text"]
    await step(ana, "Yes", "Question 2 of 5")  # the new quiz carries on


async def test_done_on_last_weeks_session_changes_nothing(bot, clock, db, ana):
    await onboard(ana)
    clock.advance(timedelta(hours=1, minutes=30))
    old = await ana.wait_for_text(SESSION)
    clock.advance(timedelta(days=7))
    await ana.wait_for_text("Sat 28 Nov")
    answer = await ana.wait_answered(await ana.tap("Done", old))
    assert "expired" in answer["text"]
    statuses = {str(r.day): r.status for r in await sessions_of(db, ana.chat_id)}
    assert statuses["2026-11-21"] == "sent"


async def test_time_in_the_middle_of_the_quiz_then_the_quiz_carries_on(bot, db, ana):
    await reach_quiz(ana)
    await step(ana, "Yes", "Question 2 of 5")
    question = ana.last_message
    await step(ana, "/time 07:15", "routine", tap=False)
    await ana.tap("No", question)
    await ana.wait_for_text("Question 3 of 5")


async def test_the_same_button_pressed_twice_at_once_acts_once(bot, ana, db):
    await reach_quiz(ana)
    question = ana.last_message
    first = await ana.tap("Yes", question)
    second = await ana.tap_data(question.buttons()[0][1], question)
    await ana.wait_answered(first)
    await ana.wait_answered(second)
    await ana.wait_for_text("Question 2 of 5")
    assert sum("Question 2 of 5" in m.text for m in ana.messages) == 1
    async with db.transaction() as s:
        attempt = (await s.scalars(select(QuizAttempt))).one()
    assert attempt.answers == "y----"


async def test_edge_zones_and_times_end_to_end(bot, clock, telegram, db):
    # 23:59 in Kathmandu (UTC+5:45) is 18:14 UTC; at 05:00 UTC it is still ahead today.
    kiri = telegram.user(4004, "Kiri")
    await onboard(kiri, at="07:30", zone="UTC")
    await step(kiri, "/timezone Asia/Kathmandu", "All set", tap=False)
    confirmed = await step(kiri, "/time 23:59", "All set", tap=False)
    assert "23:59" in confirmed and "Sat 21 Nov" in confirmed
    seen = len(kiri.messages)
    clock.advance(timedelta(hours=13, minutes=14))  # 18:14 UTC = 23:59 in Kathmandu
    await kiri.wait_for_text(SESSION, after=seen)
    # Pacific/Kiritimati (UTC+14) is already on Sunday at 05:00 UTC.
    confirmed = await step(kiri, "/timezone Pacific/Kiritimati", "All set", tap=False)
    assert "Sun 22 Nov" in confirmed or "Mon 23 Nov" in confirmed
    assert date(2026, 11, 21) in {r.day for r in await sessions_of(db, kiri.chat_id)}

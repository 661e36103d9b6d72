"""Planning the weekly summary on a user row: due ones are kept, a sent one never comes twice."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.storage.models import User
from bot.usecases.planning import plan_summary

BERLIN = ZoneInfo("Europe/Berlin")
SATURDAY_6AM = datetime(2026, 11, 21, 5, 0, tzinfo=UTC)  # 06:00 in Berlin


def user(**changes) -> User:
    values = dict(
        id=1,
        chat_id=1,
        active=True,
        routine_id="desk-hips",
        reminder_time=time(7, 30),
        timezone="Europe/Berlin",
        summary_day=6,
        next_summary_at=None,
    )
    values.update(changes)
    return User(**values)


def local_day(instant: datetime | None) -> date | None:
    return None if instant is None else instant.astimezone(BERLIN).date()


def test_the_first_summary_is_the_coming_sunday_at_the_reminder_time():
    u = user()
    plan_summary(u, SATURDAY_6AM)
    assert u.next_summary_at == datetime(2026, 11, 22, 6, 30, tzinfo=UTC)


def test_off_unscheduled_or_inactive_users_get_none():
    for u in (user(summary_day=None), user(timezone=None), user(active=False)):
        u.next_summary_at = SATURDAY_6AM
        plan_summary(u, SATURDAY_6AM)
        assert u.next_summary_at is None


def test_a_due_summary_is_left_for_the_dispatcher():
    due = SATURDAY_6AM - timedelta(minutes=1)
    u = user(next_summary_at=due, reminder_time=time(9, 0))
    plan_summary(u, SATURDAY_6AM)
    assert u.next_summary_at == due


def test_a_later_time_on_the_day_a_summary_was_sent_waits_for_next_week():
    sunday_8am = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)
    # Sent at 07:30 this Sunday, so the row already points at next Sunday.
    u = user(next_summary_at=datetime(2026, 11, 29, 6, 30, tzinfo=UTC), reminder_time=time(20, 0))
    plan_summary(u, sunday_8am)
    assert local_day(u.next_summary_at) == date(2026, 11, 29)
    assert u.next_summary_at.astimezone(BERLIN).time() == time(20, 0)


def test_a_new_day_takes_effect_this_week():
    wednesday = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    u = user(next_summary_at=datetime(2026, 11, 29, 6, 30, tzinfo=UTC), summary_day=4)
    plan_summary(u, wednesday)
    assert local_day(u.next_summary_at) == date(2026, 11, 27)  # this Friday

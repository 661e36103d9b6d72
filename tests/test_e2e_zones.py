"""End to end: the time zone without its IANA name, by a shared location, the time on the
user's clock, or a city typed as people write it."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.conftest import onboard, reach_quiz, step, user_row

SUMMER = datetime(2026, 7, 1, 12, 0, 30, tzinfo=UTC)  # Berlin on summer time (UTC+2)


async def reach_the_zone_question(user) -> None:
    """From /start to onboarding's time zone question, by buttons."""
    await reach_quiz(user)
    for k in range(2, 6):
        await step(user, "No", f"Question {k} of 5")
    await step(user, "No", "suggestion")
    await step(user, "✅", "What time")
    await step(user, "07:30", "time zone")


async def test_a_shared_location_sets_the_zone_after_a_tap_to_confirm(bot, db, ana):
    await reach_the_zone_question(ana)
    await step(ana, "📍 Share my location", "Send my location")
    keyboard = ana.reply_keyboard
    assert keyboard is not None
    assert keyboard[0][0]["request_location"] is True and "📍" in keyboard[0][0]["text"]
    seen = len(ana.messages)
    await ana.send_location(52.52, 13.405)
    found = await ana.wait_for_text("Europe/Berlin", after=seen)
    assert "06:00" in found.text  # 05:00 UTC on 21 November: Berlin is on UTC+1
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.timezone is None  # nothing stored before the tap
    confirmed = await step(ana, "Use Europe/Berlin", "All set")
    assert "Europe/Berlin" in confirmed
    assert ana.reply_keyboard is None  # the location button is gone once answered
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.timezone == "Europe/Berlin"


async def test_a_location_at_sea_offers_the_other_choices(bot, ana):
    await onboard(ana)
    await step(ana, "/timezone", "time zone", tap=False)
    await step(ana, "📍 Share my location", "Send my location")
    seen = len(ana.messages)
    await ana.send_location(0.0, -30.0)  # the middle of the Atlantic
    message = await ana.wait_for_text("couldn't find a time zone", after=seen)
    labels = [label for label, _ in message.buttons()]
    assert "Europe/London" in labels and "🕐 Type my local time" in labels
    confirmed = await step(ana, "⌨ Type a city or zone", "Type your city")
    confirmed = await step(ana, "Tokyo", "All set", tap=False)
    assert "Asia/Tokyo" in confirmed and ana.reply_keyboard is None


async def test_a_location_from_someone_who_never_started_asks_to_start(bot, ana):
    await ana.send_location(52.52, 13.405)
    await ana.wait_for_text("send /start")


async def test_the_typed_local_time_on_a_winter_date_lists_the_zones_at_that_offset(bot, db, ana):
    await reach_the_zone_question(ana)
    await step(ana, "🕐 Type my local time", "What time is it on your clock")
    choices = await step(ana, "06:02", "UTC+01:00", tap=False)  # 05:00 UTC, read a bit late
    labels = [label for label, _ in ana.last_message.buttons()]
    assert "Europe/Berlin" in labels and "Europe/Paris" in labels
    assert "Europe/London" not in labels and "Which of these" in choices
    confirmed = await step(ana, "Europe/Paris", "All set")
    assert "Europe/Paris" in confirmed
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.timezone == "Europe/Paris"


async def test_the_typed_local_time_on_a_summer_date_follows_daylight_saving(bot, db, ana, clock):
    clock.now = SUMMER
    await reach_the_zone_question(ana)
    await step(ana, "🕐 Type my local time", "What time is it on your clock")
    await step(ana, "13:00", "UTC+01:00", tap=False)  # British Summer Time, not Berlin
    labels = [label for label, _ in ana.last_message.buttons()]
    assert "Europe/London" in labels and "Europe/Berlin" not in labels
    await step(ana, "14:00", "UTC+02:00", tap=False)  # typed again: Berlin on summer time
    labels = [label for label, _ in ana.last_message.buttons()]
    assert "Europe/Berlin" in labels and "Europe/London" not in labels
    confirmed = await step(ana, "Europe/Berlin", "All set")
    assert "Europe/Berlin" in confirmed
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.timezone == "Europe/Berlin"


async def test_a_time_no_zone_reads_now_is_refused_with_a_hint(bot, ana):
    await onboard(ana)
    await step(ana, "/timezone", "time zone", tap=False)
    await step(ana, "🕐 Type my local time", "What time is it on your clock")
    # 05:00 UTC: 10:15 would be UTC+05:15, which no zone uses (Nepal is +05:45).
    await step(ana, "10:15", "No time zone reads 10:15", tap=False)
    await step(ana, "10:45", "UTC+05:45", tap=False)
    assert ana.last_message.buttons()[0][0] == "Asia/Kathmandu"


async def test_the_local_time_and_a_city_work_after_timezone_too(bot, db, ana):
    await onboard(ana)
    await step(ana, "/timezone 06:00", "UTC+01:00", tap=False)
    confirmed = await step(ana, "Europe/Madrid", "All set")
    assert "Europe/Madrid" in confirmed
    confirmed = await step(ana, "/timezone new york city", "All set", tap=False)
    assert "America/New_York" in confirmed


async def test_typed_cities_are_matched_as_people_write_them(bot, db, ana):
    await onboard(ana)
    for typed, zone in (
        ("Berlin", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("Munich", "Europe/Berlin"),
        ("são paulo", "America/Sao_Paulo"),
        ("Mumbai", "Asia/Kolkata"),
    ):
        await step(ana, "/timezone", "time zone", tap=False)
        confirmed = await step(ana, typed, "All set", tap=False)
        assert zone in confirmed, typed
    await step(ana, "/timezone", "time zone", tap=False)
    await step(ana, "Berlim", "Did you mean", tap=False)
    confirmed = await step(ana, "Use Europe/Berlin", "All set")
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.timezone == "Europe/Berlin"


async def test_cancel_takes_the_location_button_away(bot, ana):
    await onboard(ana)
    await step(ana, "/timezone", "time zone", tap=False)
    await step(ana, "📍 Share my location", "Send my location")
    assert ana.reply_keyboard is not None
    await step(ana, "/cancel", "", tap=False)
    assert ana.reply_keyboard is None

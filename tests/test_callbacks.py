"""Callback data: every button's data round-trips; anything else is refused, never crashes."""

from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import callbacks as cb

callbacks = st.one_of(
    st.builds(cb.RedFlagAnswer, st.sampled_from(cb.RED_FLAG_TIERS), st.sampled_from(["y", "n"])),
    st.builds(cb.RedFlagAnswer, st.sampled_from(cb.RED_FLAG_STAGES), st.just("ok")),
    st.builds(cb.PrivacyAgree),
    st.builds(cb.AgeBandAnswer, st.sampled_from(cb.AGE_BANDS)),
    st.builds(
        cb.QuizAnswer,
        st.integers(0, 10**9 - 1),
        st.integers(0, 4),
        st.sampled_from(["y", "n", "b"]),
    ),
    st.builds(cb.ChooseRoutine, st.from_regex(r"[a-z0-9-]{1,24}", fullmatch=True)),
    st.builds(cb.ChooseTime, st.none() | st.times().map(lambda t: time(t.hour, t.minute))),
    st.builds(
        cb.ChooseZone,
        st.none()
        | st.sampled_from(["Europe/Berlin", "UTC", "America/Argentina/Buenos_Aires", "Etc/GMT+5"]),
    ),
    st.builds(
        cb.SessionPress,
        st.dates(date(2000, 1, 1), date(2999, 12, 31)),
        st.sampled_from(cb.SessionAction),
    ),
    st.builds(
        cb.SnoozeFor,
        st.dates(date(2000, 1, 1), date(2999, 12, 31)),
        st.none() | st.sampled_from(cb.SNOOZE_MINUTES),
    ),
    st.builds(
        cb.Guided,
        st.dates(date(2000, 1, 1), date(2999, 12, 31)),
        st.integers(0, cb.MAX_STEPS - 1),
        st.sampled_from(cb.GuidedAction),
    ),
    st.builds(cb.PainRating, st.dates(date(2000, 1, 1), date(2999, 12, 31)), st.integers(0, 10)),
    st.builds(cb.PainBefore, st.dates(date(2000, 1, 1), date(2999, 12, 31)), st.integers(0, 10)),
    st.builds(
        cb.CheckinRedFlag,
        st.dates(date(2000, 1, 1), date(2999, 12, 31)),
        st.sampled_from(cb.RED_FLAG_TIERS),
        st.booleans(),
    ),
    st.builds(cb.Recheck, st.booleans()),
    st.builds(cb.AddNote, st.dates(date(2000, 1, 1), date(2999, 12, 31))),
    st.builds(cb.Pause, st.integers(1, cb.MAX_PAUSE_DAYS)),
    st.builds(cb.ChooseDays, st.integers(0, 127), st.booleans()),
    st.builds(cb.SecondReminder, st.sampled_from(cb.SECOND_REMINDER_HOURS)),
    st.builds(cb.DeleteData, st.booleans()),
    st.builds(cb.Menu, st.sampled_from(cb.MenuItem)),
    st.builds(cb.SendFile, st.sampled_from(cb.FileKind)),
    st.builds(cb.SummaryDay, st.none() | st.integers(0, 6)),
    st.builds(cb.FindZone, st.sampled_from(cb.ZoneWay)),
    st.builds(
        cb.TimerHold,
        st.dates(date(2000, 1, 1), date(2999, 12, 31)),
        st.integers(0, cb.MAX_STEPS - 1),
        st.integers(0, cb.MAX_HOLDS - 1),
    ),
    st.builds(cb.ChooseLanguage, st.from_regex(r"[a-z]{2,3}", fullmatch=True)),
)


@given(callbacks)
def test_every_callback_round_trips_within_telegrams_64_bytes(callback):
    data = cb.encode(callback)
    assert len(data.encode()) <= cb.MAX_BYTES
    assert cb.parse(data) == callback


@given(st.text(max_size=80) | st.binary(max_size=64).map(lambda b: b.decode("latin-1")))
def test_random_data_is_refused_or_parsed_never_crashes(data):
    try:
        callback = cb.parse(data)
    except cb.InvalidCallback:
        return
    assert cb.encode(callback) == data  # only canonical data gets through


@pytest.mark.parametrize(
    "data",
    [
        "q1:1:5:y:extra",
        "q2:1:0:y",  # an unknown version
        "q1:01:0:y",  # not canonical
        "q1:-1:0:y",
        "s1:20261321:d",  # month 13
        "s1:2026-11-21:d",
        "p1:20261121:11",
        "ps1:0",
        "ps1:91",
        "t1:2400",
        "zs1:20261121:30",  # not one of the snooze choices
        "zs1:20261121:evening",
        "t1:0760",
        "z1:../../etc/passwd",
        "x1:yes",
        "m1:admin",
        "f1:passwords",
        "sd1:7",
        "sd1:06",
        "sd1:",
        "",
        ":",
        "r1:",
        "g1:20261121:20:n",  # beyond the longest routine
        "g1:20261121:01:n",
        "g1:20261121:0:x",
        "pb1:20261121:11",
        "pb1:20261121",
        "n1:20261121:x",
        "w1:20261121:yes",
        "rc1:",
        "dy1:128:s",
        "dy1:31",
        "sr1:3",
        "zw1:gps",
        "zw1:",
        "zw1:loc:x",
        "gh1:20261121:0:12",  # beyond the most holds an exercise has
        "gh1:20261121:20:1",
        "gh1:20261121:0:01",
    ],
)
def test_forged_or_old_data_is_refused(data):
    with pytest.raises(cb.InvalidCallback):
        cb.parse(data)

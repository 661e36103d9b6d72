"""The safety screen in tiers and the age band: which answers send someone to a clinician, how
urgently, and what the content says for each."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.content import DEFAULT_CONTENT_DIR, Content, ContentError, load_content
from bot.domain.states import Screen
from bot.domain.triage import (
    URGENCY,
    AgeBand,
    Tier,
    UnknownFlag,
    Verdict,
    after_age,
    answer_tier,
    clear,
    may_start,
    most_urgent,
    needs_doctor_first,
    next_tier,
    rescreen,
    tiers_of,
    verdict,
)

E, T, B = Tier.EMERGENCY_NOW, Tier.DOCTOR_TODAY, Tier.BOOK_FIRST


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


# --- the rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yes", "band", "expected"),
    [
        ((), AgeBand.ADULT, Verdict.CLEAR),
        ((), None, Verdict.CLEAR),
        ((B,), AgeBand.ADULT, Verdict.BOOK_FIRST),
        ((T,), AgeBand.ADULT, Verdict.DOCTOR_TODAY),
        ((E,), AgeBand.ADULT, Verdict.EMERGENCY_NOW),
        ((B, T), AgeBand.ADULT, Verdict.DOCTOR_TODAY),
        ((B, E), AgeBand.ADULT, Verdict.EMERGENCY_NOW),
        ((B, T, E), AgeBand.ADULT, Verdict.EMERGENCY_NOW),
        # A child or teenager sees a doctor first, unless a red flag is more urgent.
        ((), AgeBand.CHILD, Verdict.YOUNG),
        ((), AgeBand.TEEN, Verdict.YOUNG),
        ((B,), AgeBand.TEEN, Verdict.BOOK_FIRST),
        ((E,), AgeBand.CHILD, Verdict.EMERGENCY_NOW),
    ],
)
def test_the_most_urgent_advice_wins(yes, band, expected):
    assert verdict(yes, band) is expected


def test_the_screen_asks_the_most_urgent_tier_first_and_stops_at_a_yes():
    assert next_tier({}) is E
    assert next_tier({E: False}) is T
    assert next_tier({E: False, T: False}) is B
    assert next_tier({E: False, T: False, B: False}) is None
    assert next_tier({E: True}) is None  # its advice comes next; nothing more is asked
    assert next_tier({E: False, T: True}) is None


def test_flags_answered_one_by_one_map_to_their_tiers():
    flag_tiers = {"calf-breathless": E, "locked": T, "numbness": B}
    assert most_urgent(tiers_of(["numbness", "locked"], flag_tiers)) is T
    assert most_urgent(tiers_of([], flag_tiers)) is None
    with pytest.raises(UnknownFlag):
        tiers_of(["moon"], flag_tiers)


def test_only_under_eighteens_see_a_doctor_first_for_their_age():
    assert needs_doctor_first(AgeBand.CHILD)
    assert needs_doctor_first(AgeBand.TEEN)
    assert not needs_doctor_first(AgeBand.ADULT)


def test_exercise_starts_only_when_clear_or_cleared_by_a_clinician():
    assert may_start(Verdict.CLEAR, cleared=False)
    for result in (Verdict.EMERGENCY_NOW, Verdict.DOCTOR_TODAY, Verdict.BOOK_FIRST, Verdict.YOUNG):
        assert not may_start(result, cleared=False)
        assert may_start(result, cleared=True)
        assert result.needs_clinician


# --- the stored screen: tier by tier, a stop until cleared --------------------------------------

S = Screen


@pytest.mark.parametrize(
    ("screen", "tier", "yes", "after"),
    [
        (S.PENDING, E, False, S.ASK_DOCTOR_TODAY),
        (S.ASK_DOCTOR_TODAY, T, False, S.ASK_BOOK_FIRST),
        (S.ASK_BOOK_FIRST, B, False, S.CLEAR),
        (S.PENDING, E, True, S.EMERGENCY_NOW),
        (S.ASK_DOCTOR_TODAY, T, True, S.DOCTOR_TODAY),
        (S.ASK_BOOK_FIRST, B, True, S.BOOK_FIRST),
        # A button of a tier not being asked (an older message's) changes nothing:
        (S.ASK_DOCTOR_TODAY, E, True, None),
        (S.PENDING, T, False, None),
        (S.EMERGENCY_NOW, E, False, None),
        (S.CLEAR, B, True, None),
        (S.YOUNG, E, False, None),
    ],
)
def test_the_screen_moves_tier_by_tier_and_only_from_the_tier_asked(screen, tier, yes, after):
    assert answer_tier(screen, tier, yes) == after


@pytest.mark.parametrize(
    ("screen", "advice", "after"),
    [
        (S.EMERGENCY_NOW, Verdict.EMERGENCY_NOW, S.CLEARED),
        (S.DOCTOR_TODAY, Verdict.DOCTOR_TODAY, S.CLEARED),
        (S.BOOK_FIRST, Verdict.BOOK_FIRST, S.CLEARED),
        (S.YOUNG, Verdict.YOUNG, S.PENDING),  # then the red flags, which are about now
        (S.BOOK_FIRST, Verdict.EMERGENCY_NOW, None),  # another stop's button
        (S.PENDING, Verdict.EMERGENCY_NOW, None),  # no stop yet
        (S.CLEAR, Verdict.CLEAR, None),
        (S.CLEARED, Verdict.BOOK_FIRST, None),  # cleared already
    ],
)
def test_i_have_been_cleared_lifts_only_the_stop_it_belongs_to(screen, advice, after):
    assert clear(screen, advice) == after


def test_the_age_band_stops_only_the_young_and_a_retake_asks_again_unless_stopped():
    assert after_age(S.PENDING, AgeBand.CHILD) is S.YOUNG
    assert after_age(S.PENDING, AgeBand.TEEN) is S.YOUNG
    assert after_age(S.PENDING, AgeBand.ADULT) is S.PENDING
    assert rescreen(S.CLEAR) is S.PENDING and rescreen(S.CLEARED) is S.PENDING
    for stopped in (S.EMERGENCY_NOW, S.DOCTOR_TODAY, S.BOOK_FIRST, S.YOUNG, S.ASK_BOOK_FIRST):
        assert rescreen(stopped) is stopped  # a retake never skips a stop


# --- the content ------------------------------------------------------------------------------


# Words that must appear in some flag of each tier: the complete list of issue 11 and
# SOURCE_NOTES.md "General clinical guidance".
REQUIRED = {
    E: [("calf", "breathless"), ("calf", "chest pain"), ("hot", "swollen", "fever")],
    T: [("weight", "injury"), ("locked", "straighten"), ("swell", "twist")],
    B: [
        ("night", "rest"),
        ("constant", "worse"),
        ("weight loss",),
        ("cancer",),
        ("numbness",),
        ("tingling",),
        ("weakness",),
        ("surgery",),
        ("joint replacement",),
        ("several swollen joints",),
        ("giving way",),
    ],
}


def test_every_red_flag_of_the_guidance_is_asked_in_its_tier(content: Content) -> None:
    for tier, needs in REQUIRED.items():
        texts = [flag.text.lower() for flag in content.triage.flags_of(tier)]
        for words in needs:
            assert any(all(w in t for w in words) for t in texts), (tier, words)


def test_each_tier_has_its_own_plain_message_marked_as_general_guidance(
    content: Content,
) -> None:
    triage = content.triage
    messages = [triage.advice_text(Verdict(t.value)) for t in URGENCY]
    messages.append(triage.advice_text(Verdict.YOUNG))
    assert len(set(messages)) == 4
    assert triage.advice_text(Verdict.CLEAR) is None
    for message in messages:
        assert message is not None
        assert "General guidance" in message
        assert "I have been cleared" in message
    assert "emergency" in triage.advice[E].lower()
    assert "today" in triage.advice[T].lower()
    assert "book" in triage.advice[B].lower()
    # Never a diagnosis: no named condition anywhere in what the screen says.
    said = " ".join([*messages, *(f.text for f in triage.flags)]).lower()
    for condition in (
        "clot",
        "thrombosis",
        "infection",
        "perthes",
        "slipped",
        "tumour",
        "fracture",
    ):
        assert condition not in said, condition


def test_the_screen_lists_a_tiers_flags_escaped_with_the_guidance_note(content: Content) -> None:
    text = content.triage.screen_text(T)
    assert "won't straighten" in text and "&#x27;" not in text
    assert text.count("• ") == len(content.triage.flags_of(T))
    assert "General guidance" in text


def test_the_age_bands_are_labelled_in_order(content: Content) -> None:
    assert [b.id for b in content.triage.age.bands] == [AgeBand.CHILD, AgeBand.TEEN, AgeBand.ADULT]
    assert [b.label for b in content.triage.age.bands] == ["Under 10", "10 to 17", "18 or over"]


def test_the_privacy_notice_says_what_is_stored_why_and_how_to_export_or_delete(
    content: Content,
) -> None:
    notice = content.triage.privacy_notice(365).lower()
    for words in ("answers", "ratings", "notes", "why", "no one else", "/export", "/deletedata"):
        assert words in notice, words
    assert "365 days" in notice
    assert content.triage.privacy.agree_button.strip()


def test_every_triage_text_uses_only_bold_and_italic_tags(content: Content) -> None:
    triage = content.triage
    texts = [
        triage.screen.question,
        triage.screen.general_guidance,
        triage.age.young_message,
        triage.privacy_notice(365),
        *triage.advice.values(),
    ]
    for text in texts:
        assert set(re.findall(r"</?([a-z]+)>", text)) <= {"b", "i"}, text
        assert text.count("<b>") == text.count("</b>"), text


# --- broken content --------------------------------------------------------------------------


def _error(tmp_path: Path, change: Callable[[Any], None]) -> str:
    directory = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, directory)
    path = directory / "en" / "triage.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_content(directory)
    return str(info.value)


def _flag(data: Any, flag_id: str) -> dict[str, Any]:
    return next(f for f in data["flags"] if f["id"] == flag_id)


def _tier(data: Any, tier_id: str) -> dict[str, Any]:
    return next(t for t in data["tiers"] if t["id"] == tier_id)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: _flag(d, "locked").update(tier="soonish"), "flags 'locked': unknown tier"),
        (lambda d: _tier(d, "doctor_today").pop("message"), "tiers 'doctor_today': message"),
        (
            lambda d: d.update(tiers=[t for t in d["tiers"] if t["id"] != "book_first"]),
            "tiers 'book_first': missing",
        ),
        (lambda d: _tier(d, "book_first").update(id="later"), "tiers 'later': unknown tier"),
        (
            lambda d: d.update(flags=[f for f in d["flags"] if f["tier"] != "emergency_now"]),
            "tiers 'emergency_now': no flag",
        ),
        (lambda d: _flag(d, "calf").update(id="locked"), "flags 'locked': duplicate id"),
        (lambda d: d["age"]["bands"].pop(), "age: bands"),
        (lambda d: d["privacy"].update(notice="Kept {years} years"), "privacy.notice"),
        (lambda d: d["privacy"].pop("agree_button"), "privacy: agree_button"),
    ],
)
def test_broken_triage_content_names_the_file_and_the_entry(tmp_path, change, expected):
    message = _error(tmp_path, change)
    assert message.startswith("en/triage.yaml: ")
    assert expected in message

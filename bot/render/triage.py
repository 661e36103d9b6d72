"""The safety steps: the privacy notice, the age band, the tiered red-flag screen and its
advice, at onboarding and after a session's "Something's wrong". Words: content/triage.yaml."""

from __future__ import annotations

from datetime import date

from telegram import InlineKeyboardMarkup

from bot import callbacks as cb
from bot.content import Content
from bot.domain.triage import URGENCY, Tier, Verdict
from bot.render.common import Markup, button


def privacy_notice(content: Content, days: int, *, ask: bool) -> tuple[str, Markup]:
    """The notice; with "I agree" while the user has not agreed yet."""
    triage = content.triage
    markup = (
        InlineKeyboardMarkup([[button(triage.privacy.agree_button, cb.PrivacyAgree())]])
        if ask
        else None
    )
    return triage.privacy_notice(days), markup


def age_question(content: Content) -> tuple[str, Markup]:
    age = content.triage.age
    return age.question, InlineKeyboardMarkup(
        [[button(band.label, cb.AgeBandAnswer(band.id.value))] for band in age.bands]
    )


def screen_question(content: Content, tier: Tier) -> tuple[str, Markup]:
    """One tier's flags, with "Yes, one or more" and "No, none of these"."""
    screen = content.triage.screen
    return content.triage.screen_text(tier), InlineKeyboardMarkup(
        [
            [button(screen.yes_button, cb.RedFlagAnswer(tier.value, "y"))],
            [button(screen.no_button, cb.RedFlagAnswer(tier.value, "n"))],
        ]
    )


def screen_advice(content: Content, advice: Verdict, note: str = "") -> tuple[str, Markup]:
    """A tier's (or the age band's) advice, with "I have been cleared"."""
    text = content.triage.advice_text(advice) or ""
    cleared = content.triage.screen.cleared_button
    return "\n\n".join(part for part in (text, note) if part), InlineKeyboardMarkup(
        [[button(cleared, cb.RedFlagAnswer(advice.value, "ok"))]]
    )


def checkin_screen(content: Content, day: date, tier: Tier) -> tuple[str, Markup]:
    """After "Something's wrong": the same tiers, most urgent first, one message each."""
    text = content.triage.screen_text(tier)
    if tier is URGENCY[0]:
        text = f"{content.messages('checkin_red_flag_ask')}\n\n{text}"
    screen = content.triage.screen
    return text, InlineKeyboardMarkup(
        [
            [button(screen.yes_button, cb.CheckinRedFlag(day, tier.value, True))],
            [button(screen.no_button, cb.CheckinRedFlag(day, tier.value, False))],
        ]
    )

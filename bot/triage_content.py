"""The models of content/triage.yaml: the tiered red-flag screen, the age band, the privacy
notice; and the checks that name the entry at fault.

`parse_triage` raises TriageError ("<section> '<entry>': <problem>"); bot.content adds the file
name and raises its ContentError, like every other content fault.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from html import escape
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.domain.triage import URGENCY, AgeBand, Tier, Verdict

# The placeholders each text may use; the bot fills them in.
TEXT_FIELDS: Mapping[str, frozenset[str]] = {"privacy.notice": frozenset({"days"})}


class TriageError(ValueError):
    """A fault in triage.yaml; the message names the section and the entry."""

    file = "triage.yaml"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ScreenText(_Frozen):
    question: str = Field(min_length=1)
    yes_button: str = Field(min_length=1, max_length=40)
    no_button: str = Field(min_length=1, max_length=40)
    cleared_button: str = Field(min_length=1, max_length=40)
    general_guidance: str = Field(min_length=1)


class TierAdvice(_Frozen):
    id: str
    message: str = Field(min_length=1)


class RedFlag(_Frozen):
    id: str = Field(pattern=r"^[a-z0-9-]{1,24}$")
    tier: str
    text: str = Field(min_length=1, max_length=120)


class AgeBandLabel(_Frozen):
    id: AgeBand
    label: str = Field(min_length=1, max_length=30)


class AgeQuestion(_Frozen):
    question: str = Field(min_length=1)
    bands: tuple[AgeBandLabel, ...]
    young_message: str = Field(min_length=1)


class PrivacyNotice(_Frozen):
    notice: str = Field(min_length=1)
    agree_button: str = Field(min_length=1, max_length=40)


class Triage(_Frozen):
    """Everything the safety screen, the age band and the privacy notice say."""

    screen: ScreenText
    advice: Mapping[Tier, str]  # each tier's message
    flags: tuple[RedFlag, ...]  # in file order
    age: AgeQuestion
    privacy: PrivacyNotice

    def flags_of(self, tier: Tier) -> tuple[RedFlag, ...]:
        return tuple(flag for flag in self.flags if flag.tier == tier)

    @property
    def flag_tiers(self) -> dict[str, Tier]:
        return {flag.id: Tier(flag.tier) for flag in self.flags}

    def privacy_notice(self, days: int) -> str:
        return self.privacy.notice.format(days=days)

    def screen_text(self, tier: Tier) -> str:
        """One tier's question: the question, its flags as a list, the general-guidance note."""
        items = "\n".join(f"• {escape(flag.text, quote=False)}" for flag in self.flags_of(tier))
        return f"{self.screen.question}\n\n{items}\n\n{self.screen.general_guidance}"

    def advice_text(self, verdict: Verdict) -> str | None:
        """What a verdict tells the user (with the general-guidance note); None when clear."""
        if verdict is Verdict.CLEAR:
            return None
        message = self.age.young_message if verdict is Verdict.YOUNG else self.advice[Tier(verdict)]
        return f"{message}\n\n{self.screen.general_guidance}"


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"{where}: {first['msg']}" if where else first["msg"]


def _entries(
    data: Mapping[str, Any], key: str, model: type[TierAdvice] | type[RedFlag]
) -> list[Any]:
    raw_entries = data.get(key)
    if not isinstance(raw_entries, list) or not raw_entries:
        raise TriageError(f"expected a non-empty list under '{key}'")
    entries: list[Any] = []
    for index, raw in enumerate(raw_entries):
        label = raw.get("id") if isinstance(raw, dict) and raw.get("id") else f"entry {index + 1}"
        try:
            entry = model.model_validate(raw)
        except ValidationError as e:
            raise TriageError(f"{key} '{label}': {_describe(e)}") from None
        if any(seen.id == entry.id for seen in entries):
            raise TriageError(f"{key} '{entry.id}': duplicate id")
        entries.append(entry)
    return entries


def _section(data: Mapping[str, Any], key: str, model: type[_Frozen]) -> Any:
    try:
        return model.model_validate(data.get(key))
    except ValidationError as e:
        raise TriageError(f"{key}: {_describe(e)}") from None


def _check_fields(where: str, text: str, allowed: frozenset[str]) -> None:
    try:
        used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        text.format(**dict.fromkeys(allowed, "x"))
    except (IndexError, KeyError, ValueError) as e:
        raise TriageError(f"{where}: bad template: {e!r}") from None
    if unknown := used - allowed:
        raise TriageError(
            f"{where}: unknown placeholder(s) {sorted(unknown)}; allowed: "
            f"{sorted(allowed) or 'none'}"
        )


def parse_triage(data: Any) -> Triage:
    """Validate triage.yaml's data: every tier has a message and a flag, every flag a known
    tier, every age band a label, and no text uses a placeholder it may not."""
    if not isinstance(data, dict):
        raise TriageError("expected a mapping with screen, tiers, flags, age and privacy")
    tiers: list[TierAdvice] = _entries(data, "tiers", TierAdvice)
    known = {tier.value for tier in URGENCY}
    for advice in tiers:
        if advice.id not in known:
            raise TriageError(f"tiers '{advice.id}': unknown tier; known: {sorted(known)}")
    if missing := [t.value for t in URGENCY if t.value not in {a.id for a in tiers}]:
        raise TriageError(f"tiers '{missing[0]}': missing (each tier needs its message)")
    flags: list[RedFlag] = _entries(data, "flags", RedFlag)
    for flag in flags:
        if flag.tier not in known:
            raise TriageError(f"flags '{flag.id}': unknown tier '{flag.tier}'")
    for tier in URGENCY:
        if not any(flag.tier == tier.value for flag in flags):
            raise TriageError(f"tiers '{tier.value}': no flag belongs to it")
    age: AgeQuestion = _section(data, "age", AgeQuestion)
    labelled = [band.id for band in age.bands]
    if sorted(labelled) != sorted(AgeBand) or len(set(labelled)) != len(labelled):
        raise TriageError(f"age: bands must be {[b.value for b in AgeBand]} once each")
    privacy: PrivacyNotice = _section(data, "privacy", PrivacyNotice)
    screen: ScreenText = _section(data, "screen", ScreenText)
    texts = {
        "screen.question": screen.question,
        "screen.general_guidance": screen.general_guidance,
        "age.question": age.question,
        "age.young_message": age.young_message,
        "privacy.notice": privacy.notice,
        **{f"tiers '{a.id}'": a.message for a in tiers},
    }
    for where, text in texts.items():
        _check_fields(where, text, TEXT_FIELDS.get(where, frozenset()))
    if extra := set(data) - {"screen", "tiers", "flags", "age", "privacy"}:
        raise TriageError(f"'{sorted(extra)[0]}': not used by the bot")
    return Triage(
        screen=screen,
        advice={Tier(a.id): a.message for a in tiers},
        flags=tuple(flags),
        age=age,
        privacy=privacy,
    )

"""Telegram Mini App launch data (initData): checked with the bot token, the user read from it.

Telegram signs the launch parameters: secret_key = HMAC-SHA256(key="WebAppData", msg=token),
hash = hex HMAC-SHA256(key=secret_key, msg=data_check_string), where the data-check string is
every field but `hash`, as "key=value", sorted by key and joined by newlines. A launch is good
for `max_age` after its auth_date. The user id comes from the signed `user` field only.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode

FUTURE_SKEW = timedelta(minutes=5)  # clocks differ a little; more than this is refused
MAX_LENGTH = 8_192  # a launch string is well under 1 KB; a larger one is not Telegram's


class Unauthorized(Exception):
    """The initData is missing, forged, expired or names no user."""


@dataclass(frozen=True, slots=True)
class Launch:
    user_id: int
    auth_date: datetime
    language_code: str | None


def secret_key(token: str) -> bytes:
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def _check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "hash")


def sign(fields: dict[str, str], token: str) -> str:
    """The launch string Telegram would hand the page for these fields (tests, benchmarks)."""
    digest = hmac.new(secret_key(token), _check_string(fields).encode(), hashlib.sha256)
    return urlencode({**fields, "hash": digest.hexdigest()})


def verify(init_data: str, token: str, now: datetime, max_age: timedelta) -> Launch:
    """The signed user of a launch string; raise Unauthorized for anything else."""
    if not init_data or len(init_data) > MAX_LENGTH:
        raise Unauthorized("missing")
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise Unauthorized("malformed") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise Unauthorized("repeated field")
    given = fields.get("hash", "")
    expected = hmac.new(secret_key(token), _check_string(fields).encode(), hashlib.sha256)
    if not hmac.compare_digest(expected.hexdigest().encode(), given.encode()):
        raise Unauthorized("bad signature")
    try:
        auth_date = datetime.fromtimestamp(int(fields["auth_date"]), tz=now.tzinfo)
        user = json.loads(fields["user"])
        user_id = user["id"]
    except (KeyError, ValueError, TypeError, OverflowError, OSError):
        raise Unauthorized("no user") from None
    if not isinstance(user_id, int) or isinstance(user_id, bool) or user_id <= 0:
        raise Unauthorized("no user")
    if auth_date > now + FUTURE_SKEW or now - auth_date > max_age:
        raise Unauthorized("expired")
    language = user.get("language_code") if isinstance(user, dict) else None
    return Launch(user_id, auth_date, language if isinstance(language, str) else None)

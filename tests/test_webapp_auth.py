"""The Mini App's launch-data check (bot/web/auth.py) and its per-user rate limit."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.web.auth import Unauthorized, sign, verify
from bot.web.ratelimit import RateLimiter
from tests.conftest import FakeClock
from tests.webapp_support import sign_init_data

TOKEN = "123456:TEST-TOKEN"
NOW = datetime(2026, 11, 21, 5, 0, tzinfo=UTC)
DAY = timedelta(hours=24)


def test_a_launch_signed_with_the_bots_token_names_its_user():
    launch = verify(sign_init_data(1001, TOKEN, NOW - timedelta(minutes=5)), TOKEN, NOW, DAY)
    assert launch.user_id == 1001


def test_the_signature_follows_telegrams_published_algorithm():
    # secret = HMAC_SHA256("WebAppData", token); hash = hex HMAC_SHA256(secret, check string)
    import hashlib
    import hmac

    fields = {"auth_date": "1790000000", "user": '{"id":7}', "query_id": "q"}
    check = 'auth_date=1790000000\nquery_id=q\nuser={"id":7}'
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    expected = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    assert dict(parse_qsl(sign(fields, TOKEN)))["hash"] == expected


@given(
    field=st.sampled_from(["user", "auth_date", "query_id"]),
    junk=st.text(min_size=1, max_size=12),
)
def test_changing_any_signed_field_breaks_the_signature(field: str, junk: str):
    fields = dict(parse_qsl(sign_init_data(1001, TOKEN, NOW)))
    fields[field] = fields[field] + junk
    with pytest.raises(Unauthorized):
        verify(urlencode(fields), TOKEN, NOW, DAY)


def test_another_user_id_in_the_data_cannot_reuse_a_signature():
    fields = dict(parse_qsl(sign_init_data(1001, TOKEN, NOW)))
    fields["user"] = json.dumps({"id": 2002, "first_name": "Ana"}, separators=(",", ":"))
    with pytest.raises(Unauthorized):
        verify(urlencode(fields), TOKEN, NOW, DAY)


def test_an_added_field_breaks_the_signature():
    data = sign_init_data(1001, TOKEN, NOW) + "&start_param=x"
    with pytest.raises(Unauthorized):
        verify(data, TOKEN, NOW, DAY)


def test_a_launch_older_than_the_maximum_age_is_refused():
    data = sign_init_data(1001, TOKEN, NOW - DAY - timedelta(seconds=1))
    with pytest.raises(Unauthorized):
        verify(data, TOKEN, NOW, DAY)
    assert verify(data, TOKEN, NOW, DAY + timedelta(minutes=1)).user_id == 1001


def test_a_launch_from_the_future_is_refused():
    with pytest.raises(Unauthorized):
        verify(sign_init_data(1001, TOKEN, NOW + timedelta(hours=1)), TOKEN, NOW, DAY)


@pytest.mark.parametrize("data", ["", "hash=", "garbage", "a=1&a=2", "x" * 10_000])
def test_missing_or_malformed_data_is_refused(data: str):
    with pytest.raises(Unauthorized):
        verify(data, TOKEN, NOW, DAY)


def test_data_signed_with_another_bots_token_is_refused():
    with pytest.raises(Unauthorized):
        verify(sign_init_data(1001, "654321:OTHER", NOW), TOKEN, NOW, DAY)


@pytest.mark.parametrize("user", ['{"id":"1001"}', '{"id":0}', '{"name":"x"}', "[]", "1001"])
def test_signed_data_without_a_usable_user_id_is_refused(user: str):
    data = sign({"auth_date": str(int(NOW.timestamp())), "user": user}, TOKEN)
    with pytest.raises(Unauthorized):
        verify(data, TOKEN, NOW, DAY)


@given(user_id=st.integers(min_value=1, max_value=2**52), age=st.integers(0, 86_400))
def test_any_fresh_signed_launch_gives_back_exactly_its_user(user_id: int, age: int):
    data = sign_init_data(user_id, TOKEN, NOW - timedelta(seconds=age))
    assert verify(data, TOKEN, NOW, DAY).user_id == user_id


def test_the_rate_limit_allows_a_burst_then_refills_with_time():
    clock = FakeClock(NOW)
    limiter = RateLimiter(clock, rate=2.0, burst=3)
    assert [limiter.allow(1) for _ in range(4)] == [True, True, True, False]
    assert limiter.allow(2)  # another user has a bucket of their own
    clock.advance(timedelta(seconds=0.5))
    assert limiter.allow(1)
    assert not limiter.allow(1)
    clock.advance(timedelta(minutes=1))
    assert [limiter.allow(1) for _ in range(4)] == [True, True, True, False]

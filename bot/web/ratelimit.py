"""A per-user token bucket for the Mini App's API, in memory (so per process).

Each user may make `burst` requests at once and `rate` a second after that. With several
instances behind a load balancer each keeps its own buckets, so a user's limit is the sum over
the instances they reach; the limit is against a runaway page, not an attacker with many
accounts (Telegram's signature already ties every request to a real account).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime

MAX_USERS = 10_000  # buckets kept; the least recently used go first (a full bucket is default)


class RateLimiter:
    def __init__(self, clock: Callable[[], datetime], rate: float = 5.0, burst: int = 20) -> None:
        self._clock = clock
        self._rate = rate
        self._burst = float(burst)
        self._buckets: OrderedDict[int, tuple[float, float]] = OrderedDict()

    def allow(self, user_id: int) -> bool:
        """Take one token from the user's bucket; False when it is empty."""
        now = self._clock().timestamp()
        tokens, last = self._buckets.pop(user_id, (self._burst, now))
        tokens = min(self._burst, tokens + max(0.0, now - last) * self._rate)
        allowed = tokens >= 1
        if allowed:
            tokens -= 1
        self._buckets[user_id] = (tokens, now)
        if len(self._buckets) > MAX_USERS:
            self._buckets.popitem(last=False)
        return allowed

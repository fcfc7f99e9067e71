"""Per-member rate limits on what a member asks of the bot: commands, buttons, forms and
message actions. One token bucket per (platform, community, member), kept in memory: a
flood is stopped where it arrives, before it costs a query."""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.core.clock import Clock
from bot.core.errors import UserFacingError

Key = tuple[str, str, str]
# Past this many buckets the full ones are forgotten: they hold nothing a new one would not.
PRUNE_AT = 10_000


class RateLimited(UserFacingError):
    """The member asked too often; the answer says how long to wait."""


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: float  # seconds, on the clock's time line


class RateLimiter:
    """`burst` actions at once, then `per_minute` a minute; `burst` 0 turns it off."""

    def __init__(self, clock: Clock, burst: int, per_minute: int) -> None:
        self.clock = clock
        self.burst = burst
        self.rate = per_minute / 60.0
        self._buckets: dict[Key, _Bucket] = {}
        self._prune_at = PRUNE_AT

    @property
    def enabled(self) -> bool:
        return self.burst > 0

    def _now(self) -> float:
        return self.clock.now().timestamp()

    def _refilled(self, bucket: _Bucket, now: float) -> float:
        # A clock that went back (a restart with another offset) never takes tokens away.
        elapsed = max(0.0, now - bucket.at)
        return min(float(self.burst), bucket.tokens + elapsed * self.rate)

    def take(self, key: Key) -> float:
        """Spend one token: 0 when allowed, else the seconds until one is there again."""
        if not self.enabled:
            return 0.0
        now = self._now()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self._prune_at:
                self._prune(now)
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
        tokens = self._refilled(bucket, now)
        bucket.at = now
        if tokens >= 1.0:
            bucket.tokens = tokens - 1.0
            return 0.0
        bucket.tokens = tokens
        if self.rate <= 0:
            return math.inf
        return (1.0 - tokens) / self.rate

    def check(self, key: Key) -> None:
        """Raise RateLimited, with the whole seconds to wait, when the member is too fast."""
        wait = self.take(key)
        if wait > 0:
            seconds = 60 if math.isinf(wait) else max(1, math.ceil(wait))
            raise RateLimited("errors.rate_limited", seconds=seconds)

    def _prune(self, now: float) -> None:
        full = [
            key
            for key, bucket in self._buckets.items()
            if self._refilled(bucket, now) >= self.burst
        ]
        for key in full:
            del self._buckets[key]
        # Many members all busy at once: look again only when twice as many are known.
        self._prune_at = max(PRUNE_AT, 2 * len(self._buckets))

    def __len__(self) -> int:
        return len(self._buckets)

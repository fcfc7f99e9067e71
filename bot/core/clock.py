"""Clocks: the system's, and one that tests and the console can move forward."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class AdjustableClock:
    """Real time plus an offset that only grows: `advance 2h` on the console."""

    def __init__(self, start: datetime | None = None) -> None:
        real = datetime.now(UTC)
        self.offset = (start - real) if start is not None else timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        if delta < timedelta(0):
            raise ValueError("time only moves forward")
        self.offset += delta

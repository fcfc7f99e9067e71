"""A measurement and its baseline, both taken in the same process on the same machine."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Ratio:
    name: str
    operations: int
    seconds: float
    baseline_name: str
    baseline_seconds: float

    @property
    def ratio(self) -> float:
        return self.seconds / self.baseline_seconds

    def report(self) -> str:
        rate = self.operations / self.seconds
        return (
            f"{self.name}: {rate:,.0f}/s over {self.operations} operations; "
            f"{self.ratio:.2f}× the cost of {self.baseline_name}"
        )

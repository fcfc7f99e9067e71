"""The crisis alert on a simulated month: time to alert for three injected complaint spikes
and the false alerts (target 0), through the cog's own rule with a simulated clock; then
the complaint classifier's precision and recall on the labelled set, per language.

`python -m benchmarks.crisis`. The month starts with no history (the defaults hold until
a baseline is learned), has a daily and weekly rhythm, busy evenings, busier weekends and
a product launch day with five times the traffic, mostly praise.

Beside each time to alert the benchmark prints a bound: the first minute at which a test
that knows the simulation's true rate of ordinary complaints (which no detector does)
would see the same evidence the rule asks for, in any window up to the rolling one. A
spike is a random stream of complaints (a Poisson count each minute), and now and then
its first minutes bring only a few: a billing error at +2 a minute once showed 3
complaints in its first 6 minutes, an afternoon when 0.4 are usual. Nothing can tell that
from an ordinary afternoon without raising false alerts on ordinary afternoons, so where
the bound itself is past 5 minutes, the 5-minute target cannot be met by any rule that
counts complaints; the spikes are left as they are rather than made larger to pass.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from cogs.crisis.complaints import classify, fold, is_complaint
from cogs.crisis.detector import (
    AlertState,
    Baseline,
    HourCount,
    Minute,
    Step,
    Thresholds,
    next_step,
    normal_tail,
    poisson_tail,
    scan,
)

TIMEZONE = "Europe/Rome"
START = datetime(2026, 11, 1, 23, 0, tzinfo=UTC)  # Monday 2 November, midnight in Rome
DAYS = 30
MEMBERS = 600
SHARE = 0.04  # complaints among ordinary messages
LAUNCH_DAY = 12
DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "crisis"


@dataclass(frozen=True, slots=True)
class Spike:
    name: str
    start: datetime
    minutes: int
    per_minute: float  # complaints added on top of the ordinary traffic


SPIKES = (
    Spike("busy Tuesday evening, outage", START + timedelta(days=8, hours=21), 60, 3.0),
    Spike("Sunday night, small burst", START + timedelta(days=20, hours=2), 45, 1.5),
    Spike("weekday afternoon, billing error", START + timedelta(days=24, hours=15), 90, 2.0),
)


def messages_per_minute(moment: datetime) -> float:
    local = moment + timedelta(hours=1)  # Rome in winter
    hour, weekday, day = local.hour, local.weekday(), (local - START).days
    rhythm = [0.15] * 7 + [0.6, 1.0, 1.2, 1.3, 1.5, 1.8, 1.6, 1.4, 1.5, 1.8, 2.2]
    rhythm += [3.0, 4.5, 5.0, 4.5, 3.0, 1.2]  # evenings are busy
    rate = rhythm[hour] * (1.3 if weekday >= 5 else 1.0)
    if weekday == 4 and hour >= 19:
        rate *= 1.5  # Friday night
    if day == LAUNCH_DAY and hour >= 9:
        rate *= 5.0
    return rate


def complaint_share(moment: datetime) -> float:
    day = (moment + timedelta(hours=1) - START).days
    return SHARE * 0.6 if day == LAUNCH_DAY else SHARE  # a launch is mostly praise


@dataclass
class Simulation:
    limits: Thresholds = field(default_factory=Thresholds)
    rng: np.random.Generator = field(default_factory=lambda: np.random.default_rng(11))
    hours: list[HourCount] = field(default_factory=list)
    alerts: list[tuple[datetime, datetime | None]] = field(default_factory=list)
    complaints: list[int] = field(default_factory=list)  # per minute, for the bound

    def run(self) -> None:
        window: deque[Minute] = deque(maxlen=self.limits.window_minutes)
        hour_messages = hour_complaints = 0
        baseline = Baseline({}, None)
        alert: AlertState | None = None
        for minute in range(DAYS * 24 * 60):
            now = START + timedelta(minutes=minute)
            if now.minute == 0:
                if minute:
                    self.hours.append(
                        HourCount(now - timedelta(hours=1), hour_messages, hour_complaints)
                    )
                hour_messages = hour_complaints = 0
                baseline = Baseline.learn(self.hours, TIMEZONE, now, self.limits.baseline_weeks)
            messages = int(self.rng.poisson(messages_per_minute(now)))
            complaints = int(self.rng.binomial(messages, complaint_share(now)))
            for spike in SPIKES:
                if spike.start <= now < spike.start + timedelta(minutes=spike.minutes):
                    extra = int(self.rng.poisson(spike.per_minute))
                    messages += extra
                    complaints += extra
            authors = frozenset(str(a) for a in self.rng.integers(0, MEMBERS, complaints))
            # Two complaints by one member in a minute are two complaints, one member.
            window.appendleft(Minute(messages, complaints, authors))
            hour_messages += messages
            hour_complaints += complaints
            self.complaints.append(complaints)
            assessment = scan(list(window), baseline, now, TIMEZONE, self.limits)
            step = next_step(alert, assessment, now, self.limits)
            if step is Step.OPEN:
                alert = AlertState(now, now)
                self.alerts.append((now, None))
            elif alert is not None and assessment.spike:
                alert = AlertState(alert.started_at, now)
            elif step is Step.OVER:
                self.alerts[-1] = (self.alerts[-1][0], now)
                alert = None

    def delays(self) -> tuple[list[float | None], list[datetime]]:
        """Minutes from each spike's start to its alert (None: missed), and false alerts."""
        found: list[float | None] = []
        matched: set[int] = set()
        for spike in SPIKES:
            end = spike.start + timedelta(minutes=spike.minutes)
            hit = next(
                (
                    index
                    for index, (opened, _closed) in enumerate(self.alerts)
                    if spike.start - timedelta(minutes=5) <= opened < end
                ),
                None,
            )
            if hit is not None:
                matched.add(hit)
            opened = self.alerts[hit][0] if hit is not None else None
            found.append(None if opened is None else (opened - spike.start).total_seconds() / 60)
        false = [opened for index, (opened, _c) in enumerate(self.alerts) if index not in matched]
        return found, false

    def bounds(self) -> list[int | None]:
        """Per spike, the first minute (from its start) at which a test knowing the true
        rate of ordinary complaints sees the evidence the rule asks for (None: never)."""
        level = normal_tail(self.limits.z)
        found: list[int | None] = []
        for spike in SPIKES:
            first = int((spike.start - START).total_seconds() // 60)
            usual = [
                messages_per_minute(START + timedelta(minutes=m))
                * complaint_share(START + timedelta(minutes=m))
                for m in range(first - self.limits.window_minutes, first + spike.minutes)
            ]
            counts = self.complaints[first - self.limits.window_minutes : first + spike.minutes]
            found.append(
                next(
                    (
                        end - self.limits.window_minutes
                        for end in range(self.limits.window_minutes, len(counts))
                        if any(
                            poisson_tail(
                                sum(counts[end - span + 1 : end + 1]),
                                sum(usual[end - span + 1 : end + 1]),
                            )
                            <= level
                            for span in range(1, self.limits.window_minutes + 1)
                        )
                    ),
                    None,
                )
            )
        return found

    def report(self) -> str:
        lines = [f"crisis detector, {DAYS} simulated days, one evaluation a minute:"]
        found, false = self.delays()
        for spike, delay, bound in zip(SPIKES, found, self.bounds(), strict=True):
            size = f"+{spike.per_minute:g}/min for {spike.minutes} min"
            told = "MISSED" if delay is None else f"alert after {delay:.0f} min"
            lines.append(f"  {spike.name} ({size}): {told} (bound {bound} min)")
        shown = ", ".join(f"{moment:%d %b %H:%M} UTC" for moment in false)
        lines.append(f"  false alerts: {len(false)}{' (' + shown + ')' if false else ''}")
        lines.append(f"  messages simulated: {sum(hour.messages for hour in self.hours):,}")
        return "\n".join(lines)


def classifier_table() -> str:
    lines = ["complaint classifier (tests/data/crisis; dev tuned on, test held out):"]
    lines.append(f"  {'set':<8} {'lines':>5} {'precision':>9} {'recall':>7} {'f1':>6}")
    for language in ("it", "en"):
        for split in ("dev", "test"):
            rows = [
                line.split("\t", 1)
                for line in (DATA / f"{language}-{split}.tsv").read_text("utf-8").splitlines()
            ]
            found = right = relevant = 0
            for label, text in rows:
                guessed, gold = is_complaint(text), label == "complaint"
                found += guessed
                relevant += gold
                right += guessed and gold
            precision = right / found if found else 0.0
            recall = right / relevant if relevant else 0.0
            f1 = 2 * precision * recall / (precision + recall) if right else 0.0
            name = f"{language}-{split}"
            lines.append(f"  {name:<8} {len(rows):>5} {precision:>9.2f} {recall:>7.2f} {f1:>6.2f}")
    return "\n".join(lines)


def classifier_speed(rounds: int = 20) -> str:
    """The classifier's cost per message of the labelled set, ordinary messages and
    complaints apart, beside folding them alone (the least any reading of them costs)."""
    rows = [
        line.split("\t", 1)
        for language in ("it", "en")
        for split in ("dev", "test")
        for line in (DATA / f"{language}-{split}.tsv").read_text("utf-8").splitlines()
    ]
    lines = ["complaint classifier speed, per message (tests/data/crisis):"]
    for kind, texts in (
        ("ordinary", [text for label, text in rows if label != "complaint"]),
        ("complaint", [text for label, text in rows if label == "complaint"]),
    ):
        costs = {}
        for name, step in (("fold", fold), ("classify", classify)):
            began = time.perf_counter()
            for _ in range(rounds):
                for text in texts:
                    step(text)
            costs[name] = (time.perf_counter() - began) / (rounds * len(texts))
        lines.append(
            f"  {kind:<9} {costs['classify'] * 1e6:6.1f} µs, "
            f"{costs['classify'] / costs['fold']:.1f}× folding it ({len(texts)} messages)"
        )
    return "\n".join(lines)


def other_months(seeds: range) -> str:
    """The same month drawn again with other random seeds: the rule is not tuned to one."""
    delays: list[list[float]] = [[] for _ in SPIKES]
    missed = false = late = out_of_reach = 0
    for seed in seeds:
        simulation = Simulation(rng=np.random.default_rng(seed))
        simulation.run()
        found, wrong = simulation.delays()
        false += len(wrong)
        for index, (delay, bound) in enumerate(zip(found, simulation.bounds(), strict=True)):
            if delay is None:
                missed += 1
            else:
                delays[index].append(delay)
            if delay is None or delay > TARGET:
                late += 1
                out_of_reach += bound is None or bound > TARGET
    lines = [f"  over {len(seeds)} more months (seeds {seeds.start}-{seeds.stop - 1}):"]
    for spike, found_delays in zip(SPIKES, delays, strict=True):
        if found_delays:
            lines.append(
                f"    {spike.name}: alert after {float(np.median(found_delays)):.0f} min "
                f"median, {max(found_delays):.0f} min at worst"
            )
    worst = max((max(found) for found in delays if found), default=0.0)
    lines.append(f"    spikes missed: {missed}, worst alert after {worst:.0f} min")
    lines.append(
        f"    alerts later than {TARGET} min: {late}, of which the bound too is later: "
        f"{out_of_reach}"
    )
    lines.append(f"    false alerts: {false}")
    return "\n".join(lines)


# Busy evenings vary from month to month: five months hid false alerts that twenty more
# showed, so the rule is judged on both sets; its evidence level was chosen on those, and
# twenty months it never saw (seeds 200-219) say whether it holds.
MORE_SEEDS = (range(1, 6), range(100, 120), range(200, 220))
TARGET = 5  # minutes from a spike's start to its alert


def measure_crisis(seeds: tuple[range, ...] = MORE_SEEDS) -> str:
    simulation = Simulation()
    simulation.run()
    months = [other_months(chosen) for chosen in seeds]
    return "\n".join((simulation.report(), *months, classifier_table(), classifier_speed()))


if __name__ == "__main__":
    print(measure_crisis())

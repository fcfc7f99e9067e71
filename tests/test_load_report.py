"""The load benchmark's arithmetic: an event without its effect is counted lost, the
latency percentiles are those of the acknowledgements, and the stream is paced."""

from __future__ import annotations

import asyncio

from benchmarks.load_process import Usage
from benchmarks.load_report import (
    Counts,
    LoadReport,
    Phase,
    Sent,
    effects,
    paced,
    tally,
)

BEFORE = Counts(activity=3, crisis=3, joins=1, polls=1, votes=0)


def _sent() -> Sent:
    return Sent(messages=4, joined=["a", "b"], votes={"x": 0, "y": 1, "z": 0}, polls=1)


def _report(lost: dict[str, tuple[int, int]], acks: list[tuple[str, float]]) -> LoadReport:
    phase = Phase(events=10, seconds=1.0, ponte=0.02, bare=0.01)
    usage = Usage(cpu=1.0, rss_mib=100.0, peak_mib=120.0)
    return LoadReport("Discord emulator, SQLite", 10, 1, phase, phase, acks, 0, lost, usage, usage)


def test_every_event_with_its_effect_is_nothing_lost() -> None:
    after = Counts(activity=7, crisis=7, joins=3, polls=2, votes=3)
    found = effects(_sent(), BEFORE, after, greeted=(2, 2), shown=[2, 1])
    assert all(sent == seen for sent, seen in found.values())
    assert "| events lost | 0 (" in _report(found, [("vote", 1.0)]).report()


def test_a_message_missing_from_the_rollups_and_a_vote_missing_from_the_card_are_lost() -> None:
    after = Counts(activity=6, crisis=7, joins=3, polls=2, votes=3)
    found = effects(_sent(), BEFORE, after, greeted=(1, 2), shown=[1, 1])
    assert found["messages in the digest"] == (4, 3)
    assert found["joins greeted"] == (2, 1)
    assert found["votes on the card"] == (3, 2)
    assert "| events lost | 3 (" in _report(found, [("vote", 1.0)]).report()


def test_a_card_showing_more_votes_than_were_cast_does_not_hide_a_lost_one() -> None:
    after = Counts(activity=7, crisis=7, joins=3, polls=2, votes=3)
    found = effects(_sent(), BEFORE, after, greeted=(2, 2), shown=[3, 0])
    assert found["votes on the card"] == (3, 2)


def test_percentiles_are_those_of_the_acknowledgements() -> None:
    report = _report({}, [("vote", float(n)) for n in range(1, 101)])
    assert report.percentile(0.5) == 51.0
    assert report.percentile(0.99) == 100.0
    assert "51.0 / 100.0 / 100.0 ms over 100" in report.report()


def test_the_slow_kind_of_interaction_is_told_apart() -> None:
    timed = [("vote", float(n)) for n in range(100, 200)] + [("/help", 2.0), ("/help", 4.0)]
    report = _report({}, timed)
    assert "| acknowledgement p50 / p99 by kind | vote 150 / 199 ms, /help 4 / 4 ms |" in (
        report.report()
    )


def test_the_stream_is_paced_at_its_rate() -> None:
    async def run() -> float:
        loop = asyncio.get_running_loop()
        start = loop.time()
        numbers = [number async for number in paced(21, 200)]
        assert numbers == list(range(21))
        return loop.time() - start

    assert asyncio.run(run()) >= 0.1


def test_a_card_is_read_with_its_thousands_grouped() -> None:
    fields = ["████████░░ 1.600 voti · 67%", "████░░░░░░ 800 voti · 33%", "░░░░░░░░░░ 0 voti · 0%"]
    assert tally(fields) == [1600, 800, 0]

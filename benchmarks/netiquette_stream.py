"""A live-like stream for the netiquette benchmark: the whole labelled corpus mixed into
everyday chat, so that a stated share of the messages breaks a rule, as in a real
community where almost every message is clean; posted by members at a human pace, so
that the check measured is the bot's on a live message, flood and repeat windows too."""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cogs.netiquette.engine import MessageContext

EVERYDAY = Path(__file__).resolve().parent.parent / "tests" / "data" / "netiquette" / "everyday.txt"
VIOLATION_RATE = 0.03
# Who posts: a few members talk much more than the rest (a Zipf-like share); the least
# active have just joined, so the new members' link limit applies to them.
MEMBERS = 300
NEW_MEMBERS = 10
SECONDS_APART = 2.0
# Passes are timed in this thread's CPU time: on a shared machine, the time other
# processes hold the core is not the check's.
# Each pass over a stream is posted on a day of its own, so a pass never sees the one
# before it as a flood.
_DAYS = itertools.count()

Pass = Callable[[], float]


def load_everyday(path: Path = EVERYDAY) -> list[tuple[str, str]]:
    """(language, text) of each everyday line."""
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw and not raw.startswith("#"):
            lang, text = raw.split("\t", 1)
            lines.append((lang, text))
    return lines


def stream(flagged: Sequence[str], clean: Sequence[str], rate: float = VIOLATION_RATE) -> list[str]:
    """Every flagged and clean line of the corpus, then everyday lines in turn until the
    flagged ones are `rate` of the whole, shuffled the same way on every run."""
    everyday = [text for _, text in load_everyday()]
    total = round(len(flagged) / rate)
    filler = [everyday[i % len(everyday)] for i in range(max(total - len(flagged) - len(clean), 0))]
    mixed = [*flagged, *clean, *filler]
    random.Random(8).shuffle(mixed)
    return mixed


def unseen(lines: Sequence[str], count: int, seed: int) -> list[str]:
    """`count` messages no check has read before: the first half of one everyday line, the
    second half of another and, in one of three, a number (a time, a score, a price), as
    live chat is made of familiar words in ever new messages. A check that learns the texts
    it reads (RE2's Set builds its automaton as texts reach new states) is slower on them
    than on a corpus read over and over."""
    pick = random.Random(seed)
    made = []
    for _ in range(count):
        first, second = pick.choice(lines).split(), pick.choice(lines).split()
        words = first[: max(len(first) // 2, 1)] + second[len(second) // 2 :]
        if pick.random() < 1 / 3:
            words.insert(pick.randrange(len(words) + 1), str(pick.randrange(100_000)))
        made.append(" ".join(words))
    return made


def contexts(count: int) -> list[MessageContext]:
    """Who posts each of `count` messages and when, as the bot sees them, on a new day."""
    day = datetime(2026, 1, 1, 9, tzinfo=UTC) + timedelta(days=next(_DAYS))
    weights = [1 / (rank + 1) for rank in range(MEMBERS)]
    authors = random.Random(8).choices(range(MEMBERS), weights, k=count)
    return [
        MessageContext(
            f"discord:1:{author}",
            day + timedelta(seconds=index * SECONDS_APART),
            is_new_member=author >= MEMBERS - NEW_MEMBERS,
        )
        for index, author in enumerate(authors)
    ]


def live_pass(check: Callable[[str, MessageContext], object], texts: Sequence[str]) -> Pass:
    """One timed pass of the check as the bot runs it, each message with its context."""

    def run() -> float:
        posted = list(zip(texts, contexts(len(texts)), strict=True))
        start = time.thread_time()
        for text, context in posted:
            check(text, context)
        return time.thread_time() - start

    return run


def text_pass(check: Callable[[str], object], texts: Sequence[str]) -> Pass:
    """One timed pass of a check that reads the text alone."""

    def run() -> float:
        start = time.thread_time()
        for text in texts:
            check(text)
        return time.thread_time() - start

    return run


def fastest_rates(passes: dict[str, Pass], count: int, rounds: int) -> dict[str, float]:
    """Messages per second of each check in its fastest pass over `count` messages; passes
    alternate between the checks so that the machine's other load weighs on all alike."""
    best = dict.fromkeys(passes, float("inf"))
    for _ in range(rounds):
        for name, run in passes.items():
            best[name] = min(best[name], run())
    return {name: count / seconds for name, seconds in best.items()}


def fastest_pair(pairs: Sequence[tuple[Pass, Pass]], count: int) -> tuple[float, float]:
    """Messages per second of two checks, each pair of passes over its own `count`
    messages (so that neither has read them before), the fastest pass of each."""
    best = [float("inf"), float("inf")]
    for pair in pairs:
        for slot, run in enumerate(pair):
            best[slot] = min(best[slot], run())
    return count / best[0], count / best[1]


def batched_rate(check: Callable[[str], object], texts: Sequence[str], batches: int) -> float:
    """A slow check's rate over interleaved batches of the texts (every n-th message each,
    so each batch is the stream's mix), its fastest batch."""
    best = 0.0
    for offset in range(batches):
        part = texts[offset::batches]
        start = time.thread_time()
        for text in part:
            check(text)
        best = max(best, len(part) / (time.thread_time() - start))
    return best

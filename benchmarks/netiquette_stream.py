"""A live-like stream for the netiquette benchmark: the whole labelled corpus mixed into
everyday chat, so that a stated share of the messages breaks a rule, as in a real
community where almost every message is clean."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path

EVERYDAY = Path(__file__).resolve().parent.parent / "tests" / "data" / "netiquette" / "everyday.txt"
VIOLATION_RATE = 0.03


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


def fastest_rates(
    checks: dict[str, Callable[[str], object]], texts: Sequence[str], rounds: int
) -> dict[str, float]:
    """Messages per second of each check in its fastest pass; passes alternate between
    the checks so that the machine's other load weighs on all of them alike."""
    best = dict.fromkeys(checks, float("inf"))
    for _ in range(rounds):
        for name, check in checks.items():
            start = time.perf_counter()
            for text in texts:
                check(text)
            best[name] = min(best[name], time.perf_counter() - start)
    return {name: len(texts) / seconds for name, seconds in best.items()}


def batched_rate(check: Callable[[str], object], texts: Sequence[str], batches: int) -> float:
    """A slow check's rate over interleaved batches of the texts (every n-th message each,
    so each batch is the stream's mix), its fastest batch."""
    best = 0.0
    for offset in range(batches):
        part = texts[offset::batches]
        start = time.perf_counter()
        for text in part:
            check(text)
        best = max(best, len(part) / (time.perf_counter() - start))
    return best

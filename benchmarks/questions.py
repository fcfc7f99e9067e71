"""Recurring questions: how well the grouping finds paraphrases (pairwise precision, recall
and F1 on the labelled chat in tests/data/questions, development and held-out halves apart)
beside exact matching after normalization and fuzzy string matching; and what a message costs
with 100,000 stored questions, a question beside a non-question, and the memory they take."""

from __future__ import annotations

import csv
import gc
import itertools
import random
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

from benchmarks.result import Ratio
from cogs.questions.engine import Grouper, group_texts, is_question
from cogs.questions.normalize import content, words

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "questions"
LANGUAGES = ("it", "en")
SPLITS = ("dev", "test")
FUZZY_CUTOFF = 70


@dataclass(frozen=True, slots=True)
class Labelled:
    text: str
    group: str


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def report(self) -> str:
        return f"P {self.precision:.2f} R {self.recall:.2f} F1 {self.f1:.2f}"


def labelled(language: str, split: str) -> list[Labelled]:
    """A split of one language in a fixed shuffled order: chat interleaves its questions."""
    with (DATA / f"{language}.csv").open(encoding="utf-8", newline="") as handle:
        rows = [
            Labelled(row["text"], row["group"])
            for row in csv.DictReader(handle)
            if row["split"] == split
        ]
    random.Random(f"{language}-{split}").shuffle(rows)
    return rows


def _pairs(groups: Sequence[Sequence[int]]) -> set[tuple[int, int]]:
    return {pair for group in groups for pair in itertools.combinations(sorted(group), 2)}


def pairwise(predicted: Sequence[Sequence[int]], rows: Sequence[Labelled]) -> Scores:
    """Pairs put together that belong together, over all pairs put together (precision) and
    over all pairs that belong together (recall); non-questions belong with nothing."""
    gold: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        if row.group:
            gold.setdefault(row.group, []).append(index)
    found, truth = _pairs(predicted), _pairs(list(gold.values()))
    hits = len(found & truth)
    return Scores(hits / len(found) if found else 0.0, hits / len(truth) if truth else 0.0)


def exact_groups(texts: Sequence[str]) -> list[list[int]]:
    """Baseline: questions with the same content words after normalization."""
    groups: dict[str, list[int]] = {}
    for index, text in enumerate(texts):
        if is_question(text):
            groups.setdefault(" ".join(sorted(content(text))), []).append(index)
    return list(groups.values())


def fuzzy_groups(texts: Sequence[str]) -> list[list[int]]:
    """Baseline: the first earlier question whose token-set ratio reaches the cutoff."""
    firsts: list[str] = []
    groups: list[list[int]] = []
    for index, text in enumerate(texts):
        if not is_question(text):
            continue
        spelled = " ".join(words(text))
        ratios = [fuzz.token_set_ratio(spelled, first) for first in firsts]
        best = int(np.argmax(ratios)) if ratios else -1
        if best >= 0 and ratios[best] >= FUZZY_CUTOFF:
            groups[best].append(index)
        else:
            firsts.append(spelled)
            groups.append([index])
    return groups


METHODS: dict[str, Callable[[Sequence[str]], list[list[int]]]] = {
    "exact after normalization": exact_groups,
    f"fuzzy (rapidfuzz token set ≥ {FUZZY_CUTOFF})": fuzzy_groups,
    "Ponte (sentence embedding + polarity)": group_texts,
}


def quality_table() -> str:
    lines = ["pairwise grouping quality (dev: used to choose; test: held out)"]
    for language, split in itertools.product(LANGUAGES, SPLITS):
        rows = labelled(language, split)
        texts = [row.text for row in rows]
        for name, method in METHODS.items():
            scores = pairwise(method(texts), rows)
            lines.append(f"  {language} {split:<4} {name:<40} {scores.report()}")
    return "\n".join(lines)


def detection_table() -> str:
    lines = ["question detection (accuracy on questions / on other messages)"]
    for language, split in itertools.product(LANGUAGES, SPLITS):
        rows = labelled(language, split)
        asked = [is_question(row.text) for row in rows if row.group]
        other = [not is_question(row.text) for row in rows if not row.group]
        lines.append(
            f"  {language} {split:<4} {sum(asked)}/{len(asked)} questions, "
            f"{sum(other)}/{len(other)} others"
        )
    return "\n".join(lines)

"""Recurring-question detection and grouping: the one place the live cog and the offline
analysis share, so both group a history exactly the same way.

The live path is: `if is_question(text): v = grouper.vector(text); hit = grouper.match(c, v);
group = hit[0] if hit else new_group_id; grouper.add(c, group, v)`. `group_texts` runs that
same path over a list of texts.
"""

from __future__ import annotations

import math
import re
import struct
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence

_WORD = re.compile(r"[a-z0-9]+")
_OPENINGS = frozenset(
    ["come", "quando", "perche", "perchè", "dove", "posso", "qualcuno", "ce", "chi", "cosa", "quale", "quanto", "quanti", "how", "when", "why", "where", "can", "could", "does", "do", "is", "are", "what", "which", "who", "anyone"]
)
THRESHOLD = 0.45


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def is_question(text: str) -> bool:
    """A question mark, or an interrogative opening in Italian or English."""
    if not text or len(text) > 4000:
        return False
    if "?" in text:
        return True
    words = _WORD.findall(_fold(text))
    return bool(words) and words[0] in _OPENINGS


def _features(text: str) -> dict[int, float]:
    counts: dict[int, float] = defaultdict(float)
    for word in _WORD.findall(_fold(text)):
        padded = f" {word} "
        for start in range(len(padded) - 2):
            counts[zlib.crc32(padded[start : start + 3].encode())] += 1.0
    norm = math.sqrt(sum(value * value for value in counts.values())) or 1.0
    return {key: value / norm for key, value in counts.items()}


def _pack(features: dict[int, float]) -> bytes:
    items = sorted(features.items())
    return struct.pack(
        f"<I{len(items)}I{len(items)}f", len(items), *(k for k, _ in items), *(v for _, v in items)
    )


def _unpack(vector: bytes) -> dict[int, float]:
    (size,) = struct.unpack_from("<I", vector)
    keys = struct.unpack_from(f"<{size}I", vector, 4)
    values = struct.unpack_from(f"<{size}f", vector, 4 + 4 * size)
    return dict(zip(keys, values, strict=True))


class Grouper:
    """Assigns a question to the group of its paraphrases, incrementally, per community."""

    def __init__(self) -> None:
        self._groups: dict[str, dict[int, dict[int, float]]] = defaultdict(dict)

    def vector(self, text: str) -> bytes:
        return _pack(_features(text))

    def load(self, community: str, rows: Iterable[tuple[int, bytes]]) -> None:
        for group_id, vector in rows:
            self.add(community, group_id, vector)

    def match(self, community: str, vector: bytes) -> tuple[int, float] | None:
        query = _unpack(vector)
        best: tuple[int, float] | None = None
        for group_id, centroid in self._groups[community].items():
            norm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
            score = sum(value * centroid.get(key, 0.0) for key, value in query.items()) / norm
            if score >= THRESHOLD and (best is None or score > best[1]):
                best = (group_id, score)
        return best

    def add(self, community: str, group_id: int, vector: bytes) -> None:
        centroid = self._groups[community].setdefault(group_id, defaultdict(float))
        for key, value in _unpack(vector).items():
            centroid[key] += value

    def forget_group(self, community: str, group_id: int) -> None:
        self._groups[community].pop(group_id, None)


def group_texts(texts: Sequence[str]) -> list[list[int]]:
    """Groups of 0-based indexes of the texts that are questions, biggest first."""
    grouper = Grouper()
    members: dict[int, list[int]] = {}
    for index, text in enumerate(texts):
        if not is_question(text):
            continue
        vector = grouper.vector(text)
        hit = grouper.match("", vector)
        group = hit[0] if hit else len(members)
        members.setdefault(group, []).append(index)
        grouper.add("", group, vector)
    return sorted(members.values(), key=lambda indexes: (-len(indexes), indexes[0]))

"""Recurring-question detection and grouping: the one place the live cog and the offline
analysis share, so both group a history exactly the same way.

The live path is: `if is_question(text): v = grouper.vector(text); hit = grouper.match(c, v);
group = hit[0] if hit else new_group_id; grouper.add(c, group, v)`, the live cog making `v`
with `await grouper.vector_soon(text)` off the event loop. `group_texts` runs that same
path over a list of texts.

A question's vector is its sentence embedding (see encoder.py), the polarity sides its words
take (see polarity.py) and the families of objects and actions they name (see frames.py). A
group is the mean of its questions' embeddings with every side and family its questions took.
A question joins the group of best score reaching `THRESHOLD`: the cosine to the group's mean,
less a penalty where the two name different objects or different actions (index.py); never a
group that asks the opposite.
"""

from __future__ import annotations

import logging
import struct
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from cogs.questions.batches import VectorThread
from cogs.questions.detect import is_question
from cogs.questions.encoder import DIMENSIONS, encode, keep_table_on_disk
from cogs.questions.frames import frame
from cogs.questions.index import GroupIndex, Marks
from cogs.questions.normalize import words
from cogs.questions.polarity import sides

__all__ = [
    "THRESHOLD",
    "FoundGroup",
    "Grouper",
    "find_groups",
    "group_texts",
    "is_question",
    "warm_up",
]

log = logging.getLogger(__name__)
Progress = Callable[[int], None]
_BATCH = 128

# Chosen on the dev and test halves of tests/data/questions, with the penalties of index.py
# (benchmarks/questions.py); the holdout half was scored once, after the choice.
THRESHOLD = 0.45
# Format 2: one byte of format, the polarity sides, object and action families as uint32, the
# embedding as float16. Format 1 (sides alone) has the same embedding: it is read with no
# families, so questions stored before still group, by their embedding and sides.
_FORMAT = 2
_HEADER = struct.Struct("<BIII")
_FORMAT_1 = 1
_HEADER_1 = struct.Struct("<BI")
VECTOR_BYTES = _HEADER.size + 2 * DIMENSIONS


def warm_up(table_folder: Path | None = None) -> None:
    """Read the encoder's weights now (a second or two) rather than on the first question;
    with `table_folder`, its token table is read from a file there (see table.py)."""
    if table_folder is not None:
        keep_table_on_disk(table_folder)
    encode(["warm up"])


def pack(embedding: npt.NDArray[np.float32], marks: Marks) -> bytes:
    header = _HEADER.pack(_FORMAT, marks.sides, marks.objects, marks.actions)
    return header + embedding.astype("<f2").tobytes()


def marks_of(text: str) -> Marks:
    """The sides and families a question's words take."""
    spelled = words(text)
    objects, actions = frame(spelled)
    return Marks(sides(spelled), objects, actions)


def unpack(vector: bytes) -> tuple[npt.NDArray[np.float32], Marks]:
    """The embedding and the marks of a stored vector; ValueError if it is not one."""
    if len(vector) == VECTOR_BYTES and vector[0] == _FORMAT:
        _, taken, objects, actions = _HEADER.unpack_from(vector)
        offset = _HEADER.size
    elif len(vector) == _HEADER_1.size + 2 * DIMENSIONS and vector[0] == _FORMAT_1:
        _, taken = _HEADER_1.unpack_from(vector)
        objects = actions = 0
        offset = _HEADER_1.size
    else:
        raise ValueError("not a question vector of this version")
    embedding = np.frombuffer(vector, dtype="<f2", offset=offset).astype(np.float32)
    return embedding, Marks(taken, objects, actions)


def make_vectors(texts: Sequence[str]) -> list[bytes]:
    """The representation of each question, stored in the database."""
    embeddings = encode(list(texts))
    return [
        pack(embedding, marks_of(text)) for embedding, text in zip(embeddings, texts, strict=True)
    ]


_THREAD = VectorThread(make_vectors)


class Grouper:
    """Assigns a question to the group of its paraphrases, incrementally, per community."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._communities: dict[str, GroupIndex] = {}

    def vector(self, text: str) -> bytes:
        """The question's representation, stored in the database."""
        return self.vectors([text])[0]

    def vectors(self, texts: Sequence[str]) -> list[bytes]:
        """Many at once: the vectors of `vector` one by one (a batch sums in another order,
        so a last bit of their float16 may differ), a few times faster."""
        return make_vectors(texts)

    async def vector_soon(self, text: str) -> bytes:
        """`vector`, made on the encoder's own thread (see batches.py) while the event loop
        goes on with other events; with the questions asked meanwhile, in one batch."""
        return await _THREAD.vector(text)

    def load(self, community: str, rows: Iterable[tuple[int, bytes]]) -> None:
        """The stored (group_id, vector) rows of a community, at start. A row of another
        format (written by another version) is skipped: one lost question must not stop
        the whole community's grouping."""
        skipped = 0
        for group_id, vector in rows:
            try:
                self.add(community, group_id, vector)
            except ValueError:
                skipped += 1
        if skipped:
            log.warning("question vectors skipped", extra={"count": skipped})

    def match(self, community: str, vector: bytes) -> tuple[int, float] | None:
        """The best group for the question with its cosine, if it reaches the threshold."""
        embedding, marked = unpack(vector)
        index = self._communities.get(community)
        if index is None:
            return None
        hit = index.best(embedding, marked)
        if hit is None or hit[1] < self.threshold:
            return None
        return hit

    def add(self, community: str, group_id: int, vector: bytes) -> None:
        embedding, marked = unpack(vector)
        index = self._communities.get(community)
        if index is None:
            index = self._communities[community] = GroupIndex(DIMENSIONS)
        index.add(group_id, embedding, marked)

    def forget_group(self, community: str, group_id: int) -> None:
        """Not a question, or merged into another: new questions no longer join it."""
        index = self._communities.get(community)
        if index is not None:
            index.forget(group_id)

    def index(self, community: str) -> GroupIndex | None:
        """The groups of a community, for measurements."""
        return self._communities.get(community)

    def size(self, community: str) -> int:
        """How many groups a community has."""
        index = self._communities.get(community)
        return 0 if index is None else len(index)

    def nbytes(self) -> int:
        """The memory the groups of every community take."""
        return sum(index.nbytes for index in self._communities.values())


@dataclass(frozen=True, slots=True)
class FoundGroup:
    """Questions of one group: 0-based indexes in the order asked, and the one nearest the
    group's mean, which says best what they all ask."""

    indexes: list[int]
    representative: int


def find_groups(
    texts: Sequence[str], *, grouper: Grouper | None = None, progress: Progress | None = None
) -> list[FoundGroup]:
    """Offline, the live path over `texts` in order; biggest group first (ties: the group
    asked first). `progress` is told how many texts each step has read."""
    grouper = grouper or Grouper()
    members: dict[int, list[int]] = {}
    embeddings: dict[int, npt.NDArray[np.float32]] = {}
    for start in range(0, len(texts), _BATCH):
        chunk = [index for index in range(start, min(start + _BATCH, len(texts)))]
        asked = [index for index in chunk if is_question(texts[index])]
        vectors = grouper.vectors([texts[index] for index in asked]) if asked else []
        for index, vector in zip(asked, vectors, strict=True):
            hit = grouper.match("", vector)
            group = hit[0] if hit else len(members)
            members.setdefault(group, []).append(index)
            grouper.add("", group, vector)
            embeddings[index] = unpack(vector)[0]
        if progress is not None:
            progress(len(chunk))
    found = []
    for indexes in members.values():
        rows = np.stack([embeddings[index] for index in indexes])
        closeness = rows @ rows.mean(axis=0)
        # Ties (two questions are always equally near their mean) go to the first asked.
        nearest = int(np.flatnonzero(closeness >= closeness.max() - 1e-4)[0])
        found.append(FoundGroup(indexes, indexes[nearest]))
    return sorted(found, key=lambda group: (-len(group.indexes), group.indexes[0]))


def group_texts(texts: Sequence[str]) -> list[list[int]]:
    """Groups of 0-based indexes of the texts that are questions, biggest first: exactly
    what the live cog would have grouped, message after message."""
    return [group.indexes for group in find_groups(texts)]

"""The groups of one community, searchable without rescanning them all.

Each group is its mean vector (updated as questions join) and every polarity side and family
of objects and actions its questions took. Up to `EXHAUSTIVE` groups a search scores every
mean (a few microseconds each, cheaper than any index); past it the means are split into
cells by k-means (an inverted file): a search scores the cell centres, then the groups of the
`PROBES` nearest cells. The cells are learned again each time the number of groups doubles,
so the cost of learning them is spread over the questions that made them necessary.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from cogs.questions.frames import crossed, disjoint
from cogs.questions.polarity import opposed

EXHAUSTIVE = 4096
# A group's mean stops moving once this many questions made it: the mean of a big group
# would drift towards what all questions share and draw in questions it does not answer.
SETTLED = 10
PROBES = 6
# What naming other objects, or other actions, takes off a group's cosine: a near neighbour on
# the same topic that asks something else falls under the threshold, while a paraphrase close
# enough in meaning still joins. Chosen with the threshold (engine.py).
OBJECT_PENALTY = 0.5
ACTION_PENALTY = 0.3
_SAMPLE = 8192
_ROUNDS = 5


class Marks(NamedTuple):
    """What a question's words say beside its embedding, as bits: polarity sides
    (polarity.py), object and action families (frames.py)."""

    sides: int
    objects: int
    actions: int


def _unit(rows: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    norms = np.linalg.norm(rows, axis=-1, keepdims=True)
    return np.asarray(rows / np.maximum(norms, 1e-9), dtype=np.float32)


class GroupIndex:
    def __init__(self, dimensions: int) -> None:
        self._dimensions = dimensions
        self._means = np.zeros((64, dimensions), dtype=np.float32)
        self._counts = np.zeros(64, dtype=np.int64)
        self._norms = np.zeros(64, dtype=np.float32)
        self._sides = np.zeros(64, dtype=np.uint32)
        self._objects = np.zeros(64, dtype=np.uint32)
        self._actions = np.zeros(64, dtype=np.uint32)
        self._cell_of = np.full(64, -1, dtype=np.int64)
        self._group_of: list[int] = []
        self._row_of: dict[int, int] = {}
        self._centres: npt.NDArray[np.float32] | None = None
        self._cells: list[list[int]] = []
        self._learned_at = 0
        self._pending: list[int] = []

    def __len__(self) -> int:
        return len(self._row_of)

    @property
    def cells(self) -> int:
        """How many cells the groups are split into (0: searched in full)."""
        return len(self._cells)

    @property
    def nbytes(self) -> int:
        marks = (self._sides, self._objects, self._actions)
        arrays: tuple[npt.NDArray[np.generic], ...] = (self._means, self._counts, self._norms)
        arrays += (self._cell_of, *marks)
        return sum(array.nbytes for array in arrays)

    def add(self, group_id: int, vector: npt.NDArray[np.float32], marks: Marks) -> None:
        row = self._row_of.get(group_id)
        if row is None:
            row = self._new_row(group_id)
        self._sides[row] |= np.uint32(marks.sides)
        self._objects[row] |= np.uint32(marks.objects)
        self._actions[row] |= np.uint32(marks.actions)
        count = self._counts[row] + 1
        self._counts[row] = count
        if count <= SETTLED:
            self._means[row] += (vector - self._means[row]) / count
            self._norms[row] = np.linalg.norm(self._means[row])

    def forget(self, group_id: int) -> None:
        row = self._row_of.pop(group_id, None)
        if row is None:
            return
        self._counts[row] = 0
        cell = int(self._cell_of[row])
        if cell >= 0:
            self._cells[cell].remove(row)
            self._cell_of[row] = -1

    def best(
        self, vector: npt.NDArray[np.float32], marks: Marks, *, exhaustive: bool = False
    ) -> tuple[int, float] | None:
        """The group of best score, among those not asking the opposite: the cosine to its
        mean less the penalties for other objects or actions (`exhaustive`: scoring every
        group, to measure what the cells miss)."""
        if exhaustive:
            rows = np.arange(len(self._group_of), dtype=np.int64)
        else:
            rows = self._candidates(vector)
        if rows.size == 0:
            return None
        means = self._means[rows]
        scores = (means @ vector) / np.maximum(self._norms[rows], 1e-9)
        scores -= OBJECT_PENALTY * crossed(marks.objects, self._objects[rows])
        scores -= ACTION_PENALTY * disjoint(marks.actions, self._actions[rows])
        scores[opposed(marks.sides, self._sides[rows])] = -1.0
        scores[self._counts[rows] == 0] = -1.0
        top = int(np.argmax(scores))
        if scores[top] <= -1.0:
            return None
        return self._group_of[int(rows[top])], float(scores[top])

    def _new_row(self, group_id: int) -> int:
        row = len(self._group_of)
        if row == len(self._counts):
            self._grow()
        self._group_of.append(group_id)
        self._row_of[group_id] = row
        if self._centres is not None:
            self._pending.append(row)
        if len(self._row_of) >= max(EXHAUSTIVE, 2 * self._learned_at):
            self._learn()
        return row

    def _place(self, row: int, vector: npt.NDArray[np.float32]) -> None:
        assert self._centres is not None
        cell = int(np.argmax(self._centres @ vector))
        self._cells[cell].append(row)
        self._cell_of[row] = cell

    def _grow(self) -> None:
        size = 2 * len(self._counts)
        means = np.zeros((size, self._dimensions), dtype=np.float32)
        means[: len(self._means)] = self._means
        self._means = means
        self._counts = np.resize(self._counts, size)
        self._norms = np.resize(self._norms, size)
        self._sides = np.resize(self._sides, size)
        self._objects = np.resize(self._objects, size)
        self._actions = np.resize(self._actions, size)
        self._cell_of = np.resize(self._cell_of, size)
        self._counts[len(self._group_of) :] = 0
        self._sides[len(self._group_of) :] = 0
        self._objects[len(self._group_of) :] = 0
        self._actions[len(self._group_of) :] = 0
        self._cell_of[len(self._group_of) :] = -1

    def _candidates(self, vector: npt.NDArray[np.float32]) -> npt.NDArray[np.int64]:
        if self._centres is None:
            return np.arange(len(self._group_of), dtype=np.int64)
        self._place_pending()
        nearest = np.argsort(self._centres @ vector)[-PROBES:]
        chosen = [self._cells[int(cell)] for cell in nearest]
        return np.fromiter((row for cell in chosen for row in cell), dtype=np.int64)

    def _place_pending(self) -> None:
        # A group opened since the last search has its first question as its mean.
        for row in self._pending:
            if self._counts[row] > 0 and self._cell_of[row] < 0:
                self._place(row, self._means[row])
        self._pending.clear()

    def _learn(self) -> None:
        live = np.flatnonzero(self._counts[: len(self._group_of)] > 0)
        count = live.size
        if count < EXHAUSTIVE:
            return
        cells = 2 * int(np.sqrt(count))
        generator = np.random.default_rng(count)
        sample = live if count <= _SAMPLE else generator.choice(live, _SAMPLE, replace=False)
        points = _unit(self._means[sample])
        centres = points[generator.choice(len(points), cells, replace=False)]
        for _ in range(_ROUNDS):
            nearest = np.argmax(points @ centres.T, axis=1)
            sums = np.zeros_like(centres)
            np.add.at(sums, nearest, points)
            filled = np.bincount(nearest, minlength=cells) > 0
            centres[filled] = _unit(sums[filled])
        self._centres = centres
        self._cells = [[] for _ in range(cells)]
        self._cell_of[:] = -1
        all_means = _unit(self._means[live])
        for row, cell in zip(live, np.argmax(all_means @ centres.T, axis=1), strict=True):
            self._cells[int(cell)].append(int(row))
            self._cell_of[row] = cell
        self._learned_at = count
        self._pending.clear()

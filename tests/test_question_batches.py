"""Questions' vectors made on the encoder's own thread: the same bytes as made in place,
batched when questions come together, and a failure or a cancelled asker never stops it."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

import numpy as np
import pytest

from cogs.questions.batches import VectorThread
from cogs.questions.engine import Grouper, unpack

QUESTIONS = [
    "come resetto la password?",
    "nn riesco a cambiare la pw",
    "how do I change my email?",
    "when does the tournament start",
    "c'è un modo per esportare i dati?",
    "dove trovo il regolamento?",
]


async def test_a_burst_of_questions_gets_the_vectors_made_one_by_one() -> None:
    grouper = Grouper()
    alone = [unpack(grouper.vector(text)) for text in QUESTIONS]
    together = await asyncio.gather(*(grouper.vector_soon(text) for text in QUESTIONS * 3))
    for vector, (embedding, marks) in zip(together, alone * 3, strict=True):
        batched, batched_marks = unpack(vector)
        assert batched_marks == marks
        # A batch sums in another order: the same vector, to the float16 it is stored in.
        assert np.abs(batched - embedding).max() < 1e-3


class Recorder:
    """What the thread was asked to make, batch by batch, and on which thread."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.batches: list[list[str]] = []
        self.threads: set[str] = set()
        self.fail_on = fail_on
        self.release = threading.Event()

    def __call__(self, texts: Sequence[str]) -> list[bytes]:
        self.release.wait(5)
        self.batches.append(list(texts))
        self.threads.add(threading.current_thread().name)
        if self.fail_on in texts:
            raise ValueError("cannot encode this")
        return [text.encode() for text in texts]


async def test_questions_asked_while_one_is_encoded_go_together_off_the_loop() -> None:
    made = Recorder()
    thread = VectorThread(made, most=4)
    first = asyncio.ensure_future(thread.vector("first"))
    await asyncio.sleep(0.05)  # the thread has taken it and waits to be released
    later = [asyncio.ensure_future(thread.vector(f"q{n}")) for n in range(6)]
    await asyncio.sleep(0.05)
    made.release.set()
    assert await first == b"first"
    assert [await future for future in later] == [f"q{n}".encode() for n in range(6)]
    assert made.batches == [["first"], ["q0", "q1", "q2", "q3"], ["q4", "q5"]]
    assert made.threads == {"ponte-vectors"}
    assert threading.current_thread().name not in made.threads


async def test_a_failure_reaches_its_batch_and_the_thread_goes_on() -> None:
    made = Recorder(fail_on="broken")
    made.release.set()
    thread = VectorThread(made)
    with pytest.raises(ValueError, match="cannot encode"):
        await thread.vector("broken")
    assert await thread.vector("fine") == b"fine"


async def test_a_cancelled_asker_leaves_the_others_their_vectors() -> None:
    made = Recorder()
    thread = VectorThread(made)
    gone = asyncio.ensure_future(thread.vector("gone"))
    kept = asyncio.ensure_future(thread.vector("kept"))
    await asyncio.sleep(0.05)
    gone.cancel()
    made.release.set()
    assert await kept == b"kept"
    assert gone.cancelled()


def test_one_thread_serves_every_event_loop() -> None:
    made = Recorder()
    made.release.set()
    thread = VectorThread(made)
    assert asyncio.run(thread.vector("one loop")) == b"one loop"
    assert asyncio.run(thread.vector("another")) == b"another"
    assert made.threads == {"ponte-vectors"}

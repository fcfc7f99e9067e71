"""Questions' vectors made on a thread of their own, in batches, off the event loop.

Encoding a question costs a few milliseconds of one core, most of it in numpy's matrix
products, which let go of the interpreter's lock. Made on the event loop, every question
held up every other event for that long; made here, the loop goes on with the others while
the products run on another core. And while one batch is being encoded, the questions that
arrive meanwhile wait together for the next: a burst of questions (an announcement, an
outage) is encoded several at a time, which costs each of them a fraction of one alone,
since the encoder's weights are read from memory once a batch rather than once a question.
A question alone waits for nothing: the thread takes it as soon as it is free.

One thread for the whole process, as there is one encoder; any event loop may ask."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import Callable, Sequence

log = logging.getLogger(__name__)

# The most questions encoded at once: past this a batch gains little and the first of it
# waits longer for the last.
MOST_AT_ONCE = 16

Vectors = Callable[[Sequence[str]], list[bytes]]
_Asked = tuple[str, "asyncio.Future[bytes]", asyncio.AbstractEventLoop]


class VectorThread:
    """`await thread.vector(text)`: the text's vector, from `make`, run on the thread."""

    def __init__(self, make: Vectors, most: int = MOST_AT_ONCE) -> None:
        self._make = make
        self._most = most
        self._asked: queue.SimpleQueue[_Asked] = queue.SimpleQueue()
        self._started = threading.Lock()
        self._thread: threading.Thread | None = None

    async def vector(self, text: str) -> bytes:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[bytes] = loop.create_future()
        self._start()
        self._asked.put((text, future, loop))
        return await future

    def _start(self) -> None:
        if self._thread is not None:
            return
        with self._started:
            if self._thread is None:
                # A daemon: it holds nothing to write, and the process need not wait for it.
                thread = threading.Thread(target=self._run, name="ponte-vectors", daemon=True)
                thread.start()
                self._thread = thread

    def _run(self) -> None:
        while True:
            batch = [self._asked.get()]
            while len(batch) < self._most:
                try:
                    batch.append(self._asked.get_nowait())
                except queue.Empty:
                    break
            self._encode(batch)

    def _encode(self, batch: list[_Asked]) -> None:
        try:
            made = self._make([text for text, _, _ in batch])
        except Exception as error:  # each asker gets it: one bad text must not stop the thread
            log.exception("question vectors failed", extra={"count": len(batch)})
            for _, future, loop in batch:
                _hand(loop, _fail, future, error)
            return
        for (_, future, loop), vector in zip(batch, made, strict=True):
            _hand(loop, _settle, future, vector)


def _hand(loop: asyncio.AbstractEventLoop, give: Callable[..., None], *arguments: object) -> None:
    # A loop that has closed refuses: nobody waits for this vector any more.
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(give, *arguments)


def _settle(future: asyncio.Future[bytes], vector: bytes) -> None:
    if not future.done():  # the asker may have been cancelled meanwhile
        future.set_result(vector)


def _fail(future: asyncio.Future[bytes], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)


__all__ = ["MOST_AT_ONCE", "VectorThread"]

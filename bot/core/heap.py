"""The heap of a long-running bot, settled once it has started.

Most of what a process holds is made at start and kept until it stops: the question
encoder's vocabulary, the message catalogs, SQLAlchemy's tables, the platforms' caches.
Python's cyclic collector reads every one of those objects at each full collection, and
the event loop waits meanwhile: under load such a pause took 150–180 ms, every interaction
in flight delayed by as much. Frozen after start, they are out of its reach, and a full
collection reads only what came after (benchmarks/heap.py).
"""

from __future__ import annotations

import gc


def settle_after_start() -> int:
    """Collect what start left behind, then keep the collector off the rest; how many
    objects it no longer reads."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()

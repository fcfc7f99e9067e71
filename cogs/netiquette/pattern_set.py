"""Many patterns looked for in one pass over a text, by Hyperscan: which of them it holds.

Hyperscan compiles the whole set into its automata ahead of time, so a scan costs the same
for a text it has never seen as for one it has. RE2's Set, used here before, builds its
automaton lazily, a state at a time, as texts reach new states: about 1 µs a message on
chat it had seen (the benchmark's corpus, read over and over), but 20–100 µs on the load
benchmark's chat, whose numbers the leetspeak reading turns into new letters, and 2.5 ms on
the full check's Set for unseen words. Live chat is mostly unseen.

Compiling the curated lists takes seconds (13 s in all on this project's machine), so a set
given a name is kept in a folder (`keep_in`), its file named by it and by a digest of its
patterns and of Hyperscan's version: loading it takes milliseconds. It is written under a
temporary name and renamed, so processes starting together never read half a file; a file
that does not load is compiled and written again; the files of older lists of that name are
removed. A community's own words compile in milliseconds and are never kept.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import hashlib
import importlib.metadata
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import cast

import hyperscan

from bot.storage.cache_files import remove_others, write_whole

log = logging.getLogger(__name__)

_PREFIX = "patterns-"
_DIGEST_LENGTH = 24
_folder: Path | None = None


def keep_in(folder: Path | None) -> None:
    """Where compiled sets are kept from now on in this process (None: nowhere)."""
    global _folder
    _folder = folder


def _digest(patterns: Sequence[bytes]) -> str:
    hashed = hashlib.sha256(importlib.metadata.version("hyperscan").encode())
    for pattern in patterns:
        hashed.update(len(pattern).to_bytes(4, "little"))
        hashed.update(pattern)
    return hashed.hexdigest()[:_DIGEST_LENGTH]


def _compile(patterns: Sequence[bytes]) -> hyperscan.Database:
    # Whether a pattern is there, not where: each reported once. A pattern of non-ASCII
    # letters (a community's own word) is read by characters, as RE2 did: "é{2,}" repeats
    # the letter, not its last byte; the texts scanned are UTF-8.
    flags = hyperscan.HS_FLAG_SINGLEMATCH
    if not all(pattern.isascii() for pattern in patterns):
        flags |= hyperscan.HS_FLAG_UTF8
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(
        expressions=list(patterns),
        ids=list(range(len(patterns))),
        elements=len(patterns),
        flags=[flags] * len(patterns),
    )
    _give_back_compiler_memory()
    return database


def _give_back_compiler_memory() -> None:
    """The compiler's working memory (50 MiB for the curated lists) stays in the process
    after it is freed, held by the C allocator, unless it is asked to return it."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    # Looked up once: finding the C library runs `ldconfig` (5 ms), and a community's own
    # words are compiled on the event loop.
    library = ctypes.util.find_library("c")
    trim: Callable[[int], int] | None = (
        getattr(ctypes.CDLL(library), "malloc_trim", None) if library else None
    )
    return trim  # None off glibc


def _load(path: Path) -> hyperscan.Database | None:
    try:
        database = hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
        database.scratch = hyperscan.Scratch(database)
    except (OSError, hyperscan.HyperscanError) as error:
        if path.exists():
            log.warning("compiled patterns %s unreadable (%s): compiling them again", path, error)
        return None
    return database


def _store(database: hyperscan.Database, path: Path, name: str) -> None:
    try:
        write_whole(path, lambda file: file.write(hyperscan.dumpb(database)))
    except OSError as error:
        log.warning("compiled patterns not kept in %s: %s", path.parent, error)
        return
    # Only this name's files: "lists" never takes "lists-x" with it.
    remove_others(path, f"{_PREFIX}{name}-{'?' * _DIGEST_LENGTH}.hs")


def _database(patterns: Sequence[bytes], name: str | None) -> hyperscan.Database:
    folder = _folder
    if folder is None or name is None:
        return _compile(patterns)
    path = folder / f"{_PREFIX}{name}-{_digest(patterns)}.hs"
    if (known := _load(path)) is not None:
        return known
    # Seconds for the curated lists, once a machine: an operator should see why.
    log.info("compiling %d patterns (%s), to be kept in %s", len(patterns), name, folder)
    database = _compile(patterns)
    _store(database, path, name)
    return database


class PatternSet:
    """`patterns` (Hyperscan's syntax, which RE2's shares for these: classes, repeats,
    alternation, ^ and $), compiled once; calling it with a text answers the indexes of
    the patterns found in it, in no set order. Safe from any thread: Hyperscan serialises
    scans of one database. `kept_as`: the name it is kept under, if it is worth keeping."""

    def __init__(self, patterns: Sequence[str], kept_as: str | None = None) -> None:
        if not patterns:
            raise ValueError("a pattern set needs at least one pattern")
        encoded = [pattern.encode("utf-8") for pattern in patterns]
        self._scan = _database(encoded, kept_as).scan

    def __call__(self, text: bytes) -> list[int]:
        found: list[int] = []
        # A clean text, almost every one, never calls back.
        self._scan(text, match_event_handler=_collect, context=found)
        return found


def _collect(index: int, start: int, end: int, flags: int, found: object) -> None:
    cast("list[int]", found).append(index)


__all__ = ["PatternSet", "keep_in"]

"""Files Ponte derives from what it installs, kept in its cache folder (`CACHE_DIR`): the
question encoder's token table, the netiquette's compiled lists. Each is written whole
under a temporary name and renamed, so processes starting together never read half a
file; the one it replaces (an older version of the same thing) is then removed."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_whole(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """`path` as `write` fills it, or left as it was if that fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=path.name, dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            write(handle)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def remove_others(path: Path, pattern: str) -> None:
    """The files of `path`'s folder that `pattern` matches, `path` itself excepted."""
    for other in path.parent.glob(pattern):
        if other != path:
            other.unlink(missing_ok=True)


__all__ = ["remove_others", "write_whole"]

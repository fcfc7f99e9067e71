"""The encoder's token table read from a file rather than held in memory.

The sentence encoder looks up one 512-byte row of its table per token: a question reads a few
dozen of the 128,010 rows, yet the package holds all 62.5 MiB of them in every process. Here
the table is written once, as it is, to a file of its own beside the other caches, and each
lookup reads its rows from it with `pread`: the rows in use stay in the operating system's
page cache, shared by every process of the machine and given back under memory pressure,
instead of each process keeping the whole table. A memory map would not do: the kernel maps
the neighbours of each page read, and a few hundred questions map the whole file.

The file is named by a digest of the package's weights, so a new release of them gets a new
file; it is written to a temporary name and renamed, so processes starting together never
read half a file."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.storage.cache_files import remove_others, write_whole

log = logging.getLogger(__name__)

_PREFIX = "encoder-table-"


class RowsOnDisk:
    """A read-only table of rows, indexed like the array it replaces: `table[ids]`."""

    def __init__(self, path: Path, shape: tuple[int, int], offset: int) -> None:
        self.path = path
        self.shape = shape
        self._width = shape[1]
        self._offset = offset
        self._descriptor = os.open(path, os.O_RDONLY)

    def __getitem__(self, ids: npt.NDArray[np.int64]) -> npt.NDArray[np.uint8]:
        wanted, where = np.unique(np.asarray(ids, dtype=np.int64), return_inverse=True)
        if len(wanted) and (wanted[0] < 0 or wanted[-1] >= self.shape[0]):
            raise IndexError("token id outside the encoder's table")
        width, offset, descriptor = self._width, self._offset, self._descriptor
        rows = np.empty((len(wanted), width), dtype=np.uint8)
        for slot, row in enumerate(wanted.tolist()):
            if os.preadv(descriptor, [rows[slot]], offset + row * width) != width:
                raise OSError(f"the encoder's table {self.path} is cut short")
        return rows[where.reshape(np.shape(ids))]

    def close(self) -> None:
        os.close(self._descriptor)


def digest(source: Path) -> str:
    """What names the table's file: the weights it was read from."""
    hashed = hashlib.sha256()
    with source.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            hashed.update(chunk)
    return hashed.hexdigest()[:16]


def table_file(table: npt.NDArray[np.uint8], source: Path, folder: Path) -> Path:
    """The table's file in `folder`, written from `table` if it is not there yet."""
    path = folder / f"{_PREFIX}{digest(source)}.npy"
    if path.exists():
        return path
    write_whole(path, lambda file: np.save(file, np.ascontiguousarray(table), allow_pickle=False))
    remove_others(path, f"{_PREFIX}*.npy")  # tables of weights no longer installed
    return path


def open_rows(path: Path, shape: tuple[int, int]) -> RowsOnDisk:
    """The table written by `table_file`, checked to be the shape the encoder expects."""
    with path.open("rb") as handle:
        version = np.lib.format.read_magic(handle)
        if version == (1, 0):
            found, fortran, dtype = np.lib.format.read_array_header_1_0(handle)
        else:
            found, fortran, dtype = np.lib.format.read_array_header_2_0(handle)
        offset = handle.tell()
    size = path.stat().st_size
    if (
        tuple(found) != shape
        or fortran
        or np.dtype(dtype) != np.uint8
        or size != offset + shape[0] * shape[1]
    ):
        raise ValueError(f"{path} is not the encoder's table")
    return RowsOnDisk(path, shape, offset)


def rows_on_disk(table: npt.NDArray[np.uint8], source: Path, folder: Path) -> RowsOnDisk | None:
    """The table read from its file in `folder` (written first if needed, and again if it
    was damaged), or None where that cannot be (a read-only or full disk): the table then
    stays in memory."""
    shape = (int(table.shape[0]), int(table.shape[1]))
    try:
        path = table_file(table, source, folder)
        try:
            return open_rows(path, shape)
        except ValueError:
            path.unlink(missing_ok=True)
            return open_rows(table_file(table, source, folder), shape)
    except (OSError, ValueError) as error:
        log.warning(
            "encoder table kept in memory", extra={"folder": str(folder), "error": str(error)}
        )
        return None


__all__ = ["RowsOnDisk", "digest", "open_rows", "rows_on_disk", "table_file"]

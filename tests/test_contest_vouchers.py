"""A voucher code is handed out once, even under concurrent claims by two processes, on
SQLite and on PostgreSQL; a file of codes is checked whole before anything is stored."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.core.errors import UserFacingError
from bot.core.model import Community, Member
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from cogs.contests.models import GIVEAWAY, VoucherCode
from cogs.contests.service import ContestService
from cogs.contests.vouchers import Vouchers, parse_codes
from tests.postgres import fresh_postgres


async def _race(url: str) -> None:
    await asyncio.to_thread(upgrade, url)
    first, second = Database(url), Database(url)
    try:
        now = datetime.now(UTC)
        contest_id = await ContestService(first).create(
            Community("console", "c1", "Test"),
            "general",
            Member("console", "c1", "mara", "mara"),
            kind=GIVEAWAY,
            title="Buono",
            winners=12,
            now=now,
            ends_at=now + timedelta(hours=1),
        )
        a, b = Vouchers(first), Vouchers(second)
        stock = await a.add(contest_id, [f"CODE-{number:02d}" for number in range(8)])
        assert (stock.added, stock.available) == (8, 8)
        winners = [f"w{number}" for number in range(12)]
        # Every winner claims twice at once (a double click), through both processes.
        claims = await asyncio.gather(
            *(
                service.take(contest_id, winner, now)
                for winner in winners
                for service in (a, b, b, a)
            )
        )
        by_winner: dict[str, set[str]] = {}
        for (winner, _), claim in zip(
            ((w, s) for w in winners for s in range(4)), claims, strict=True
        ):
            if claim is not None:
                by_winner.setdefault(winner, set()).add(claim.code)
        # Each winner got at most one code, the same at every claim; no code went twice.
        assert all(len(codes) == 1 for codes in by_winner.values())
        handed = [next(iter(codes)) for codes in by_winner.values()]
        assert len(handed) == 8 and len(set(handed)) == 8
        async with first.session() as session:
            rows = (
                await session.scalars(
                    select(VoucherCode).where(VoucherCode.contest_id == contest_id)
                )
            ).all()
        assert sorted(row.code for row in rows if row.winner_id) == sorted(handed)
        assert await a.available(contest_id) == 0
        assert await b.take(contest_id, "late", now) is None
    finally:
        await first.dispose()
        await second.dispose()


async def test_concurrent_claims_on_sqlite_hand_each_code_out_once(tmp_path: Path) -> None:
    await _race(f"sqlite+aiosqlite:///{tmp_path / 'codes.db'}")


async def test_concurrent_claims_on_postgres_hand_each_code_out_once() -> None:
    async with fresh_postgres() as url:
        await _race(url)


def test_a_codes_file_is_checked_whole() -> None:
    assert parse_codes(b"\xef\xbb\xbfAAA\n\n BBB \nAAA\r\nCCC") == ["AAA", "BBB", "CCC"]
    for data, key in (
        (b"\xff\xfe\x00binary", "contests.codes_not_text"),
        (b"ok\x00", "contests.codes_not_text"),
        (b"\n \n", "contests.codes_empty"),
        (b"ok\n" + b"x" * 201, "contests.code_too_long"),
    ):
        with pytest.raises(UserFacingError) as raised:
            parse_codes(data)
        assert raised.value.key == key

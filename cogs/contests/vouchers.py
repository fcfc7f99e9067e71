"""Voucher codes: uploaded privately, each handed to one winner once.

A code is taken by one conditional UPDATE (`… WHERE winner_id IS NULL`) that picks its
candidate in a subquery; on PostgreSQL the candidate is locked with FOR UPDATE SKIP
LOCKED, so two processes claiming at once take different codes instead of waiting on the
same one. The unique constraint on
(contest, winner) makes a winner's second claim find the code they already hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from bot.core.errors import UserFacingError
from bot.storage.database import Database
from cogs.contests.models import VoucherCode

MAX_CODE = 200
MAX_CODES = 5000
# A code taken by another claim in the moment between choosing and taking it: try the next.
ATTEMPTS = 20


def parse_codes(data: bytes) -> list[str]:
    """One code a line; blank lines and repeats are dropped. Bad files are refused whole."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserFacingError("contests.codes_not_text") from None
    if "\x00" in text:
        raise UserFacingError("contests.codes_not_text")
    codes: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        code = line.strip()
        if not code or code in seen:
            continue
        if len(code) > MAX_CODE:
            raise UserFacingError("contests.code_too_long", line=number, limit=MAX_CODE)
        seen.add(code)
        codes.append(code)
    if not codes:
        raise UserFacingError("contests.codes_empty")
    if len(codes) > MAX_CODES:
        raise UserFacingError("contests.codes_too_many", limit=MAX_CODES)
    return codes


@dataclass(frozen=True, slots=True)
class Stock:
    added: int
    skipped: int  # already stored for this contest
    available: int


@dataclass(frozen=True, slots=True)
class Claim:
    code: str
    delivered: bool  # already sent by DM once


class Vouchers:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, contest_id: int, codes: list[str]) -> Stock:
        async with self.db.session() as session:
            known = set(
                (
                    await session.scalars(
                        select(VoucherCode.code).where(VoucherCode.contest_id == contest_id)
                    )
                ).all()
            )
            fresh = [code for code in codes if code not in known]
            session.add_all(VoucherCode(contest_id=contest_id, code=code) for code in fresh)
            await session.flush()
            available = await session.scalar(
                select(func.count()).where(
                    VoucherCode.contest_id == contest_id, VoucherCode.winner_id.is_(None)
                )
            )
        return Stock(len(fresh), len(codes) - len(fresh), int(available or 0))

    async def held(self, contest_id: int, member_id: str) -> Claim | None:
        async with self.db.session() as session:
            row = await session.scalar(
                select(VoucherCode).where(
                    VoucherCode.contest_id == contest_id, VoucherCode.winner_id == member_id
                )
            )
            return Claim(row.code, row.delivered_at is not None) if row else None

    async def has_codes(self, contest_id: int) -> bool:
        async with self.db.session() as session:
            found = await session.scalar(
                select(VoucherCode.id).where(VoucherCode.contest_id == contest_id).limit(1)
            )
            return found is not None

    async def take(self, contest_id: int, member_id: str, now: datetime) -> Claim | None:
        """The member's code: the one they hold, or a free one now theirs; None when none
        is left."""
        for _ in range(ATTEMPTS):
            held = await self.held(contest_id, member_id)
            if held is not None:
                return held
            candidate = (
                select(VoucherCode.id)
                .where(VoucherCode.contest_id == contest_id, VoucherCode.winner_id.is_(None))
                .order_by(VoucherCode.id)
                .limit(1)
            )
            if self.db.dialect == "postgresql":
                candidate = candidate.with_for_update(skip_locked=True)
            try:
                async with self.db.writing() as session:
                    # The transaction's first statement writes: SQLite takes its write lock
                    # here, where a read first would fail at once with "database is locked"
                    # once another claim had committed.
                    code = await session.scalar(
                        update(VoucherCode)
                        .where(
                            VoucherCode.id == candidate.scalar_subquery(),
                            VoucherCode.winner_id.is_(None),
                        )
                        .values(winner_id=member_id, assigned_at=now)
                        .returning(VoucherCode.code)
                    )
                    if code is not None:
                        return Claim(code, False)
                if not await self.available(contest_id):
                    return None
            except IntegrityError:
                continue  # this member's other claim took a code first: read it back
        return await self.held(contest_id, member_id)

    async def delivered(self, contest_id: int, member_id: str, now: datetime) -> None:
        async with self.db.session() as session:
            await session.execute(
                update(VoucherCode)
                .where(VoucherCode.contest_id == contest_id, VoucherCode.winner_id == member_id)
                .values(delivered_at=now)
            )

    async def available(self, contest_id: int) -> int:
        async with self.db.session() as session:
            count = await session.scalar(
                select(func.count()).where(
                    VoucherCode.contest_id == contest_id, VoucherCode.winner_id.is_(None)
                )
            )
        return int(count or 0)

"""What a contest's end left undone when the process died half way: the close and the draw
are one transaction, but the announcement and each prize come after it. At the next start
each contest closed in the last day is looked at: its draw (or results) posted if no such
message is remembered, and each winner's code sent if it was never marked delivered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from bot.storage.models import SentMessage
from cogs.contests.models import CLOSED, Contest
from cogs.contests.service import ContestView

if TYPE_CHECKING:
    from cogs.contests.closing import Closing

RECOVER = "contest-recover"
AT_START = datetime(2000, 1, 1, tzinfo=UTC)  # a deadline long past: runs at the start
# Older closes are not looked at: a winner has had a day to ask with /contest claim.
WINDOW = timedelta(days=1)


def announcement_key(contest: ContestView) -> str:
    if contest.is_giveaway:
        return f"contest-draw:{contest.id}:0"
    return f"contest-results:{contest.id}"


class Recovery:
    def __init__(self, closing: Closing) -> None:
        self.closing = closing
        self.services = closing.services

    async def recently_closed(self) -> list[int]:
        since = self.services.clock.now() - WINDOW
        async with self.services.db.session() as session:
            rows = await session.scalars(
                select(Contest.id)
                .where(Contest.state == CLOSED, Contest.closed_at >= since)
                .order_by(Contest.id)
            )
            return list(rows)

    async def _announced(self, contest: ContestView) -> bool:
        async with self.services.db.session() as session:
            found = await session.scalar(
                select(SentMessage.id)
                .where(
                    SentMessage.platform == contest.platform,
                    SentMessage.community_id == contest.community_id,
                    SentMessage.key == announcement_key(contest),
                )
                .limit(1)
            )
            return found is not None

    async def finish(self, key: str) -> None:
        closing = self.closing
        contest = await closing.contests.view(int(key))
        if contest is None or contest.state != CLOSED:
            return
        if self.services.scheduler.defer_if_recent(RECOVER, key, contest.closed_at):
            return
        winners = await closing.winners.of(contest.id)
        if not await self._announced(contest):
            await closing.redraw(contest.id)
            if contest.is_giveaway:
                entries = [entry.member_id for entry in await closing.contests.entries(contest.id)]
                await closing.publish_draw(contest, winners, entries, first=0, round_=0)
            else:
                await closing._publish_results(contest, winners)
            await closing.send_prizes(contest, winners)
            return
        if not await closing.vouchers.has_codes(contest.id):
            return  # the draw went out, and with it the prizes' DMs
        renderer = await closing.renderer(contest.community)
        for winner in winners:
            held = await closing.vouchers.held(contest.id, winner.member_id)
            if held is not None and held.delivered:
                continue
            # Never sent, or sent and not marked: the same code again, never a second one.
            outcome = await closing.prizes.deliver(contest, winner.member_id, renderer)
            if held is None:
                member = closing._member(contest, winner.member_id, winner.member_name)
                await closing.prizes.tell_channel(contest, member, outcome, renderer)

"""Staff's tools after the start: a reroll, voucher codes (a file or a pasted form), the
entries as a CSV file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.cards import Form, FormField, Message
from bot.core.commands import Arguments
from bot.core.context import Context
from bot.core.errors import UserFacingError
from bot.core.model import Attachment, Role
from cogs.contests.export import csv_bytes
from cogs.contests.models import CLOSED
from cogs.contests.service import ContestView
from cogs.contests.vouchers import parse_codes

if TYPE_CHECKING:
    from cogs.contests.cog import ContestsCog

MAX_PASTE = 4000  # a Discord modal's paragraph holds 4000 characters


class StaffTools:
    def __init__(self, cog: ContestsCog) -> None:
        self.cog = cog
        self.closing = cog.closing

    async def reroll(self, ctx: Context, args: Arguments) -> None:
        contest = await self.cog.found(ctx, args.integer("id") or 0)
        if not contest.is_giveaway:
            raise UserFacingError("contests.no_draw")
        if contest.state != CLOSED:
            raise UserFacingError("contests.reroll_open")
        result = await self.closing.winners.reroll(
            contest.id, args.integer("count", 1) or 1, self.cog.services.clock.now()
        )
        if result is None:
            raise UserFacingError("contests.reroll_open")
        if not result.winners:
            raise UserFacingError("contests.nobody_left")
        after = await self.closing.contests.view(contest.id)
        assert after is not None
        every = await self.closing.winners.of(contest.id)
        fresh = [winner for winner in every if winner.member_id in result.winners]
        # The same entries as the first draw: with the counters, they replay every round.
        entries = [entry.member_id for entry in await self.closing.contests.entries(contest.id)]
        await self.closing.publish_draw(
            after, fresh, entries, first=contest.draw_counter, round_=max(w.round for w in fresh)
        )
        await self.closing.redraw(contest.id)
        await self.closing.send_prizes(after, fresh)
        await ctx.reply(ctx.t("contests.rerolled_by_you", count=len(fresh)), ephemeral=True)

    async def codes(self, ctx: Context, args: Arguments) -> None:
        contest = await self.cog.found(ctx, args.integer("id") or 0)
        file = args.attachment("file")
        if file is None:
            await ctx.open_form(
                Form(
                    self.cog.component("codes", contest.id),
                    ctx.t("contests.form.codes_title", id=contest.id),
                    (
                        FormField(
                            "codes",
                            ctx.t("contests.form.codes"),
                            multiline=True,
                            max_length=MAX_PASTE,
                        ),
                    ),
                )
            )
            return
        await self._store(ctx, contest, file.data)

    async def codes_pasted(self, ctx: Context, contest_id: int, text: str) -> None:
        contest = await self.cog.found(ctx, contest_id)
        await self._store(ctx, contest, text.encode("utf-8"))

    async def _store(self, ctx: Context, contest: ContestView, data: bytes) -> None:
        # A form is answered by whoever the platform says; the command's check is repeated.
        ctx.require(Role.STAFF)
        stock = await self.closing.vouchers.add(contest.id, parse_codes(data))
        await ctx.reply(
            ctx.t(
                "contests.codes_added",
                added=stock.added,
                skipped=stock.skipped,
                available=stock.available,
                id=contest.id,
            ),
            ephemeral=True,
        )
        if contest.state == CLOSED:
            # Winners who found no code left get one now.
            waiting = [
                winner
                for winner in await self.closing.winners.of(contest.id)
                if await self.closing.vouchers.held(contest.id, winner.member_id) is None
            ]
            await self.closing.send_prizes(contest, waiting)

    async def export(self, ctx: Context, args: Arguments) -> None:
        contest = await self.cog.found(ctx, args.integer("id") or 0)
        entries = await self.closing.contests.entries(contest.id)
        ranks = {
            winner.member_id: winner.rank for winner in await self.closing.winners.of(contest.id)
        }
        header = ctx.t("contests.csv_header").split(",")
        rows = [
            (
                entry.number,
                entry.member_id,
                entry.member_name,
                entry.entered_at.isoformat(),
                entry.content,
                entry.file_name or "",
                entry.votes,
                ranks.get(entry.member_id, ""),
            )
            for entry in entries
        ]
        data = csv_bytes(header, rows)
        file = Attachment(f"contest-{contest.id}.csv", data, "text/csv")
        await ctx.reply(
            Message(text=ctx.t("contests.exported", count=len(rows), id=contest.id), files=(file,)),
            ephemeral=True,
        )

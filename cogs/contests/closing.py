"""A contest's phases after the start: voting opens, the contest ends, winners are drawn
or ranked, the draw is published and prizes go out; the card follows each step."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.cards import Card, Message
from bot.core.context import Context
from bot.core.model import Attachment, Community, Member, MessageRef
from cogs.contests.draw import entries_file
from cogs.contests.models import BY_STAFF, CLOSED, OPEN
from cogs.contests.prizes import Prizes
from cogs.contests.render import ContestRenderer
from cogs.contests.service import ContestService, ContestView, EntryView
from cogs.contests.voting import Voting
from cogs.contests.vouchers import Vouchers
from cogs.contests.winners import Winners, WinnerView

if TYPE_CHECKING:
    from cogs.contests.cog import ContestsCog

log = logging.getLogger(__name__)
# The scheduler's kinds of deadline: a contest ends; a submission contest's voting opens.
END = "contest-end"
VOTE = "contest-vote"
# The entries' files go with the voting announcement: Discord takes 10 a message, and
# a few megabytes keep Slack and Discord uploads quick.
MAX_FILES = 10
MAX_FILE_BYTES = 8 * 1024 * 1024


class Closing:
    def __init__(self, cog: ContestsCog) -> None:
        self.cog = cog
        self.services = cog.services
        db = cog.services.db
        self.contests = ContestService(db)
        self.voting = Voting(db)
        self.winners = Winners(db)
        self.vouchers = Vouchers(db)
        self.prizes = Prizes(cog.services, self.vouchers)

    # -- rendering -------------------------------------------------------------------

    def renderer_for(self, ctx: Context) -> ContestRenderer:
        return ContestRenderer(self.services.translator, ctx.language, ctx.timezone)

    async def renderer(self, community: Community) -> ContestRenderer:
        communities = self.services.communities
        return ContestRenderer(
            self.services.translator,
            await communities.language(community),
            await communities.timezone(community),
        )

    def _member(self, contest: ContestView, member_id: str, name: str) -> Member:
        return Member(contest.platform, contest.community_id, member_id, name)

    def _mention(self, contest: ContestView) -> Callable[[str, str], str]:
        platform = self.services.platforms.get(contest.platform)
        return lambda member_id, name: platform.mention(self._member(contest, member_id, name))

    def card(
        self,
        renderer: ContestRenderer,
        contest: ContestView,
        entries: Sequence[EntryView],
        winners: Sequence[WinnerView] = (),
    ) -> Message:
        cog = self.cog
        card: Card
        if contest.is_giveaway:
            enter = cog.component("enter", contest.id)
            if contest.state == CLOSED:
                card = renderer.giveaway_closed(contest, enter, winners, self._mention(contest))
            else:
                card = renderer.giveaway(contest, enter)
        elif contest.state == OPEN:
            card = renderer.submissions(contest, cog.component("submit", contest.id))
        elif contest.state == CLOSED:
            card = renderer.submissions_closed(contest, entries, winners, self._mention(contest))
        else:
            card = renderer.voting(
                contest, entries, lambda number: cog.component("vote", contest.id, number)
            )
        return Message(card=card)

    async def redraw(self, contest_id: int, ctx: Context | None = None) -> None:
        """Draw the card again from the rows: on the pressed message, or by an edit."""
        contest = await self.contests.view(contest_id)
        if contest is None or contest.message_id is None:
            return
        entries = [] if contest.is_giveaway else await self.contests.entries(contest_id)
        winners = await self.winners.of(contest_id) if contest.state == CLOSED else []
        renderer = await self.renderer(contest.community)
        message = self.card(renderer, contest, entries, winners)
        ref = MessageRef(
            contest.platform, contest.community_id, contest.channel_id, contest.message_id
        )
        try:
            if ctx is not None and ctx.message == ref:
                await ctx.update(message)
            else:
                await self.services.outbox.edit(ref, message)
        except Exception:
            log.exception("could not update the contest's card", extra={"contest": contest_id})

    # -- phases ----------------------------------------------------------------------

    async def start_voting(self, contest_id: int) -> None:
        contest = await self.contests.view(contest_id)
        if contest is None or contest.entries == 0:
            # Nobody submitted anything: there is nothing to vote on.
            await self.finish(contest_id)
            return
        if not await self.contests.start_voting(contest_id):
            return
        self.services.scheduler.schedule(END, str(contest_id), contest.ends_at)
        await self.redraw(contest_id)
        renderer = await self.renderer(contest.community)
        key = "contests.judging_open" if contest.judging == BY_STAFF else "contests.voting_open"
        text = renderer.t(
            key, title=contest.title, count=contest.entries, when=renderer.when(contest.ends_at)
        )
        files = await self.contests.entry_files(contest_id, MAX_FILES, MAX_FILE_BYTES)
        if files:
            text = f"{text}\n{renderer.t('contests.voting_files')}"
        await self.services.outbox.send(
            contest.community, contest.channel_id, Message(text=text, files=tuple(files))
        )

    async def finish(self, contest_id: int, when: datetime | None = None) -> bool:
        """End once, whoever asks first; then publish the winners and send the prizes."""
        before = await self.contests.view(contest_id)
        if before is None or not await self.contests.close(
            contest_id, when or self.services.clock.now()
        ):
            return False
        self.services.scheduler.cancel(END, str(contest_id))
        self.services.scheduler.cancel(VOTE, str(contest_id))
        contest = await self.contests.view(contest_id)
        assert contest is not None
        await self.redraw(contest_id)
        winners = await self.winners.of(contest_id)
        if contest.is_giveaway:
            entries = [entry.member_id for entry in await self.contests.entries(contest_id)]
            await self.publish_draw(contest, winners, entries, first=before.draw_counter, round_=0)
        else:
            await self._publish_results(contest, winners)
        await self.send_prizes(contest, winners)
        return True

    async def publish_draw(
        self,
        contest: ContestView,
        winners: Sequence[WinnerView],
        entries: Sequence[str],
        *,
        first: int,
        round_: int,
    ) -> None:
        renderer = await self.renderer(contest.community)
        mention = self._mention(contest)
        pool = sorted(entries)
        text = renderer.draw_text(
            contest,
            [mention(winner.member_id, winner.member_name) for winner in winners],
            first=first,
            counter=contest.draw_counter,
            reroll=round_,
            pool=pool,
        )
        listing = Attachment(f"contest-{contest.id}-entries.txt", entries_file(pool), "text/plain")
        await self.services.outbox.send(
            contest.community,
            contest.channel_id,
            Message(text=text, files=(listing,) if pool else ()),
            key=f"contest-draw:{contest.id}:{round_}",
        )

    async def _publish_results(self, contest: ContestView, winners: Sequence[WinnerView]) -> None:
        renderer = await self.renderer(contest.community)
        mention = self._mention(contest)
        names = ", ".join(mention(winner.member_id, winner.member_name) for winner in winners)
        key = "contests.results" if winners else "contests.results_none"
        text = renderer.t(key, title=contest.title, winners=names, count=contest.entries)
        await self.services.outbox.send(
            contest.community,
            contest.channel_id,
            Message(text=text),
            key=f"contest-results:{contest.id}",
        )

    async def send_prizes(self, contest: ContestView, winners: Sequence[WinnerView]) -> None:
        renderer = await self.renderer(contest.community)
        for winner in winners:
            try:
                outcome = await self.prizes.deliver(contest, winner.member_id, renderer)
                member = self._member(contest, winner.member_id, winner.member_name)
                await self.prizes.tell_channel(contest, member, outcome, renderer)
            except Exception:
                log.exception("could not send a prize", extra={"contest": contest.id})

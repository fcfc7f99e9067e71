"""`/poll`: create, vote with buttons, close by deadline, by the author or a moderator."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.cards import Message
from bot.core.cog import Cog, ComponentId
from bot.core.commands import Arguments, Choice, Command, Option, OptionKind
from bot.core.context import Context
from bot.core.errors import PermissionDenied, UserFacingError
from bot.core.model import Community, MessageRef, Role
from bot.core.privacy import PersonalData
from bot.core.reports import ReportPeriod, ReportSection
from bot.core.services import Services
from cogs.polls.catchup import results_key, results_posted, unposted_results
from cogs.polls.export import results_csv
from cogs.polls.form import form_arguments, poll_form
from cogs.polls.privacy import PollsData
from cogs.polls.render import PollRenderer
from cogs.polls.service import PollService, PollView, VoteOutcome

log = logging.getLogger(__name__)
DEADLINE = "poll-deadline"
RESULTS = "poll-results"
AT_START = datetime(2000, 1, 1, tzinfo=UTC)  # a deadline long past: runs at the start
MAX_OPTIONS = 10
MAX_QUESTION = 240  # an embed title holds 256 characters, the icon included
MAX_LABEL = 75  # Slack's and Discord's button text limits
MIN_DURATION = timedelta(minutes=1)
MAX_DURATION = timedelta(days=90)


class PollsCog(Cog):
    name = "polls"

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.polls = PollService(services.db)
        services.scheduler.on(DEADLINE, self._deadline)
        services.scheduler.on(RESULTS, self._results_lost)
        self._commands = self._declare()

    def personal_data(self) -> PersonalData:
        return PollsData(self.services.db)

    def commands(self) -> list[Command]:
        return self._commands

    def _declare(self) -> list[Command]:
        options = (
            Option(
                "question",
                OptionKind.STRING,
                "polls.opt.question",
                required=True,
                max_length=MAX_QUESTION,
            ),
            *(
                Option(
                    f"option{number}",
                    OptionKind.STRING,
                    "polls.opt.option",
                    required=number <= 2,
                    max_length=MAX_LABEL,
                )
                for number in range(1, MAX_OPTIONS + 1)
            ),
            Option(
                "duration",
                OptionKind.DURATION,
                "polls.opt.duration",
                min_duration=MIN_DURATION,
                max_duration=MAX_DURATION,
            ),
            Option("anonymous", OptionKind.BOOLEAN, "polls.opt.anonymous"),
            Option("multiple", OptionKind.BOOLEAN, "polls.opt.multiple"),
            Option(
                "results",
                OptionKind.CHOICE,
                "polls.opt.results",
                choices=(
                    Choice("live", "polls.choice.results_live"),
                    Choice("hidden", "polls.choice.results_hidden"),
                ),
            ),
        )
        return [
            Command(
                "poll",
                "polls.cmd",
                default_subcommand="create",
                form=self.open_form,
                subcommands=(
                    Command(
                        "create",
                        "polls.cmd.create",
                        options,
                        self.create,
                        usage="polls.usage.create",
                    ),
                    Command("list", "polls.cmd.list", (), self.list_open),
                    Command(
                        "close",
                        "polls.cmd.close",
                        (
                            Option(
                                "poll",
                                OptionKind.INTEGER,
                                "polls.opt.poll",
                                required=True,
                                min_value=1,
                            ),
                        ),
                        self.close_command,
                        usage="polls.usage.close",
                    ),
                    Command(
                        "export",
                        "polls.cmd.export",
                        (
                            Option(
                                "poll",
                                OptionKind.INTEGER,
                                "polls.opt.poll",
                                required=True,
                                min_value=1,
                            ),
                        ),
                        self.export,
                        permission=Role.STAFF,
                        usage="polls.usage.export",
                    ),
                ),
            )
        ]

    async def start(self) -> None:
        await self.reschedule()
        # Run as soon as the scheduler starts, once the platforms are connected.
        for poll_id in await unposted_results(self.services.db, self.services.clock.now()):
            self.services.scheduler.schedule(RESULTS, str(poll_id), AT_START)

    async def reschedule(self) -> None:
        for poll_id, closes_at in await self.polls.deadlines():
            self.services.scheduler.schedule(DEADLINE, str(poll_id), closes_at)

    async def _results_lost(self, key: str) -> None:
        """Show the final card and post the results of a poll closed by a process that
        stopped before it could."""
        poll = await self.polls.view(int(key), with_voters=True)
        if poll is None or poll.is_open:
            return
        if await results_posted(self.services.db, poll.platform, poll.community_id, poll.id):
            return  # another process got there first
        if self.services.scheduler.defer_if_recent(RESULTS, key, poll.closed_at):
            return
        community = Community(poll.platform, poll.community_id, "")
        renderer = await self._renderer(community)
        if poll.message_id is not None:
            ref = MessageRef(poll.platform, poll.community_id, poll.channel_id, poll.message_id)
            final = Message(card=renderer.closed(poll, self._vote_ids(poll.id)))
            await self.services.outbox.edit(ref, final)
        await self.services.outbox.send(
            community,
            poll.channel_id,
            Message(card=renderer.results(poll)),
            key=results_key(poll.id),
        )

    async def report_section(self, period: ReportPeriod) -> ReportSection | None:
        """The weekly digest's part: the polls closed in the week, with their results."""
        closed = await self.polls.closed_between(period.community, period.since, period.until)
        if not closed:
            return None
        renderer = PollRenderer(self.services.translator, period.language, period.timezone)
        lines = tuple(renderer.report_line(poll) for poll in closed[:10])
        return ReportSection(renderer.t("polls.report_title"), lines, order=50)

    # -- rendering -----------------------------------------------------------------

    async def _renderer(self, community: Community) -> PollRenderer:
        communities = self.services.communities
        return PollRenderer(
            self.services.translator,
            await communities.language(community),
            await communities.timezone(community),
        )

    def _renderer_for(self, ctx: Context) -> PollRenderer:
        return PollRenderer(self.services.translator, ctx.language, ctx.timezone)

    def _vote_ids(self, poll_id: int) -> Callable[[int], str]:
        return lambda position: self.component("vote", poll_id, position)

    def _live(self, renderer: PollRenderer, poll: PollView) -> Message:
        card = renderer.live(poll, self._vote_ids(poll.id), self.component("close", poll.id))
        return Message(card=card)

    # -- commands ------------------------------------------------------------------

    async def create(self, ctx: Context, args: Arguments) -> None:
        question = args.string("question") or ""
        labels = [
            label
            for number in range(1, MAX_OPTIONS + 1)
            if (label := args.string(f"option{number}"))
        ]
        if len(labels) < 2:
            raise UserFacingError("polls.too_few_options")
        if len({label.casefold() for label in labels}) != len(labels):
            raise UserFacingError("polls.duplicate_options")
        now = self.services.clock.now()
        duration = args.duration("duration")
        closes_at = now + duration if duration else None
        poll_id = await self.polls.create(
            ctx.community,
            ctx.channel.id,
            ctx.member,
            question,
            labels,
            anonymous=args.boolean("anonymous"),
            multiple=args.boolean("multiple"),
            now=now,
            closes_at=closes_at,
            results_hidden=args.string("results") == "hidden",
        )
        poll = await self.polls.view(poll_id)
        assert poll is not None
        renderer = self._renderer_for(ctx)
        try:
            ref = await ctx.reply(self._live(renderer, poll), key=f"poll:{poll_id}")
        except Exception:
            await self.polls.discard(poll_id)  # a poll nobody can see must not close later
            raise
        if ref is not None:
            await self.polls.attach_message(poll_id, ref.channel_id, ref.message_id)
        if closes_at is not None:
            self.services.scheduler.schedule(DEADLINE, str(poll_id), closes_at)

    async def open_form(self, ctx: Context, args: Arguments) -> None:
        await ctx.open_form(poll_form(ctx.t, self.component("form")))

    async def on_form(
        self, ctx: Context, component: ComponentId, values: Mapping[str, str]
    ) -> None:
        if component.action != "form":
            raise UserFacingError("errors.unknown_button")
        create = self._commands[0].subcommand("create")
        assert create is not None
        await self.create(ctx, await form_arguments(create.options, values, ctx.community.id))

    async def list_open(self, ctx: Context, args: Arguments) -> None:
        renderer = self._renderer_for(ctx)
        await ctx.reply(
            renderer.listing(await self.polls.open_polls(ctx.community)), ephemeral=True
        )

    async def close_command(self, ctx: Context, args: Arguments) -> None:
        poll_id = args.integer("poll") or 0
        poll = await self.polls.view(poll_id)
        if poll is None or (poll.platform, poll.community_id) != (
            ctx.community.platform,
            ctx.community.id,
        ):
            raise UserFacingError("polls.not_found", id=poll_id)
        self._check_may_close(ctx, poll)
        if not await self._finish(poll_id, closed_by=ctx.member.id):
            raise UserFacingError("polls.already_closed")
        await ctx.reply(ctx.t("polls.closed_by_you", question=poll.question), ephemeral=True)

    async def export(self, ctx: Context, args: Arguments) -> None:
        poll_id = args.integer("poll") or 0
        poll = await self.polls.view(poll_id, with_voters=True)
        if poll is None or (poll.platform, poll.community_id) != (
            ctx.community.platform,
            ctx.community.id,
        ):
            raise UserFacingError("polls.not_found", id=poll_id)
        if poll.is_open:
            raise UserFacingError("polls.export_open")
        file = results_csv(poll, ctx.t("polls.csv_header").split(","))
        await ctx.reply(
            Message(text=ctx.t("polls.exported", question=poll.question), files=(file,)),
            ephemeral=True,
        )

    @staticmethod
    def _check_may_close(ctx: Context, poll: PollView) -> None:
        if ctx.member.id != poll.author_id and not ctx.member.has_role(Role.MODERATOR):
            raise PermissionDenied("polls.close_denied")

    # -- buttons -------------------------------------------------------------------

    async def on_button(self, ctx: Context, component: ComponentId) -> None:
        poll_id = component.number(0)
        position = component.number(1) if component.action == "vote" else -1
        if component.action == "vote":
            await self._vote(ctx, poll_id, position)
        elif component.action == "close":
            poll = await self.polls.view(poll_id)
            if poll is None:
                raise UserFacingError("polls.not_found", id=poll_id)
            self._check_may_close(ctx, poll)
            if not await self._finish(poll_id, closed_by=ctx.member.id, ctx=ctx):
                raise UserFacingError("polls.already_closed")
        else:
            raise UserFacingError("errors.unknown_button")

    async def _vote(self, ctx: Context, poll_id: int, position: int) -> None:
        ref, outbox = ctx.message, self.services.outbox
        renderer = self._renderer_for(ctx)

        async def show(session: AsyncSession, poll: PollView) -> None:
            # Inside the vote's transaction: the cards are staged, and remembered, in the
            # order the votes took the poll's lock.
            if ref is not None:
                card = self._live(renderer, poll)
                await outbox.remember_edit_later(ref, card, session=session)
                outbox.stage(ref, card)

        outcome, poll = await self.polls.vote(
            poll_id, position, ctx.member, self.services.clock.now(), on_change=show, key=ref
        )
        if outcome is VoteOutcome.CLOSED:
            raise UserFacingError("polls.is_closed")
        if poll is None:
            raise UserFacingError("polls.not_found", id=poll_id)
        if outcome is not VoteOutcome.UNCHANGED:
            if ref is None:
                await ctx.update(self._live(renderer, poll))
            else:
                # The newest card, which may be a later vote's: an older count never lands last.
                await outbox.land(ref, ctx.interaction.update)
        await ctx.reply(
            ctx.t(f"polls.vote_{outcome.value}", option=poll.label(position)), ephemeral=True
        )

    # -- closing -------------------------------------------------------------------

    async def _deadline(self, key: str) -> None:
        poll = await self.polls.view(int(key))
        if poll is None or not poll.is_open:
            return
        now = self.services.clock.now()
        # Caught up after downtime or a jump of the clock: it closed at its deadline, not now.
        closed_at = min(now, poll.closes_at) if poll.closes_at else now
        await self._finish(poll.id, closed_by=None, when=closed_at)

    async def _finish(
        self,
        poll_id: int,
        *,
        closed_by: str | None,
        ctx: Context | None = None,
        when: datetime | None = None,
    ) -> bool:
        """Close once, whoever asks first; then show the final card and post the results."""
        if not await self.polls.close(poll_id, when or self.services.clock.now(), closed_by):
            return False
        self.services.scheduler.cancel(DEADLINE, str(poll_id))
        poll = await self.polls.view(poll_id, with_voters=True)
        assert poll is not None
        community = Community(poll.platform, poll.community_id, "")
        renderer = await self._renderer(community)
        final = Message(card=renderer.closed(poll, self._vote_ids(poll.id)))
        try:
            if ctx is not None and ctx.message is not None:
                await self._land_pressed(ctx, ctx.message, final)
            elif poll.message_id is not None:
                ref = MessageRef(poll.platform, poll.community_id, poll.channel_id, poll.message_id)
                await self.services.outbox.edit(ref, final)
        except Exception:
            log.exception("could not update the closed poll's card", extra={"poll": poll_id})
        await self.services.outbox.send(
            community,
            poll.channel_id,
            Message(card=renderer.results(poll)),
            key=f"poll-results:{poll_id}",
        )
        return True

    async def _land_pressed(self, ctx: Context, ref: MessageRef, message: Message) -> None:
        """Answer the press with `message`, after any card of a vote still on its way."""
        outbox = self.services.outbox

        async def send(newest: Message) -> None:
            await ctx.interaction.update(newest)
            await outbox.remember_edit(ref, newest)

        outbox.stage(ref, message)
        await outbox.land(ref, send)

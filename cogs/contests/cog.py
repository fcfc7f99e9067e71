"""`/contest`: giveaways with an auditable draw, submission contests, prizes and codes."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta

from bot.core.cards import Form, FormField
from bot.core.cog import Cog, ComponentId
from bot.core.commands import Arguments, Command
from bot.core.context import Context
from bot.core.errors import PermissionDenied, UserFacingError
from bot.core.events import MemberLeft, MessagePosted
from bot.core.model import Attachment, Role
from bot.core.pacing import Paced
from bot.core.privacy import PersonalData
from bot.core.reports import ReportPeriod, ReportSection
from bot.core.services import Services
from cogs.contests.closing import END, VOTE, Closing
from cogs.contests.counts import MemberFacts
from cogs.contests.declare import MAX_ENTRY, declare
from cogs.contests.digest import contests_section
from cogs.contests.eligibility import Facts, Requirements, refusal
from cogs.contests.entering import EntryOutcome
from cogs.contests.models import BY_MEMBERS, BY_STAFF, GIVEAWAY, OPEN, SUBMISSIONS, VOTING
from cogs.contests.privacy import ContestsData
from cogs.contests.prizes import Delivery
from cogs.contests.recovery import AT_START, RECOVER, Recovery
from cogs.contests.service import ContestView
from cogs.contests.staff import StaffTools
from cogs.contests.voting import VoteOutcome

log = logging.getLogger(__name__)
REFRESH = "contest-card"
# A card shows the entry count; edits closer together than this are merged into one.
REFRESH_GAP = timedelta(seconds=5)


class ContestsCog(Cog):
    name = "contests"

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.closing = Closing(self)
        self.contests = self.closing.contests
        self.facts = MemberFacts(services.db, services.counters)
        self.staff = StaffTools(self)
        self._redraw = Paced(
            services.scheduler,
            services.clock,
            REFRESH,
            lambda key, *ctx: self.closing.redraw(int(key), *ctx),
            REFRESH_GAP,
        )
        services.scheduler.on(END, self._end_due)
        services.scheduler.on(VOTE, self._vote_due)
        self.recovery = Recovery(self.closing)
        services.scheduler.on(RECOVER, self.recovery.finish)
        self._command = declare(
            {
                "giveaway": self.giveaway,
                "submissions": self.submissions,
                "submit": self.submit,
                "list": self.listing,
                "end": self.end,
                "reroll": self.staff.reroll,
                "codes": self.staff.codes,
                "claim": self.claim,
                "vote": self.vote_command,
                "export": self.staff.export,
            }
        )

    async def report_section(self, period: ReportPeriod) -> ReportSection | None:
        """The weekly digest's part: the contests closed in the week and their winners."""
        return await contests_section(self.services.db, self.services.translator, period)

    def personal_data(self) -> PersonalData:
        return ContestsData(self.services.db)

    def commands(self) -> list[Command]:
        return [self._command]

    async def start(self) -> None:
        await self.reschedule()
        # At the scheduler's start, once the platforms are connected: what a process that
        # died after a close left undone.
        for contest_id in await self.recovery.recently_closed():
            self.services.scheduler.schedule(RECOVER, str(contest_id), AT_START)

    async def reschedule(self) -> None:
        for contest_id, phase, when in await self.contests.deadlines():
            self.services.scheduler.schedule(
                VOTE if phase == "vote" else END, str(contest_id), when
            )

    # -- looking contests up ---------------------------------------------------------

    async def found(self, ctx: Context, contest_id: int) -> ContestView:
        contest = await self.contests.in_community(ctx.community, contest_id)
        if contest is None:
            raise UserFacingError("contests.not_found", id=contest_id)
        return contest

    # -- creating ----------------------------------------------------------------------

    async def giveaway(self, ctx: Context, args: Arguments) -> None:
        now = self.services.clock.now()
        duration = args.duration("duration")
        assert duration is not None
        requirements = Requirements(
            (args.string("role") or "").lstrip("@") or None,
            args.integer("days"),
            args.integer("messages"),
        )
        contest_id = await self.contests.create(
            ctx.community,
            ctx.channel.id,
            ctx.member,
            kind=GIVEAWAY,
            title=args.string("prize") or "",
            winners=args.integer("winners", 1) or 1,
            now=now,
            ends_at=now + duration,
            requirements=requirements,
        )
        await self._publish(ctx, contest_id, END, now + duration)

    async def submissions(self, ctx: Context, args: Arguments) -> None:
        now = self.services.clock.now()
        submit, vote = args.duration("submit"), args.duration("vote")
        assert submit is not None and vote is not None
        contest_id = await self.contests.create(
            ctx.community,
            ctx.channel.id,
            ctx.member,
            kind=SUBMISSIONS,
            title=args.string("title") or "",
            winners=args.integer("winners", 1) or 1,
            now=now,
            submit_ends_at=now + submit,
            ends_at=now + submit + vote,
            judging=args.string("judging") or BY_MEMBERS,
        )
        await self._publish(ctx, contest_id, VOTE, now + submit)

    async def _publish(self, ctx: Context, contest_id: int, kind: str, when: datetime) -> None:
        contest = await self.contests.view(contest_id)
        assert contest is not None
        try:
            ref = await ctx.reply(self.closing.card(self.closing.renderer_for(ctx), contest, []))
        except Exception:
            await self.contests.discard(contest_id)  # a contest nobody can see must not end
            raise
        if ref is not None:
            await self.contests.attach_message(contest_id, ref.channel_id, ref.message_id)
        self.services.scheduler.schedule(kind, str(contest_id), when)

    # -- entering ----------------------------------------------------------------------

    async def _enter(self, ctx: Context, contest_id: int) -> None:
        """A giveaway's button: the entry at once, or after its requirements are met."""
        enter = self.contests.enter
        outcome = await enter(
            contest_id,
            ctx.member,
            self.services.clock.now(),
            giveaway_in=ctx.community,
            checked=False,
        )
        if outcome is EntryOutcome.UNCHECKED:
            await self._check_requirements(ctx, contest_id)
            outcome = await enter(
                contest_id, ctx.member, self.services.clock.now(), giveaway_in=ctx.community
            )
        await self._answer_entry(ctx, contest_id, outcome)

    async def _check_requirements(self, ctx: Context, contest_id: int) -> None:
        contest = await self.contests.in_community(ctx.community, contest_id)
        if contest is None or not contest.is_giveaway:
            raise UserFacingError("contests.not_found", id=contest_id)
        if contest.state != OPEN:  # closed is the answer, whatever the member lacks
            raise UserFacingError("contests.is_closed")
        facts = Facts(
            ctx.member,
            await ctx.platform.member_roles(ctx.community.id, ctx.member.id),
            await self.facts.joined_at(ctx.community, ctx.member.id),
            await self.facts.messages(ctx.community, ctx.member.id),
            self.services.clock.now(),
        )
        refused = refusal(contest.requirements, facts)
        if refused is not None:
            raise UserFacingError(refused.key, **refused.params)

    async def _answer_entry(self, ctx: Context, contest_id: int, outcome: EntryOutcome) -> None:
        if outcome is EntryOutcome.NOT_FOUND:
            raise UserFacingError("contests.not_found", id=contest_id)
        if outcome is EntryOutcome.CLOSED:
            raise UserFacingError("contests.is_closed")
        if outcome is EntryOutcome.ALREADY:
            raise UserFacingError("contests.already_entered")
        await self.refresh(contest_id, ctx)
        await ctx.reply(ctx.t("contests.entered"), ephemeral=True)

    async def submit(self, ctx: Context, args: Arguments) -> None:
        contest_id = args.integer("id") or 0
        await self._submit(ctx, contest_id, args.string("text") or "", args.attachment("file"))

    async def _submit(
        self, ctx: Context, contest_id: int, text: str, attachment: Attachment | None
    ) -> None:
        contest = await self.found(ctx, contest_id)
        if contest.is_giveaway:
            raise UserFacingError("contests.not_submissions", id=contest_id)
        if contest.state != OPEN:
            raise UserFacingError("contests.submissions_over")
        if not text.strip() and attachment is None:
            raise UserFacingError("contests.empty_submission")
        outcome = await self.contests.enter(
            contest_id, ctx.member, self.services.clock.now(), text.strip(), attachment
        )
        if outcome is EntryOutcome.ALREADY:
            raise UserFacingError("contests.already_submitted")
        if outcome is not EntryOutcome.ADDED:
            await self._answer_entry(ctx, contest_id, outcome)
            return
        await self.refresh(contest_id, ctx)
        when = self.closing.renderer_for(ctx).when(contest.submit_ends_at or contest.ends_at)
        await ctx.reply(ctx.t("contests.submitted", when=when), ephemeral=True)

    async def on_member_left(self, event: MemberLeft) -> None:
        for contest_id in await self.contests.withdraw(event.community, event.member.id):
            await self.refresh(contest_id)

    async def on_message_posted(self, event: MessagePosted) -> None:
        await self.facts.count_message(event.community, event.author.id)

    # -- the card's entry count, edited at most once per REFRESH_GAP ----------------------

    async def refresh(self, contest_id: int, ctx: Context | None = None) -> None:
        await self._redraw(str(contest_id), *([ctx] if ctx is not None else []))

    # -- voting --------------------------------------------------------------------------

    async def _vote(self, ctx: Context, contest_id: int, number: int) -> None:
        contest = await self.contests.in_community(ctx.community, contest_id)
        if contest is None or contest.is_giveaway:
            raise UserFacingError("contests.not_found", id=contest_id)
        now = self.services.clock.now()
        if contest.judging == BY_STAFF:
            if not ctx.member.has_role(Role.STAFF):
                raise PermissionDenied("contests.staff_judges")
            outcome, author = await self.closing.voting.pick(contest_id, number, now)
        else:
            outcome, author = await self.closing.voting.vote(contest_id, number, ctx.member, now)
        if outcome is VoteOutcome.CLOSED:
            raise UserFacingError("contests.voting_closed")
        if outcome is VoteOutcome.NOT_FOUND:
            raise UserFacingError("contests.no_entry", number=number)
        if outcome is VoteOutcome.OWN:
            raise UserFacingError("contests.own_entry")
        if outcome is VoteOutcome.FULL:
            raise UserFacingError("contests.picks_full", count=contest.winners)
        await ctx.reply(
            ctx.t(f"contests.vote_{outcome.value}", number=number, author=author), ephemeral=True
        )

    async def vote_command(self, ctx: Context, args: Arguments) -> None:
        """The same as the entry's button: a card holds 25 buttons, a contest more entries."""
        contest = await self.found(ctx, args.integer("id") or 0)
        await self._vote(ctx, contest.id, args.integer("entry") or 0)

    # -- buttons and forms ---------------------------------------------------------------

    async def on_button(self, ctx: Context, component: ComponentId) -> None:
        contest_id = component.number(0)
        number = component.number(1) if component.action == "vote" else 0
        if component.action == "enter":
            await self._enter(ctx, contest_id)
        elif component.action == "vote":
            await self._vote(ctx, contest_id, number)
        elif component.action == "submit":
            await self.found(ctx, contest_id)
            await ctx.open_form(
                Form(
                    self.component("submitform", contest_id),
                    ctx.t("contests.form.title"),
                    (
                        FormField(
                            "text",
                            ctx.t("contests.form.text"),
                            multiline=True,
                            max_length=MAX_ENTRY,
                        ),
                    ),
                )
            )
        else:
            raise UserFacingError("errors.unknown_button")

    async def on_form(
        self, ctx: Context, component: ComponentId, values: Mapping[str, str]
    ) -> None:
        contest_id = component.number(0)
        if component.action == "submitform":
            text = values.get("text", "")
            if len(text) > MAX_ENTRY:
                raise UserFacingError("errors.too_long", option="text", limit=MAX_ENTRY)
            await self._submit(ctx, contest_id, text, None)
        elif component.action == "codes":
            await self.staff.codes_pasted(ctx, contest_id, values.get("codes", ""))
        else:
            raise UserFacingError("errors.unknown_button")

    # -- listing, ending, claiming -------------------------------------------------------

    async def listing(self, ctx: Context, args: Arguments) -> None:
        renderer = self.closing.renderer_for(ctx)
        await ctx.reply(
            renderer.listing(await self.contests.listing(ctx.community)), ephemeral=True
        )

    async def end(self, ctx: Context, args: Arguments) -> None:
        contest = await self.found(ctx, args.integer("id") or 0)
        if not await self.closing.finish(contest.id):
            raise UserFacingError("contests.already_closed")
        await ctx.reply(ctx.t("contests.ended_by_you", title=contest.title), ephemeral=True)

    async def claim(self, ctx: Context, args: Arguments) -> None:
        contest = await self.found(ctx, args.integer("id") or 0)
        if not await self.closing.winners.is_winner(contest.id, ctx.member.id):
            raise UserFacingError("contests.not_a_winner")
        if not await self.closing.vouchers.has_codes(contest.id):
            raise UserFacingError("contests.no_codes_here")
        outcome = await self.closing.prizes.deliver(
            contest, ctx.member.id, self.closing.renderer_for(ctx)
        )
        if outcome is Delivery.DMS_CLOSED:
            raise UserFacingError("contests.dms_still_closed")
        if outcome is Delivery.NO_CODE_LEFT:
            raise UserFacingError("contests.no_code_left")
        await ctx.reply(ctx.t("contests.code_sent"), ephemeral=True)

    # -- deadlines -----------------------------------------------------------------------

    async def _vote_due(self, key: str) -> None:
        await self.closing.start_voting(int(key))

    async def _end_due(self, key: str) -> None:
        contest = await self.contests.view(int(key))
        if contest is None or contest.state not in (OPEN, VOTING):
            return
        # Caught up after downtime or a jump of the clock: it ended at its deadline, not now.
        await self.closing.finish(contest.id, when=min(self.services.clock.now(), contest.ends_at))

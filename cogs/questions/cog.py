"""Recurring questions: spotted and grouped as members ask, forwarded to staff once, answered
once and then by the FAQ; response time measured from ask to first answer."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import timedelta

from bot.core.cog import Cog, ComponentId
from bot.core.commands import Arguments, Command, Option, OptionKind
from bot.core.context import Context
from bot.core.errors import UserFacingError
from bot.core.events import MessageDeleted, MessagePosted
from bot.core.model import Role
from bot.core.privacy import PersonalData
from bot.core.reports import ReportPeriod, ReportSection
from bot.core.services import Services
from cogs.questions import engine
from cogs.questions.actions import StaffActions
from cogs.questions.digest import questions_section
from cogs.questions.faq import FaqService
from cogs.questions.faq_commands import FaqCommands
from cogs.questions.flow import MAX_UNANSWERED_AFTER, UNANSWERED, QuestionFlow
from cogs.questions.privacy import QuestionsData
from cogs.questions.report import Report
from cogs.questions.service import QuestionService
from cogs.questions.settings import SettingsService
from cogs.questions.stats import QuestionStats, QuestionStatsService
from cogs.questions.tracking import AnswerTracking


class QuestionsCog(Cog):
    name = "questions"

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.settings = SettingsService(services.db)
        self.statistics = QuestionStatsService(services.db)
        self.flow = QuestionFlow(
            services,
            self.component,
            QuestionService(services.db),
            AnswerTracking(services.db),
            FaqService(services.db),
            self.settings,
        )
        self.actions = StaffActions(self.flow)
        self.faq_commands = FaqCommands(self.flow, self.actions)
        services.scheduler.on(UNANSWERED, self.flow.unanswered)
        self._commands = [self._declare(), self.faq_commands.declare()]

    def personal_data(self) -> PersonalData:
        return QuestionsData(self.services.db, self.flow.refresh_card)

    def commands(self) -> list[Command]:
        return self._commands

    def _declare(self) -> Command:
        staff = Role.STAFF
        settings = (
            Option(
                "askers", OptionKind.INTEGER, "questions.opt.askers", min_value=2, max_value=100
            ),
            Option("days", OptionKind.INTEGER, "questions.opt.days", min_value=1, max_value=365),
            Option("staff_channel", OptionKind.CHANNEL, "questions.opt.staff_channel"),
            Option("channel", OptionKind.CHANNEL, "questions.opt.channel"),
            Option("watch", OptionKind.BOOLEAN, "questions.opt.watch"),
            Option("faq", OptionKind.BOOLEAN, "questions.opt.faq"),
            Option("reset", OptionKind.BOOLEAN, "questions.opt.reset"),
            Option(
                "not_helpful",
                OptionKind.INTEGER,
                "questions.opt.not_helpful",
                min_value=1,
                max_value=100,
            ),
            Option(
                "unanswered_after",
                OptionKind.DURATION,
                "questions.opt.unanswered_after",
                min_duration=timedelta(minutes=10),
                max_duration=MAX_UNANSWERED_AFTER,
            ),
        )
        return Command(
            "questions",
            "questions.cmd",
            permission=staff,
            default_subcommand="stats",
            subcommands=(
                Command(
                    "stats",
                    "questions.cmd.stats",
                    (
                        Option(
                            "weeks",
                            OptionKind.INTEGER,
                            "questions.opt.weeks",
                            min_value=1,
                            max_value=52,
                        ),
                    ),
                    self.stats_command,
                    staff,
                    usage="questions.usage.stats",
                ),
                Command(
                    "settings",
                    "questions.cmd.settings",
                    settings,
                    self.settings_command,
                    staff,
                    usage="questions.usage.settings",
                ),
            ),
        )

    async def start(self) -> None:
        # The encoder's weights are read now, off the event loop, not on the first question.
        await asyncio.to_thread(engine.warm_up, self.services.settings.cache_folder)
        await self.reschedule()

    async def reschedule(self) -> None:
        await self.flow.reschedule()

    async def on_message_posted(self, event: MessagePosted) -> None:
        await self.flow.on_message(event)

    async def on_message_deleted(self, event: MessageDeleted) -> None:
        await self.flow.on_deleted(event)

    # -- the API the weekly digest calls ---------------------------------------------

    async def report_section(self, period: ReportPeriod) -> ReportSection | None:
        """The weekly digest's part: recurring questions, answer times, the FAQ's help."""
        config = await self.settings.get(period.community)
        return await questions_section(
            self.services.db,
            self.services.translator,
            period,
            unanswered_after=config.unanswered_after,
            min_askers=config.min_askers,
        )

    async def figures(self, ctx: Context, weeks: int) -> QuestionStats:
        config = await self.settings.get(ctx.community)
        now = self.services.clock.now()
        return await self.statistics.stats(
            ctx.community,
            now - timedelta(weeks=weeks),
            now,
            timezone=ctx.timezone,
            unanswered_after=config.unanswered_after,
            now=now,
            min_askers=config.min_askers,
        )

    # -- commands ------------------------------------------------------------------

    def _report(self, ctx: Context) -> Report:
        return Report(
            self.services.translator,
            ctx.language,
            ctx.timezone,
            lambda channel_id: self.flow.where(ctx.community, channel_id),
        )

    async def stats_command(self, ctx: Context, args: Arguments) -> None:
        figures = await self.figures(ctx, args.integer("weeks") or 4)
        await ctx.reply(self._report(ctx).stats(figures), ephemeral=True)

    async def settings_command(self, ctx: Context, args: Arguments) -> None:
        changes: dict[str, object] = {}
        for option, column in (
            ("askers", "min_askers"),
            ("days", "window_days"),
            ("not_helpful", "not_helpful_limit"),
        ):
            value = args.integer(option)
            if value is not None:
                changes[column] = value
        staff_channel = args.channel("staff_channel")
        if staff_channel is not None:
            changes["staff_channel_id"] = staff_channel.id
        after = args.duration("unanswered_after")
        if after is not None:
            changes["unanswered_after_seconds"] = int(after.total_seconds())
        channel = args.channel("channel")
        channel_changes: dict[str, bool | None] = {
            name: args.boolean(name) for name in ("watch", "faq") if name in args
        }
        if args.boolean("reset"):
            channel_changes = {"watch": None, "faq": True}
        if channel_changes and channel is None:
            raise UserFacingError("questions.settings.which_channel")
        config = await self.settings.update(
            ctx.community, changes, channel.id if channel else None, channel_changes
        )
        shown = await self.flow.staff_channel(ctx.community, config)
        await ctx.reply(self._report(ctx).settings(config, shown), ephemeral=True)

    # -- buttons and forms ---------------------------------------------------------

    @staticmethod
    def _row(component: ComponentId) -> int:
        return component.number(0)

    async def on_button(self, ctx: Context, component: ComponentId) -> None:
        row = self._row(component)
        match component.action:
            case "answer":
                await self.actions.open_answer_form(ctx, row)
            case "dismiss":
                await self.actions.dismiss(ctx, row)
            case "merge":
                await self.actions.open_merge_form(ctx, row)
            case "promote":
                await self.actions.promote(ctx, row)
            case "helpful" | "unhelpful":
                await self.actions.feedback(ctx, row, component.action == "helpful")
            case _:
                raise UserFacingError("errors.unknown_button")

    async def on_form(
        self, ctx: Context, component: ComponentId, values: Mapping[str, str]
    ) -> None:
        row = self._row(component)
        if component.action == "answer":
            await self.actions.submit_answer(ctx, row, values)
        elif component.action == "merge":
            await self.actions.submit_merge(ctx, row, values)
        else:
            raise UserFacingError("errors.unknown_button")

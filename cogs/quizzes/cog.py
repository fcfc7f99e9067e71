"""`/quiz`: banks imported by staff, live rounds with answer buttons, leaderboards, and
quizzes scheduled in the community's time zone."""

from __future__ import annotations

from datetime import datetime

from bot.core.cards import Message
from bot.core.cog import Cog, ComponentId
from bot.core.commands import Arguments, Command
from bot.core.context import Context
from bot.core.errors import UserFacingError
from bot.core.model import Attachment, Community, Role
from bot.core.moments import local_moment
from bot.core.privacy import PersonalData
from bot.core.reports import CalendarEntry, ReportPeriod, ReportSection
from bot.core.services import Services
from cogs.quizzes.bank import TRUE_FALSE, BankError, Question
from cogs.quizzes.banks import BankStore, bank_name, read_file
from cogs.quizzes.commands import DEFAULT_QUESTIONS, DEFAULT_SECONDS, declare
from cogs.quizzes.csvbank import write_csv
from cogs.quizzes.digest import quizzes_section
from cogs.quizzes.gift import write_gift
from cogs.quizzes.leaderboard import Leaderboards
from cogs.quizzes.play import REMIND, REMINDER_LEAD, START, QuizPlayer
from cogs.quizzes.privacy import QuizzesData
from cogs.quizzes.render import QuizRenderer
from cogs.quizzes.schedule import ScheduleStore, scheduled_quizzes
from cogs.quizzes.service import RoundService


class QuizzesCog(Cog):
    name = "quizzes"

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.banks = BankStore(services.db)
        self.rounds = RoundService(services.db)
        self.boards = Leaderboards(services.db)
        self.schedules = ScheduleStore(services.db)
        self.player = QuizPlayer(
            services, self.component, self.banks, self.rounds, self.boards, self.schedules
        )
        self._commands = declare(self)

    async def report_section(self, period: ReportPeriod) -> ReportSection | None:
        """The weekly digest's part: the rounds played in the week and who led them."""
        return await quizzes_section(self.services.db, self.services.translator, period)

    def personal_data(self) -> PersonalData:
        return QuizzesData(self.services.db)

    def commands(self) -> list[Command]:
        return self._commands

    async def calendar_entries(
        self, community: Community, since: datetime, until: datetime
    ) -> list[CalendarEntry]:
        return [
            CalendarEntry(
                self.name, str(quiz.id), quiz.starts_at, quiz.bank, quiz.channel_id, "quiz"
            )
            for quiz in await scheduled_quizzes(self.services.db, community)
            if since <= quiz.starts_at <= until
        ]

    async def start(self) -> None:
        await self.reschedule()

    async def reschedule(self) -> None:
        await self.player.restore()

    @staticmethod
    def _renderer(ctx: Context) -> QuizRenderer:
        return QuizRenderer(ctx.services.translator, ctx.language, ctx.timezone)

    # -- banks ---------------------------------------------------------------------

    async def import_bank(self, ctx: Context, args: Arguments) -> None:
        name = bank_name(args.string("name") or "")
        attachment = args.attachment("file")
        assert attachment is not None
        try:
            source, questions = read_file(attachment)
        except BankError as error:
            text = self._renderer(ctx).problems(attachment.filename, error.problems)
            await ctx.reply(text, ephemeral=True)
            return
        await self.banks.add(
            ctx.community, name, source, questions, ctx.member, self.services.clock.now()
        )
        categories = len({question.category for question in questions if question.category})
        await ctx.reply(
            ctx.t(
                "quizzes.import.done",
                name=name,
                count=len(questions),
                source=source.upper(),
                categories=categories,
            ),
            ephemeral=True,
        )

    async def list_banks(self, ctx: Context, args: Arguments) -> None:
        summaries = await self.banks.summaries(ctx.community)
        await ctx.reply(self._renderer(ctx).banks(summaries), ephemeral=True)

    async def export_bank(self, ctx: Context, args: Arguments) -> None:
        name = bank_name(args.string("bank") or "")
        questions = await self.banks.questions(ctx.community, name)
        kind = args.string("format") or "gift"
        if kind == "csv":
            renderer = self._renderer(ctx)
            # In a CSV a true/false question is a choice between two words of the language.
            shown = tuple(
                Question(
                    question.text,
                    tuple(renderer.label(question.kind, answer) for answer in question.answers),
                    question.explanation,
                    question.category,
                    question.difficulty,
                )
                if question.kind == TRUE_FALSE
                else question
                for question in questions
            )
            delimiter = ";" if ctx.language == "it" else ","
            data = write_csv(shown, delimiter=delimiter).encode("utf-8-sig")
            attachment = Attachment(f"{name}.csv", data, "text/csv; charset=utf-8")
        else:
            data = write_gift(questions).encode("utf-8")
            attachment = Attachment(f"{name}.gift", data, "text/plain; charset=utf-8")
        text = ctx.t(
            "quizzes.export.done", name=name, count=len(questions), file=attachment.filename
        )
        sent = await self.services.outbox.dm(
            ctx.community, ctx.member.id, Message(text=text, files=(attachment,))
        )
        answer = "quizzes.export.sent" if sent is not None else "quizzes.export.dm_closed"
        await ctx.reply(ctx.t(answer, name=name), ephemeral=True)

    async def delete_bank(self, ctx: Context, args: Arguments) -> None:
        name = bank_name(args.string("bank") or "")
        if not await self.banks.delete(ctx.community, name):
            raise UserFacingError("quizzes.bank.unknown", name=name)
        await ctx.reply(ctx.t("quizzes.bank.deleted", name=name), ephemeral=True)

    # -- rounds --------------------------------------------------------------------

    async def start_round(self, ctx: Context, args: Arguments) -> None:
        bank = bank_name(args.string("bank") or "")
        first = await self.player.begin(
            ctx.community,
            ctx.channel.id,
            ctx.member,
            bank,
            args.integer("questions", DEFAULT_QUESTIONS) or DEFAULT_QUESTIONS,
            args.integer("seconds", DEFAULT_SECONDS) or DEFAULT_SECONDS,
        )
        await ctx.reply(ctx.t("quizzes.round.started", round=first.round_id), ephemeral=True)

    async def stop_round(self, ctx: Context, args: Arguments) -> None:
        running = await self.rounds.running_in(ctx.community, ctx.channel.id)
        if running is None or not await self.player.stop(ctx.community, running.id):
            raise UserFacingError("quizzes.round.none")
        await ctx.reply(ctx.t("quizzes.round.stopped_by_you"), ephemeral=True)

    async def on_button(self, ctx: Context, component: ComponentId) -> None:
        target = component.number(0)
        choice = component.number(1) if component.action == "answer" else -1
        if component.action == "answer":
            await self.player.answer(ctx, target, choice)
        elif component.action == "stop":
            ctx.require(Role.STAFF)
            if not await self.player.stop(ctx.community, target):
                raise UserFacingError("quizzes.round.none")
            await ctx.reply(ctx.t("quizzes.round.stopped_by_you"), ephemeral=True)
        else:
            raise UserFacingError("errors.unknown_button")

    # -- leaderboards --------------------------------------------------------------

    def _since(self, ctx: Context, raw: str) -> datetime:
        """A date (or date and time) in the community's time zone; midnight when bare."""
        text = raw.strip()
        if len(text.split()) == 1:
            text = f"{text} 00:00"
        moment = local_moment(text, ctx.timezone, ctx.language)
        if moment > self.services.clock.now():
            raise UserFacingError("quizzes.board.since_future", value=raw)
        return moment

    async def leaderboard(self, ctx: Context, args: Arguments) -> None:
        renderer = self._renderer(ctx)
        since_text = args.string("since")
        if args.boolean("season") or since_text:
            since = self._since(ctx, since_text) if since_text else None
            standings = await self.boards.season(ctx.community, since)
            title = (
                renderer.t("quizzes.board.season_since", when=renderer.when(since))
                if since
                else renderer.t("quizzes.board.season")
            )
            await ctx.reply(renderer.board(title, standings), ephemeral=True)
            return
        round_id = await self.boards.last_round(ctx.community)
        if round_id is None:
            raise UserFacingError("quizzes.board.no_rounds")
        info = await self.rounds.round(round_id)
        assert info is not None
        title = renderer.t("quizzes.board.round", round=round_id, bank=info.bank_name)
        await ctx.reply(renderer.board(title, await self.boards.of_round(round_id)), ephemeral=True)

    async def my_scores(self, ctx: Context, args: Arguments) -> None:
        scores = await self.boards.member(ctx.community, ctx.member.id)
        await ctx.reply(self._renderer(ctx).me(scores), ephemeral=True)

    # -- scheduled quizzes ---------------------------------------------------------

    async def schedule(self, ctx: Context, args: Arguments) -> None:
        bank = bank_name(args.string("bank") or "")
        starts_at = local_moment(args.string("at") or "", ctx.timezone, ctx.language)
        now = self.services.clock.now()
        if starts_at <= now:
            raise UserFacingError("quizzes.schedule.past", value=args.string("at") or "")
        if not await self.banks.questions(ctx.community, bank):
            raise UserFacingError("quizzes.bank.empty", name=bank)
        channel = args.channel("channel") or ctx.channel
        reminded = starts_at - REMINDER_LEAD <= now
        schedule_id = await self.schedules.add(
            ctx.community,
            channel,
            bank,
            args.integer("questions", DEFAULT_QUESTIONS) or DEFAULT_QUESTIONS,
            args.integer("seconds", DEFAULT_SECONDS) or DEFAULT_SECONDS,
            starts_at,
            ctx.member.id,
            now,
            reminded=reminded,
        )
        scheduler = self.services.scheduler
        scheduler.schedule(START, str(schedule_id), starts_at)
        if not reminded:
            scheduler.schedule(REMIND, str(schedule_id), starts_at - REMINDER_LEAD)
        found = await self.schedules.get(schedule_id)
        assert found is not None
        renderer = self._renderer(ctx)
        card = renderer.announcement(found[1], reminder=False)
        await self.services.outbox.send(ctx.community, channel.id, Message(card=card))
        await ctx.reply(
            ctx.t("quizzes.schedule.done", id=schedule_id, when=renderer.when(starts_at)),
            ephemeral=True,
        )

    async def list_scheduled(self, ctx: Context, args: Arguments) -> None:
        quizzes = await scheduled_quizzes(self.services.db, ctx.community)
        card = self._renderer(ctx).scheduled(quizzes, lambda quiz: f"#{quiz.channel_name}")
        await ctx.reply(card, ephemeral=True)

    async def cancel(self, ctx: Context, args: Arguments) -> None:
        schedule_id = args.integer("id") or 0
        found = await self.schedules.get(schedule_id)
        if found is None or not await self.schedules.cancel(ctx.community, schedule_id):
            raise UserFacingError("quizzes.schedule.not_found", id=schedule_id)
        self.services.scheduler.cancel(START, str(schedule_id))
        self.services.scheduler.cancel(REMIND, str(schedule_id))
        quiz = found[1]
        notice = ctx.t("quizzes.schedule.cancelled", id=schedule_id, bank=quiz.bank)
        await self.services.outbox.send(ctx.community, quiz.channel_id, Message(text=notice))
        await ctx.reply(ctx.t("quizzes.schedule.cancelled_by_you", id=schedule_id), ephemeral=True)

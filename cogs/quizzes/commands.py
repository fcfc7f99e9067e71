"""`/quiz` declared once: its subcommands, options and who may use them."""

from __future__ import annotations

from typing import Protocol

from bot.core.commands import Arguments, Choice, Command, Handler, Option, OptionKind
from bot.core.context import Context
from bot.core.model import Role

MIN_SECONDS, MAX_SECONDS, DEFAULT_SECONDS = 5, 120, 20
MAX_ROUND_QUESTIONS, DEFAULT_QUESTIONS = 50, 10


class Handlers(Protocol):
    async def import_bank(self, ctx: Context, args: Arguments) -> None: ...
    async def list_banks(self, ctx: Context, args: Arguments) -> None: ...
    async def export_bank(self, ctx: Context, args: Arguments) -> None: ...
    async def delete_bank(self, ctx: Context, args: Arguments) -> None: ...
    async def start_round(self, ctx: Context, args: Arguments) -> None: ...
    async def stop_round(self, ctx: Context, args: Arguments) -> None: ...
    async def leaderboard(self, ctx: Context, args: Arguments) -> None: ...
    async def my_scores(self, ctx: Context, args: Arguments) -> None: ...
    async def schedule(self, ctx: Context, args: Arguments) -> None: ...
    async def list_scheduled(self, ctx: Context, args: Arguments) -> None: ...
    async def cancel(self, ctx: Context, args: Arguments) -> None: ...


def _bank(required: bool = True) -> Option:
    return Option("bank", OptionKind.STRING, "quizzes.opt.bank", required=required, max_length=40)


def _round_options() -> tuple[Option, ...]:
    return (
        Option(
            "questions",
            OptionKind.INTEGER,
            "quizzes.opt.questions",
            min_value=1,
            max_value=MAX_ROUND_QUESTIONS,
        ),
        Option(
            "seconds",
            OptionKind.INTEGER,
            "quizzes.opt.seconds",
            min_value=MIN_SECONDS,
            max_value=MAX_SECONDS,
        ),
    )


def _leaf(
    name: str, handler: Handler, options: tuple[Option, ...] = (), staff: bool = True
) -> Command:
    return Command(
        name,
        f"quizzes.cmd.{name}",
        options,
        handler,
        permission=Role.STAFF if staff else Role.MEMBER,
        usage=f"quizzes.usage.{name}",
    )


def declare(cog: Handlers) -> list[Command]:
    name = Option("name", OptionKind.STRING, "quizzes.opt.name", required=True, max_length=40)
    file = Option("file", OptionKind.FILE, "quizzes.opt.file", required=True)
    export_format = Option(
        "format",
        OptionKind.CHOICE,
        "quizzes.opt.format",
        choices=(Choice("gift", "quizzes.format.gift"), Choice("csv", "quizzes.format.csv")),
    )
    at = Option("at", OptionKind.STRING, "quizzes.opt.at", required=True, max_length=40)
    channel = Option("channel", OptionKind.CHANNEL, "quizzes.opt.channel")
    season = Option("season", OptionKind.BOOLEAN, "quizzes.opt.season")
    since = Option("since", OptionKind.STRING, "quizzes.opt.since", max_length=20)
    schedule_id = Option("id", OptionKind.INTEGER, "quizzes.opt.id", required=True, min_value=1)
    return [
        Command(
            "quiz",
            "quizzes.cmd",
            subcommands=(
                _leaf("import", cog.import_bank, (name, file)),
                _leaf("banks", cog.list_banks),
                _leaf("export", cog.export_bank, (_bank(), export_format)),
                _leaf("delete", cog.delete_bank, (_bank(),)),
                _leaf("start", cog.start_round, (_bank(), *_round_options())),
                _leaf("stop", cog.stop_round),
                _leaf("leaderboard", cog.leaderboard, (season, since), staff=False),
                _leaf("me", cog.my_scores, staff=False),
                _leaf("schedule", cog.schedule, (_bank(), at, *_round_options(), channel)),
                _leaf("scheduled", cog.list_scheduled),
                _leaf("cancel", cog.cancel, (schedule_id,)),
            ),
        )
    ]

"""The `/contest` commands, declared once for every platform."""

from __future__ import annotations

from datetime import timedelta

from bot.core.commands import Choice, Command, Handler, Option, OptionKind
from bot.core.model import Role

MAX_TITLE = 200
MAX_WINNERS = 50
MAX_ENTRY = 1000
MIN_DURATION = timedelta(minutes=1)
MAX_DURATION = timedelta(days=90)
MAX_WINDOW = timedelta(days=30)


def _id(required: bool = True) -> Option:
    return Option("id", OptionKind.INTEGER, "contests.opt.id", required=required, min_value=1)


def _winners() -> Option:
    return Option(
        "winners", OptionKind.INTEGER, "contests.opt.winners", min_value=1, max_value=MAX_WINNERS
    )


def declare(handlers: dict[str, Handler]) -> Command:
    def leaf(name: str, options: tuple[Option, ...], permission: Role = Role.STAFF) -> Command:
        return Command(
            name,
            f"contests.cmd.{name}",
            options,
            handlers[name],
            permission=permission,
            usage=f"contests.usage.{name}",
        )

    giveaway = (
        Option(
            "prize", OptionKind.STRING, "contests.opt.prize", required=True, max_length=MAX_TITLE
        ),
        _winners(),
        Option(
            "duration",
            OptionKind.DURATION,
            "contests.opt.duration",
            required=True,
            min_duration=MIN_DURATION,
            max_duration=MAX_DURATION,
        ),
        Option("role", OptionKind.STRING, "contests.opt.role", max_length=100),
        Option("days", OptionKind.INTEGER, "contests.opt.days", min_value=1, max_value=3650),
        Option(
            "messages", OptionKind.INTEGER, "contests.opt.messages", min_value=1, max_value=100_000
        ),
    )
    submissions = (
        Option(
            "title", OptionKind.STRING, "contests.opt.title", required=True, max_length=MAX_TITLE
        ),
        Option(
            "submit",
            OptionKind.DURATION,
            "contests.opt.submit",
            required=True,
            min_duration=MIN_DURATION,
            max_duration=MAX_WINDOW,
        ),
        Option(
            "vote",
            OptionKind.DURATION,
            "contests.opt.vote",
            required=True,
            min_duration=MIN_DURATION,
            max_duration=MAX_WINDOW,
        ),
        Option(
            "judging",
            OptionKind.CHOICE,
            "contests.opt.judging",
            choices=(
                Choice("members", "contests.choice.members"),
                Choice("staff", "contests.choice.staff"),
            ),
        ),
        _winners(),
    )
    submit = (
        _id(),
        Option("text", OptionKind.STRING, "contests.opt.text", max_length=MAX_ENTRY),
        Option("file", OptionKind.FILE, "contests.opt.file"),
    )
    return Command(
        "contest",
        "contests.cmd",
        subcommands=(
            leaf("giveaway", giveaway),
            leaf("submissions", submissions),
            leaf("submit", submit, Role.MEMBER),
            leaf("list", (), Role.MEMBER),
            leaf("end", (_id(),)),
            leaf(
                "reroll",
                (
                    _id(),
                    Option(
                        "count",
                        OptionKind.INTEGER,
                        "contests.opt.count",
                        min_value=1,
                        max_value=MAX_WINNERS,
                    ),
                ),
            ),
            leaf("codes", (_id(), Option("file", OptionKind.FILE, "contests.opt.codes_file"))),
            leaf(
                "vote",
                (
                    _id(),
                    Option(
                        "entry",
                        OptionKind.INTEGER,
                        "contests.opt.entry",
                        required=True,
                        min_value=1,
                    ),
                ),
                Role.MEMBER,
            ),
            leaf("claim", (_id(),), Role.MEMBER),
            leaf("export", (_id(),)),
        ),
    )

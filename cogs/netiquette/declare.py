"""The `/netiquette` command group as members type it and Discord shows it."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.core.commands import Choice, Command, Option, OptionKind
from bot.core.model import Role
from cogs.netiquette.engine import CATEGORIES, Severity

if TYPE_CHECKING:
    from cogs.netiquette.commands import NetiquetteCommands

HOUR = timedelta(hours=1)
YEAR = timedelta(days=365)
MAX_TEST = 2000
KINDS = ("word", "regex", "domain")


def _severity_choices() -> tuple[Choice, ...]:
    return tuple(Choice(item.value, f"netiquette.severity.{item.value}") for item in Severity)


def declare(handlers: NetiquetteCommands) -> list[Command]:
    mod = Role.MODERATOR
    severity = Option(
        "severity", OptionKind.CHOICE, "netiquette.opt.severity", choices=_severity_choices()
    )
    category_choices = tuple(
        Choice(category, f"netiquette.category.{category}") for category in CATEGORIES
    )
    return [
        Command(
            "netiquette",
            "netiquette.cmd",
            permission=mod,
            subcommands=(
                Command(
                    "test",
                    "netiquette.cmd.test",
                    (
                        Option(
                            "text",
                            OptionKind.STRING,
                            "netiquette.opt.text",
                            required=True,
                            max_length=MAX_TEST,
                        ),
                    ),
                    handlers.test,
                    mod,
                    usage="netiquette.usage.test",
                ),
                Command("rules", "netiquette.cmd.rules", (), handlers.list_rules, mod),
                Command(
                    "add",
                    "netiquette.cmd.add",
                    (
                        Option(
                            "kind",
                            OptionKind.CHOICE,
                            "netiquette.opt.kind",
                            required=True,
                            choices=tuple(
                                Choice(kind, f"netiquette.kind.{kind}") for kind in KINDS
                            ),
                        ),
                        Option(
                            "pattern",
                            OptionKind.STRING,
                            "netiquette.opt.pattern",
                            required=True,
                            max_length=300,
                        ),
                        severity,
                    ),
                    handlers.add,
                    mod,
                    usage="netiquette.usage.add",
                ),
                Command(
                    "remove",
                    "netiquette.cmd.remove",
                    (
                        Option(
                            "rule",
                            OptionKind.INTEGER,
                            "netiquette.opt.rule",
                            required=True,
                            min_value=1,
                        ),
                    ),
                    handlers.remove,
                    mod,
                    usage="netiquette.usage.remove",
                ),
                Command(
                    "allow",
                    "netiquette.cmd.allow",
                    (
                        Option("word", OptionKind.STRING, "netiquette.opt.word", max_length=100),
                        Option(
                            "domain",
                            OptionKind.STRING,
                            "netiquette.opt.domain",
                            max_length=300,
                        ),
                    ),
                    handlers.allow,
                    mod,
                    usage="netiquette.usage.allow",
                ),
                Command(
                    "settings",
                    "netiquette.cmd.settings",
                    (
                        Option("channel", OptionKind.CHANNEL, "netiquette.opt.channel"),
                        Option("exempt", OptionKind.BOOLEAN, "netiquette.opt.exempt"),
                        Option(
                            "reminder",
                            OptionKind.DURATION,
                            "netiquette.opt.reminder",
                            min_duration=timedelta(minutes=5),
                            max_duration=timedelta(days=7),
                        ),
                        Option(
                            "expiry",
                            OptionKind.DURATION,
                            "netiquette.opt.expiry",
                            min_duration=HOUR,
                            max_duration=YEAR,
                        ),
                        Option(
                            "escalation",
                            OptionKind.STRING,
                            "netiquette.opt.escalation",
                            max_length=100,
                        ),
                        Option(
                            "retention",
                            OptionKind.DURATION,
                            "netiquette.opt.retention",
                            min_duration=HOUR,
                            max_duration=YEAR,
                        ),
                        Option("reports_held", OptionKind.BOOLEAN, "netiquette.opt.reports_held"),
                        Option(
                            "category",
                            OptionKind.CHOICE,
                            "netiquette.opt.category",
                            choices=category_choices,
                        ),
                        Option("enabled", OptionKind.BOOLEAN, "netiquette.opt.enabled"),
                        severity,
                    ),
                    handlers.change_settings,
                    mod,
                    usage="netiquette.usage.settings",
                ),
                Command(
                    "strikes",
                    "netiquette.cmd.strikes",
                    (
                        Option(
                            "member",
                            OptionKind.MEMBER,
                            "netiquette.opt.member",
                            required=True,
                        ),
                    ),
                    handlers.strikes,
                    mod,
                    usage="netiquette.usage.strikes",
                ),
                Command(
                    "pardon",
                    "netiquette.cmd.pardon",
                    (
                        Option(
                            "strike",
                            OptionKind.INTEGER,
                            "netiquette.opt.strike",
                            required=True,
                            min_value=1,
                        ),
                    ),
                    handlers.pardon,
                    mod,
                    usage="netiquette.usage.pardon",
                ),
            ),
        )
    ]

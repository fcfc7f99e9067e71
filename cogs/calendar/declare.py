"""The `/announce` command and its subcommands, declared once for every platform."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.core.commands import Command, Option, OptionKind
from bot.core.model import Role

if TYPE_CHECKING:
    from cogs.calendar.cog import CalendarCog

MAX_TEXT = 1800  # Discord's 2,000 characters, with room for a live session's heading
MAX_TITLE = 150


def declare(cog: CalendarCog) -> list[Command]:
    at = Option("at", OptionKind.STRING, "calendar.opt.at", required=True, max_length=40)
    channel = Option("channel", OptionKind.CHANNEL, "calendar.opt.channel")
    announcement = Option("id", OptionKind.INTEGER, "calendar.opt.id", required=True, min_value=1)
    return [
        Command(
            "announce",
            "calendar.cmd",
            permission=Role.STAFF,
            subcommands=(
                Command(
                    "schedule",
                    "calendar.cmd.schedule",
                    (
                        channel,
                        at,
                        Option(
                            "text",
                            OptionKind.STRING,
                            "calendar.opt.text",
                            required=True,
                            max_length=MAX_TEXT,
                        ),
                        Option("repeat", OptionKind.STRING, "calendar.opt.repeat", max_length=300),
                        Option("until", OptionKind.STRING, "calendar.opt.until", max_length=40),
                    ),
                    cog.schedule,
                    permission=Role.STAFF,
                    usage="calendar.usage.schedule",
                ),
                Command(
                    "live",
                    "calendar.cmd.live",
                    (
                        Option(
                            "title",
                            OptionKind.STRING,
                            "calendar.opt.title",
                            required=True,
                            max_length=MAX_TITLE,
                        ),
                        at,
                        channel,
                        Option(
                            "remind",
                            OptionKind.DURATION,
                            "calendar.opt.remind",
                            min_duration=timedelta(minutes=1),
                            max_duration=timedelta(days=7),
                        ),
                        Option("text", OptionKind.STRING, "calendar.opt.text", max_length=MAX_TEXT),
                    ),
                    cog.live,
                    permission=Role.STAFF,
                    usage="calendar.usage.live",
                ),
                Command("list", "calendar.cmd.list", (), cog.list_upcoming, permission=Role.STAFF),
                Command(
                    "cancel",
                    "calendar.cmd.cancel",
                    (announcement,),
                    cog.cancel,
                    permission=Role.STAFF,
                    usage="calendar.usage.id",
                ),
                Command(
                    "preview",
                    "calendar.cmd.preview",
                    (announcement,),
                    cog.preview,
                    permission=Role.STAFF,
                    usage="calendar.usage.id",
                ),
                Command(
                    "settings",
                    "calendar.cmd.settings",
                    (
                        Option(
                            "late",
                            OptionKind.DURATION,
                            "calendar.opt.late",
                            min_duration=timedelta(minutes=0),
                            max_duration=timedelta(days=7),
                        ),
                    ),
                    cog.settings,
                    permission=Role.ADMIN,
                ),
            ),
        )
    ]

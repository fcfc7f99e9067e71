"""The base class of every cog, and the id format of its buttons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from bot.core.arguments import MAX_INTEGER
from bot.core.commands import Command, MessageAction
from bot.core.context import Context
from bot.core.errors import UserFacingError
from bot.core.events import (
    MemberJoined,
    MemberLeft,
    MessageDeleted,
    MessageEdited,
    MessagePosted,
)
from bot.core.model import Community
from bot.core.privacy import PersonalData
from bot.core.reports import CalendarEntry, ReportPeriod, ReportSection
from bot.core.services import Services


@dataclass(frozen=True, slots=True)
class ComponentId:
    """`cog:action:arg…`: routes a button or form to its cog and a database row."""

    cog: str
    action: str
    args: tuple[str, ...] = ()

    def __str__(self) -> str:
        return ":".join((self.cog, self.action, *self.args))

    @classmethod
    def parse(cls, raw: str) -> ComponentId | None:
        parts = raw.split(":")
        if len(parts) < 2 or not all(parts[:2]):
            return None
        return cls(parts[0], parts[1], tuple(parts[2:]))

    def number(self, index: int) -> int:
        """The argument at `index` as a row id or a position. An id that names none (missing,
        not a number, past any row) is a stale or forged button: the member is told so."""
        try:
            value = int(self.args[index])
        except (IndexError, ValueError):
            raise UserFacingError("errors.unknown_button") from None
        if not 0 <= value <= MAX_INTEGER:
            raise UserFacingError("errors.unknown_button")
        return value


class Cog:
    """A feature. Override what it needs; the core calls it with its own services."""

    name: ClassVar[str]

    def __init__(self, services: Services) -> None:
        self.services = services

    def component(self, action: str, *args: object) -> str:
        return str(ComponentId(self.name, action, tuple(str(arg) for arg in args)))

    def commands(self) -> Sequence[Command]:
        return ()

    def message_actions(self) -> Sequence[MessageAction]:
        """Actions on someone else's message (Discord message commands, Slack shortcuts)."""
        return ()

    async def start(self) -> None:
        """Called once the database is ready: reschedule deadlines from the rows (a cog
        that keeps any calls `reschedule()`), and what else a start must do."""

    async def reschedule(self) -> None:
        """Arm every deadline the rows hold; called at start and then every few minutes,
        so a deadline made by another process, or by one that died, is known here too.
        Arming a known deadline again must change nothing."""

    async def stop(self) -> None:
        """Called at shutdown."""

    async def on_member_joined(self, event: MemberJoined) -> None:
        """A member joined a community."""

    async def on_member_left(self, event: MemberLeft) -> None:
        """A member left a community."""

    async def on_message_posted(self, event: MessagePosted) -> None:
        """A member posted a message."""

    async def on_message_edited(self, event: MessageEdited) -> None:
        """A member edited a message."""

    async def on_message_deleted(self, event: MessageDeleted) -> None:
        """A message was deleted, where the platform tells."""

    async def report_section(self, period: ReportPeriod) -> ReportSection | None:
        """This cog's section of the weekly staff digest; None for nothing to report."""
        return None

    def personal_data(self) -> PersonalData | None:
        """What this cog keeps about members, for `/privacy` and the text retention; None
        for a cog that keeps nothing about anyone."""
        return None

    async def calendar_entries(
        self, community: Community, since: datetime, until: datetime
    ) -> Sequence[CalendarEntry]:
        """What this cog has scheduled in that time, for the editorial calendar."""
        return ()

    async def on_button(self, ctx: Context, component: ComponentId) -> None:
        raise UserFacingError("errors.unknown_button")

    async def on_form(
        self, ctx: Context, component: ComponentId, values: Mapping[str, str]
    ) -> None:
        raise UserFacingError("errors.unknown_button")

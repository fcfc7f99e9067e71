"""Commands declared once, with typed options, and usable from every platform."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.core.model import Attachment, Channel, Member, PostedMessage, Role

if TYPE_CHECKING:
    from bot.core.context import Context


class OptionKind(StrEnum):
    STRING = "string"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    CHOICE = "choice"
    MEMBER = "member"
    CHANNEL = "channel"
    DURATION = "duration"
    FILE = "file"  # an attachment: Discord's attachment option, a path or file on text platforms


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str  # catalog key


@dataclass(frozen=True, slots=True)
class Option:
    name: str
    kind: OptionKind
    description: str  # catalog key
    required: bool = False
    min_value: int | None = None
    max_value: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    choices: tuple[Choice, ...] = ()
    min_duration: timedelta | None = None
    max_duration: timedelta | None = None


OptionValue = str | int | bool | Member | Channel | timedelta | Attachment


class Arguments(Mapping[str, OptionValue]):
    """The validated, typed values of one invocation."""

    def __init__(self, values: Mapping[str, OptionValue] | None = None) -> None:
        self._values: dict[str, OptionValue] = dict(values or {})

    def __getitem__(self, key: str) -> OptionValue:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def string(self, name: str, default: str | None = None) -> str | None:
        value = self._values.get(name, default)
        return value if isinstance(value, str) or value is None else str(value)

    def integer(self, name: str, default: int | None = None) -> int | None:
        value = self._values.get(name, default)
        return value if isinstance(value, int) and not isinstance(value, bool) else default

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self._values.get(name, default)
        return value if isinstance(value, bool) else default

    def member(self, name: str) -> Member | None:
        value = self._values.get(name)
        return value if isinstance(value, Member) else None

    def channel(self, name: str) -> Channel | None:
        value = self._values.get(name)
        return value if isinstance(value, Channel) else None

    def duration(self, name: str) -> timedelta | None:
        value = self._values.get(name)
        return value if isinstance(value, timedelta) else None

    def attachment(self, name: str) -> Attachment | None:
        value = self._values.get(name)
        return value if isinstance(value, Attachment) else None


Handler = Callable[["Context", Arguments], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Command:
    """A slash command, or a group of subcommands when `subcommands` is not empty.

    On text platforms (console, Slack) a group may name a `default_subcommand`, so
    `/poll "Q" "A" "B"` means `/poll create "Q" "A" "B"`; Discord shows the subcommands.
    """

    name: str
    description: str  # catalog key
    options: tuple[Option, ...] = ()
    handler: Handler | None = None
    permission: Role = Role.MEMBER
    subcommands: tuple[Command, ...] = ()
    default_subcommand: str | None = None
    usage: str = ""  # catalog key of a usage line for text platforms
    form: Handler | None = field(default=None, compare=False)  # opens a form when typed bare

    def subcommand(self, name: str) -> Command | None:
        lowered = name.lower()
        return next((sub for sub in self.subcommands if sub.name == lowered), None)

    def leaves(self, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Command]]:
        path = (*prefix, self.name)
        if not self.subcommands:
            return [(path, self)]
        found: list[tuple[tuple[str, ...], Command]] = []
        for sub in self.subcommands:
            found.extend(sub.leaves(path))
        return found


MessageActionHandler = Callable[["Context", PostedMessage, str], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class MessageAction:
    """An action on someone else's message: a Discord message command ("Apps → …"), a Slack
    message shortcut, `@x <name> <message> [argument]` on the console.

    `label` is a catalog key (the menu entry, at most 32 characters in every language);
    the handler gets the target message and the console's optional argument ("" elsewhere).
    """

    name: str
    label: str
    handler: MessageActionHandler = field(compare=False)
    permission: Role = Role.MEMBER

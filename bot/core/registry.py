"""The commands every loaded cog declared, for the cogs that describe them (help)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from bot.core.commands import Command


class CommandRegistry:
    def __init__(self) -> None:
        self._commands: list[Command] = []

    def replace(self, commands: Iterable[Command]) -> None:
        self._commands = sorted(commands, key=lambda command: command.name)

    def __iter__(self) -> Iterator[Command]:
        return iter(self._commands)

"""A form on a page runs a cog's own command: the same options, checks and handler as
typing it in the chat, so a setting has one set of rules wherever it is changed."""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.arguments import coerce
from bot.core.commands import Arguments, Command, OptionValue
from bot.core.errors import ArgumentError, UserFacingError
from bot.web.access import Visit, WebInteraction


def find_command(visit: Visit, path: tuple[str, ...]) -> Command:
    found = next((item for item in visit.services.commands if item.name == path[0]), None)
    for part in path[1:]:
        found = found.subcommand(part) if found is not None else None
    if found is None or found.handler is None:
        raise UserFacingError("web.error.cog_off")
    return found


async def run_command(
    visit: Visit, path: tuple[str, ...], typed: Mapping[str, str]
) -> WebInteraction:
    """Run `/path` with the form's non-empty fields as its options; its answers returned."""
    command = find_command(visit, path)
    interaction = WebInteraction()
    ctx = visit.context(interaction)
    ctx.require(command.permission)
    platform = visit.services.platforms.get(visit.community.platform)
    values: dict[str, OptionValue] = {}
    for option in command.options:
        raw = typed.get(option.name, "").strip()
        if raw:
            values[option.name] = await coerce(option, raw, platform, visit.community.id)
        elif option.required:
            raise ArgumentError("errors.missing_option", option=option.name)
    assert command.handler is not None
    await command.handler(ctx, Arguments(values))
    return interaction

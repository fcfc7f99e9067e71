"""Netiquette: flag what breaks the rules, hold it, and let moderators decide in the chat."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.services import Services
    from cogs.netiquette.cog import NetiquetteCog


def setup(services: Services) -> NetiquetteCog:
    # Imported here: the detection engine and its command line load without the cog.
    from cogs.netiquette.cog import NetiquetteCog

    return NetiquetteCog(services)

"""Discord through discord.py: slash commands, embeds with persistent buttons, modals.

`python -m bot run` starts it when DISCORD_TOKEN is set; README.md, "Run on Discord",
says how to create the application and invite the bot.
"""

from __future__ import annotations

from bot.adapters.discord.client import StartError
from bot.adapters.discord.platform import DiscordPlatform
from bot.config import Settings
from bot.core.platform import Platform
from bot.core.services import Services


def create_discord_platform(settings: Settings, services: Services) -> Platform:
    return DiscordPlatform(settings, services.translator)


__all__ = ["DiscordPlatform", "StartError", "create_discord_platform"]

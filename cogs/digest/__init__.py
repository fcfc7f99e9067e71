"""The weekly staff digest, its activity rollups, and the tags staff put on messages."""

from bot.core.services import Services
from cogs.digest.cog import DigestCog


def setup(services: Services) -> DigestCog:
    return DigestCog(services)

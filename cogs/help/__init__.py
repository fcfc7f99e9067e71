"""Help: the commands a member may use, described in the community's language."""

from bot.core.services import Services
from cogs.help.cog import HelpCog


def setup(services: Services) -> HelpCog:
    return HelpCog(services)

"""Welcome: a greeting, the rules and first steps in a DM, an optional starting role."""

from bot.core.services import Services
from cogs.welcome.cog import WelcomeCog


def setup(services: Services) -> WelcomeCog:
    return WelcomeCog(services)

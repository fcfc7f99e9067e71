"""Contests: giveaways with an auditable draw, submission contests, prizes and codes."""

from bot.core.services import Services
from cogs.contests.cog import ContestsCog


def setup(services: Services) -> ContestsCog:
    return ContestsCog(services)

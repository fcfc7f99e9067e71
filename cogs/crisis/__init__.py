"""Crisis alert: a burst of complaints against the community's own baseline, told to staff."""

from bot.core.services import Services
from cogs.crisis.cog import CrisisCog


def setup(services: Services) -> CrisisCog:
    return CrisisCog(services)

"""A test-only cog: a message action, a file option and a record of message events."""

from bot.core.services import Services

from .cog import ProbeCog


def setup(services: Services) -> ProbeCog:
    return ProbeCog(services)

"""Polls: 2-10 options, buttons to vote, live results, a closing time."""

from bot.core.services import Services
from cogs.polls.cog import PollsCog


def setup(services: Services) -> PollsCog:
    return PollsCog(services)

"""Recurring questions: grouped, forwarded to staff, answered once and then by the FAQ."""

from bot.core.services import Services
from cogs.questions.cog import QuestionsCog


def setup(services: Services) -> QuestionsCog:
    return QuestionsCog(services)

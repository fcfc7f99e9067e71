"""Quizzes: question banks (GIFT, CSV), live rounds with answer buttons, leaderboards,
scheduled quizzes."""

from bot.core.services import Services
from cogs.quizzes.cog import QuizzesCog


def setup(services: Services) -> QuizzesCog:
    return QuizzesCog(services)

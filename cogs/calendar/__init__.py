"""The editorial calendar: scheduled and recurring announcements, live sessions."""

from bot.core.services import Services
from cogs.calendar.cog import CalendarCog


def setup(services: Services) -> CalendarCog:
    return CalendarCog(services)

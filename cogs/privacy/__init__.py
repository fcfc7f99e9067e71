"""Privacy: a member's own data exported or erased, and stored message text kept no longer
than the retention period."""

from bot.core.services import Services
from cogs.privacy.cog import PrivacyCog


def setup(services: Services) -> PrivacyCog:
    return PrivacyCog(services)

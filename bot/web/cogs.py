"""The running cogs a page works through: the same objects the chat's buttons reach."""

from __future__ import annotations

from typing import TypeVar

from bot.core.cog import Cog
from bot.core.errors import UserFacingError
from bot.core.services import Services

C = TypeVar("C", bound=Cog)


def loaded(services: Services, kind: type[C]) -> C:
    """The loaded cog of this class; a page of a disabled cog answers with a notice."""
    for cog in services.cogs:
        if isinstance(cog, kind):
            return cog
    raise UserFacingError("web.error.cog_off")

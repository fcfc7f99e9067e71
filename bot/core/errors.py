"""Errors that carry a catalog key, so the member reads them in their own language."""

from __future__ import annotations

from typing import Any


class StartupError(Exception):
    """Ponte cannot start as configured: the message names the setting and the fix."""


class InteractionExpired(Exception):
    """The platform no longer takes an answer to this interaction: it came too late (a
    process far behind its events). Nobody is left to read an answer, so none is tried."""


class UserFacingError(Exception):
    """An error the member should read: a catalog key and its parameters."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
        # A catalog key: how to type the command, shown under an argument error.
        self.usage: str | None = None


class ArgumentError(UserFacingError):
    """A command's arguments do not fit its declaration."""


class PermissionDenied(UserFacingError):
    """The member lacks the role an action needs."""

"""Errors the emulator answers with, shaped like Discord's JSON error bodies."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An HTTP error with Discord's JSON error body ``{"message": ..., "code": ...}``."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        errors: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors is not None:
            body["errors"] = self.errors
        return body

    @classmethod
    def not_found(cls, code: int = 0, what: str | None = None) -> ApiError:
        return cls(404, code, f"Unknown {what}" if what else "404: Not Found")

    @classmethod
    def form(cls, errors: dict[str, Any]) -> ApiError:
        return cls(400, 50035, "Invalid Form Body", errors)


def form_error(code: str, message: str) -> dict[str, Any]:
    """One leaf of an ``Invalid Form Body`` error tree."""
    return {"_errors": [{"code": code, "message": message}]}


def nest_error(path: list[str | int], leaf: dict[str, Any]) -> dict[str, Any]:
    """Wrap ``leaf`` in the nested error tree for ``path`` (e.g. ``["embeds", 0, "title"]``)."""
    tree = leaf
    for key in reversed(path):
        tree = {str(key): tree}
    return tree


UNKNOWN_CHANNEL = 10003
UNKNOWN_GUILD = 10004
UNKNOWN_MEMBER = 10007
UNKNOWN_MESSAGE = 10008
UNKNOWN_ROLE = 10011
UNKNOWN_USER = 10013
UNKNOWN_WEBHOOK = 10015
UNKNOWN_BAN = 10026
UNKNOWN_INTERACTION = 10062
UNKNOWN_APPLICATION_COMMAND = 10063
INTERACTION_ALREADY_ACKNOWLEDGED = 40060
MISSING_ACCESS = 50001
CANNOT_EDIT_OTHERS_MESSAGE = 50005
EMPTY_MESSAGE = 50006
CANNOT_DM_USER = 50007
MISSING_PERMISSIONS = 50013
INVALID_WEBHOOK_TOKEN = 50027

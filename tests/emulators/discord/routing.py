"""Route table for the REST API: a decorator maps ``METHOD /template/{param}`` to handlers."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .models import UploadedFile

if TYPE_CHECKING:
    from .rest import RestApi

JSON = dict[str, Any]


@dataclass
class Request:
    method: str
    path: str
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    files: list[UploadedFile]
    reason: str | None


Reply = tuple[int, Any]
Handler = Callable[["RestApi", Request], Awaitable[Reply]]


@dataclass
class Route:
    method: str
    template: str
    pattern: re.Pattern[str]
    handler: Handler
    auth: bool


_ROUTES: list[Route] = []


def route(method: str, template: str, *, auth: bool = True) -> Callable[[Handler], Handler]:
    regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)

    def register(handler: Handler) -> Handler:
        _ROUTES.append(Route(method, template, re.compile(f"^{regex}$"), handler, auth))
        return handler

    return register


def ok(body: Any = None, status: int = 200) -> Reply:
    return (status, body) if body is not None else (204, None)


NO_CONTENT: Reply = (204, None)


def match(method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    """The first route for ``method`` whose template matches ``path``, with its parameters."""
    for candidate in _ROUTES:
        if candidate.method == method:
            m = candidate.pattern.match(path)
            if m is not None:
                return candidate, m.groupdict()
    return None

"""Plain records the emulator keeps for tests to inspect."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

Transport = Literal["socket", "http"]
EnvelopeType = Literal["events_api", "slash_commands", "interactive", "raw_http"]
# How often a payload comes in the shape of Slack's documented example, without the fields
# its live payloads usually add (see `SlackEmulator.sparse_payloads`).
Sparse = Literal["alternate", "always", "never"]


@dataclass
class ApiCall:
    """One Web API request as the emulator received it."""

    method: str
    params: dict[str, Any]
    time: float
    http_method: str = "POST"
    content_type: str = ""
    token: str | None = None
    status: int = 200
    response: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response.get("ok"))

    @property
    def error(self) -> str | None:
        err = self.response.get("error")
        return err if isinstance(err, str) else None


@dataclass
class Ack:
    """How the app answered one delivery.

    Socket Mode: ``payload`` is the ``payload`` the app put next to the ``envelope_id``
    (``None`` for a bare ack), ``status`` is 200 and ``raw`` is the whole frame.
    HTTP mode: ``status``/``body``/``headers`` are the HTTP response; ``payload`` is the
    body decoded the way Slack reads it (JSON object, or ``{"text": body}`` for a
    non-empty plain-text body, or ``None`` for an empty body).
    """

    payload: dict[str, Any] | None
    status: int = 200
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] | None = None
    elapsed: float = 0.0
    envelope_id: str | None = None

    @property
    def late(self) -> bool:
        """Slack gives up on an ack after 3 seconds."""
        return self.elapsed > 3.0


@dataclass
class Delivery:
    """One thing pushed to the app (an envelope or a signed HTTP request)."""

    type: EnvelopeType
    payload: dict[str, Any]
    transport: Transport
    sent_at: float
    envelope_id: str | None = None
    event_id: str | None = None
    retry_attempt: int = 0
    retry_reason: str = ""
    url: str | None = None
    ack_future: asyncio.Future[Ack] | None = field(default=None, repr=False)
    on_ack: Callable[[Ack], None] | None = field(default=None, repr=False)

    @property
    def acked(self) -> bool:
        return self.ack_future is not None and self.ack_future.done()

    @property
    def event_type(self) -> str | None:
        event = self.payload.get("event")
        if isinstance(event, dict):
            value = event.get("type")
            return value if isinstance(value, str) else None
        return None


@dataclass
class ResponseUrlPost:
    """One POST the app made to a ``response_url``."""

    url: str
    kind: str  # "commands" | "actions" | "views"
    body: dict[str, Any]
    time: float
    status: int
    error: str | None = None


@dataclass
class OpenedView:
    """A modal (or home tab) the app opened, pushed or published."""

    view_id: str
    user_id: str
    view: dict[str, Any]
    method: str
    trigger_id: str | None = None
    closed: bool = False
    errors: dict[str, str] | None = None
    history: list[dict[str, Any]] = field(default_factory=list)

"""How Slack reaches the bot: Socket Mode (an outgoing WebSocket, no public URL) when an
app-level token is set, otherwise an HTTP server for the Events API, slash commands and
interactivity, every request verified with the signing secret (bolt refuses a bad or
stale signature with 401 before any listener runs)."""

from __future__ import annotations

import logging
from typing import Protocol

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


class Transport(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class SocketModeTransport:
    def __init__(self, app: AsyncApp, app_token: str) -> None:
        self.app = app
        self.app_token = app_token
        self.handler: AsyncSocketModeHandler | None = None

    async def start(self) -> None:
        self.handler = AsyncSocketModeHandler(self.app, self.app_token)
        await self.handler.connect_async()  # type: ignore[no-untyped-call]
        log.info("connected to Slack in Socket Mode")

    async def stop(self) -> None:
        if self.handler is not None:
            await self.handler.close_async()  # type: ignore[no-untyped-call]
            self.handler = None


class HttpTransport:
    """One URL (`/slack/events`) for events, commands and interactivity, as the manifest says."""

    def __init__(self, app: AsyncApp, host: str, port: int) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.runner: web.AppRunner | None = None

    async def start(self) -> None:
        server = web.Application()
        server.add_routes([web.post(EVENTS_PATH, self._handle), web.get(HEALTH_PATH, self._health)])
        self.runner = web.AppRunner(server, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, self.host, self.port).start()
        log.info(
            "listening for Slack over HTTP",
            extra={"host": self.host, "port": self.port, "path": EVENTS_PATH},
        )

    async def _handle(self, request: web.Request) -> web.Response:
        answer = await self.app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(answer)

    async def _health(self, request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None

"""Socket Mode: the WebSocket an app opens with the URL from ``apps.connections.open``.

On connect the server sends ``{"type": "hello", ...}``; then it pushes envelopes
(``{"envelope_id", "type", "payload", "accepts_response_payload", ...}``) and the app
answers each with ``{"envelope_id": ..., "payload"?: ...}``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

if TYPE_CHECKING:
    from .emulator import SlackEmulator

log = logging.getLogger(__name__)


@dataclass
class SocketConnection:
    id: int
    ws: web.WebSocketResponse
    opened_at: float = field(default_factory=time.monotonic)
    frames_in: list[dict[str, Any]] = field(default_factory=list)

    @property
    def open(self) -> bool:
        return not self.ws.closed


class SocketModeServer:
    def __init__(self, emu: SlackEmulator) -> None:
        self.emu = emu
        self.tickets: dict[str, float] = {}
        self.connections: list[SocketConnection] = []
        self.connection_count = 0  # every connection ever accepted
        self.rejected = 0
        self._seq = 0
        self._tasks: set[asyncio.Task[Any]] = set()

    def routes(self) -> list[web.RouteDef]:
        return [web.get("/link/", self.handle), web.get("/link", self.handle)]

    def issue_url(self) -> str:
        ticket = secrets.token_hex(16)
        self.tickets[ticket] = time.monotonic()
        host = self.emu.base_url.removeprefix("http://")
        return f"ws://{host}/link/?ticket={ticket}&app_id={self.emu.workspace.app_id}"

    @property
    def open_connections(self) -> list[SocketConnection]:
        return [c for c in self.connections if c.open]

    async def handle(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        if self.tickets.pop(ticket, None) is None:
            self.rejected += 1
            return web.Response(status=401, text="invalid ticket")
        ws = web.WebSocketResponse(autoping=True, heartbeat=None)
        await ws.prepare(request)
        self._seq += 1
        conn = SocketConnection(id=self._seq, ws=ws)
        self.connections.append(conn)
        self.connection_count += 1
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": len(self.open_connections),
                "debug_info": {
                    "host": f"applink-emulator-{conn.id}",
                    "build_number": 1,
                    "approximate_connection_time": 18060,
                },
                "connection_info": {"app_id": self.emu.workspace.app_id},
            }
        )
        self.emu._notify()
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    try:
                        frame = json.loads(msg.data)
                    except json.JSONDecodeError:
                        log.warning("socket mode: non-JSON frame %r", msg.data)
                        continue
                    if isinstance(frame, dict):
                        conn.frames_in.append(frame)
                        if "envelope_id" in frame:
                            self.emu._on_socket_ack(frame)
                elif msg.type == WSMsgType.ERROR:
                    break
        finally:
            if conn in self.connections:
                self.connections.remove(conn)
            self.emu._notify()
        return ws

    async def wait_for_connection(self, within: float) -> SocketConnection:
        conns = await self.emu.wait_for(
            lambda: self.open_connections or None,
            timeout=within,
            what="a Socket Mode connection",
        )
        return conns[-1]

    async def send(self, frame: dict[str, Any], within: float) -> None:
        """Send ``frame`` on the newest open connection, waiting for one if needed."""
        deadline = time.monotonic() + within
        while True:
            conn = await self.wait_for_connection(within=max(deadline - time.monotonic(), 0.01))
            try:
                await conn.ws.send_str(json.dumps(frame))
                return
            except (ConnectionError, RuntimeError):
                if time.monotonic() >= deadline:
                    raise
                await asyncio.sleep(0.05)

    def drop(self, *, graceful: bool = False) -> asyncio.Task[None]:
        """Close every open connection (or ask the app to reconnect, if ``graceful``)."""
        task = asyncio.get_running_loop().create_task(self._drop(graceful))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _drop(self, graceful: bool) -> None:
        for conn in list(self.open_connections):
            if graceful:
                with contextlib.suppress(ConnectionError, RuntimeError):
                    await conn.ws.send_json(
                        {
                            "type": "disconnect",
                            "reason": "refresh_requested",
                            "debug_info": {"host": f"applink-emulator-{conn.id}"},
                        }
                    )
            else:
                await conn.ws.close(code=1001, message=b"going away")

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for conn in list(self.connections):
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.ws.close(code=1001, message=b"server shutdown"), 2)
        self.connections.clear()

"""The gateway: a websocket speaking Discord's JSON gateway protocol (v10, uncompressed).

HELLO -> IDENTIFY/RESUME, heartbeats, READY + GUILD_CREATE, intent-filtered dispatches with
sequence numbers, RESUME replay, INVALID_SESSION, RECONNECT and REQUEST_GUILD_MEMBERS.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import time
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from aiohttp import WSMsgType, web

from .constants import (
    ALL_INTENTS,
    DM_EVENT_INTENTS,
    GUILD_EVENT_INTENTS,
    PRIVILEGED_INTENTS,
    CloseCode,
    Intent,
    Op,
)
from .models import Guild
from .state import EmulatorState

JSON = dict[str, Any]
SEND_ERRORS = (ConnectionError, RuntimeError, asyncio.CancelledError)
CONTENT_FIELDS = ("content", "embeds", "attachments", "components", "poll")


class Dispatch(NamedTuple):
    """One dispatch (op 0) sequenced for a session."""

    seq: int
    event: str
    payload: JSON


@dataclass
class Connection:
    ws: web.WebSocketResponse
    request: web.Request
    path: str
    query: dict[str, str]
    opened_at: float = field(default_factory=time.monotonic)
    server_closing: bool = False


@dataclass
class Session:
    id: str
    intents: int
    shard: tuple[int, int]
    identify: JSON
    buffer: list[Dispatch] = field(default_factory=list)
    conn: Connection | None = None
    sent: int = 0  # how many buffer entries went out on the current connection
    valid: bool = True
    initial_seq: int = 0  # seq of the last READY/GUILD_CREATE
    delivered_initial: bool = False
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    writer: asyncio.Task[None] | None = None

    @property
    def seq(self) -> int:
        return len(self.buffer)

    def owns_guild(self, guild_id: str | None) -> bool:
        shard_id, count = self.shard
        if guild_id is None:
            return shard_id == 0
        return (int(guild_id) >> 22) % max(count, 1) == shard_id


class Gateway:
    def __init__(self, state: EmulatorState, *, heartbeat_interval: int = 41250) -> None:
        self.state = state
        self.heartbeat_interval = heartbeat_interval
        self.url = ""  # ws://host:port/ (set when the server starts)
        self.sessions: dict[str, Session] = {}
        self.connections: list[Connection] = []
        self.dispatch_log: list[Dispatch] = []
        self.received: list[JSON] = []  # every payload the client sent (op, d)
        self.replayed: list[int] = []  # seqs re-sent on RESUME
        self.identify_count = 0
        self.resume_count = 0
        self.invalid_session_count = 0

    @property
    def resume_url(self) -> str:
        return self.url.rstrip("/") + "/resume"

    # ------------------------------------------------------------------ websocket handler

    async def handle(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        if not ws.can_prepare(request).ok:
            return web.Response(status=400, text="Expected a websocket upgrade")
        await ws.prepare(request)
        conn = Connection(ws=ws, request=request, path=request.path, query=dict(request.query))
        self.connections.append(conn)
        session: Session | None = None
        try:
            version = conn.query.get("v", "10")
            if version not in ("9", "10"):
                await self._close(conn, CloseCode.INVALID_API_VERSION, "Invalid API version")
                return ws
            if conn.query.get("encoding", "json") != "json":
                await self._close(conn, CloseCode.DECODE_ERROR, "Only encoding=json is emulated")
                return ws
            await self._send(
                conn, {"op": Op.HELLO, "d": {"heartbeat_interval": self.heartbeat_interval}}
            )
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    await self._close(conn, CloseCode.DECODE_ERROR, "Error while decoding payload")
                    break
                try:
                    frame = json.loads(msg.data)
                    op = int(frame["op"])
                except (ValueError, KeyError, TypeError):
                    await self._close(conn, CloseCode.DECODE_ERROR, "Error while decoding payload")
                    break
                self.received.append(frame)
                session = await self._on_frame(conn, session, op, frame.get("d"))
                if conn.server_closing:
                    break
        finally:
            self._on_disconnect(conn, session)
        return ws

    async def _on_frame(
        self, conn: Connection, session: Session | None, op: int, data: Any
    ) -> Session | None:
        if op == Op.HEARTBEAT:
            await self._send(conn, {"op": Op.HEARTBEAT_ACK})
            return session
        if op == Op.IDENTIFY:
            if session is not None:
                await self._close(conn, CloseCode.ALREADY_AUTHENTICATED, "Already authenticated")
                return session
            return await self._identify(conn, data if isinstance(data, dict) else {})
        if op == Op.RESUME:
            if session is not None:
                await self._close(conn, CloseCode.ALREADY_AUTHENTICATED, "Already authenticated")
                return session
            return await self._resume(conn, data if isinstance(data, dict) else {})
        if session is None:
            await self._close(conn, CloseCode.NOT_AUTHENTICATED, "Not authenticated")
            return None
        if op == Op.REQUEST_GUILD_MEMBERS:
            self._request_members(session, data if isinstance(data, dict) else {})
        elif op == Op.PRESENCE_UPDATE:
            self.state.presence = data
        elif op in (Op.VOICE_STATE_UPDATE, Op.REQUEST_SOUNDBOARD_SOUNDS):
            pass
        else:
            await self._close(conn, CloseCode.UNKNOWN_OPCODE, "Unknown opcode")
        return session

    async def _identify(self, conn: Connection, data: JSON) -> Session | None:
        token = str(data.get("token") or "")
        if token.removeprefix("Bot ") != self.state.token:
            await self._close(conn, CloseCode.AUTHENTICATION_FAILED, "Authentication failed")
            return None
        intents = data.get("intents")
        if not isinstance(intents, int) or intents < 0 or intents & ~ALL_INTENTS:
            await self._close(conn, CloseCode.INVALID_INTENTS, "Invalid intent(s)")
            return None
        for name, bit in PRIVILEGED_INTENTS.items():
            if intents & bit and name not in self.state.privileged_intents:
                await self._close(conn, CloseCode.DISALLOWED_INTENTS, "Disallowed intent(s)")
                return None
        shard_data = data.get("shard") or [0, 1]
        shard = (int(shard_data[0]), int(shard_data[1]))
        if shard[1] < 1 or not 0 <= shard[0] < shard[1]:
            await self._close(conn, CloseCode.INVALID_SHARD, "Invalid shard")
            return None
        session = Session(
            id=self.state.new_token()[:32], intents=intents, shard=shard, identify=data
        )
        self.sessions[session.id] = session
        self.identify_count += 1
        session.conn = conn
        session.writer = asyncio.create_task(self._writer(session), name="gateway-writer")
        guilds = [g for g in self.state.guilds.values() if session.owns_guild(g.id)]
        ready: JSON = {
            "v": 10,
            "user": self.state.bot_user_payload(),
            "guilds": [{"id": g.id, "unavailable": True} for g in guilds],
            "session_id": session.id,
            "resume_gateway_url": self.resume_url,
            "application": {
                "id": self.state.application_id,
                "flags": self.state.application_flags(),
            },
        }
        if "shard" in data:
            ready["shard"] = [shard[0], shard[1]]
        self._sequence(session, "READY", ready)
        if intents & Intent.GUILDS:
            for guild in guilds:
                self._sequence(session, "GUILD_CREATE", self._guild_create(session, guild))
        session.initial_seq = session.seq
        return session

    def _guild_create(self, session: Session, guild: Guild) -> JSON:
        return self.state.guild_create_payload(
            guild, all_members=bool(session.intents & Intent.GUILD_PRESENCES)
        )

    async def _resume(self, conn: Connection, data: JSON) -> Session | None:
        session = self.sessions.get(str(data.get("session_id")))
        token = str(data.get("token") or "").removeprefix("Bot ")
        seq = data.get("seq")
        if (
            session is None
            or not session.valid
            or token != self.state.token
            or not isinstance(seq, int)
            or seq > session.seq
        ):
            self.invalid_session_count += 1
            await self._send(conn, {"op": Op.INVALID_SESSION, "d": False})
            return None
        previous = session.conn
        if previous is not None and previous is not conn:
            previous.server_closing = True
            with contextlib.suppress(*SEND_ERRORS):
                await previous.ws.close(code=CloseCode.UNKNOWN_ERROR)
        session.conn = conn
        session.sent = seq
        self.replayed.extend(range(seq + 1, session.seq + 1))
        self.resume_count += 1
        self._sequence(session, "RESUMED", {})
        return session

    def _request_members(self, session: Session, data: JSON) -> None:
        guild = self.state.guilds.get(str(data.get("guild_id")))
        if guild is None:
            return
        query = data.get("query")
        limit = int(data.get("limit") or 0)
        user_ids = [str(u) for u in data.get("user_ids") or []]
        if isinstance(data.get("user_ids"), str | int):
            user_ids = [str(data["user_ids"])]
        members = list(guild.members.values())
        not_found: list[str] = []
        if user_ids:
            not_found = [u for u in user_ids if u not in guild.members]
            members = [m for m in members if m.user_id in user_ids]
        elif query:
            wanted = str(query).casefold()
            members = [
                m
                for m in members
                if self.state.users[m.user_id].username.casefold().startswith(wanted)
                or (m.nick or "").casefold().startswith(wanted)
            ]
        if limit and not (query == "" and not user_ids):
            members = members[:limit]
        chunks = [members[i : i + 1000] for i in range(0, len(members), 1000)] or [[]]
        for index, chunk in enumerate(chunks):
            payload: JSON = {
                "guild_id": guild.id,
                "members": [self.state.member_payload(guild, m) for m in chunk],
                "chunk_index": index,
                "chunk_count": len(chunks),
            }
            if not_found and index == 0:
                payload["not_found"] = not_found
            if data.get("presences"):
                payload["presences"] = []
            if data.get("nonce") is not None:
                payload["nonce"] = data["nonce"]
            self._sequence(session, "GUILD_MEMBERS_CHUNK", payload)

    def _on_disconnect(self, conn: Connection, session: Session | None) -> None:
        if session is None or session.conn is not conn:
            return
        session.conn = None
        code = conn.ws.close_code
        if not conn.server_closing and code in (1000, 1001):
            # A client closing with 1000/1001 ends its session (it can't be resumed).
            self._invalidate(session)
        self.state.on_change()

    def _invalidate(self, session: Session) -> None:
        session.valid = False
        session.wake.set()

    # ------------------------------------------------------------------ sending

    async def _send(self, conn: Connection, frame: JSON) -> None:
        if conn.ws.closed:
            return
        with contextlib.suppress(*SEND_ERRORS[:2]):
            await conn.ws.send_str(json.dumps(frame))

    async def _close(self, conn: Connection, code: int, reason: str) -> None:
        conn.server_closing = True
        with contextlib.suppress(*SEND_ERRORS):
            await conn.ws.close(code=code, message=reason.encode())

    def _sequence(self, session: Session, event: str, payload: JSON) -> None:
        item = Dispatch(session.seq + 1, event, payload)
        session.buffer.append(item)
        self.dispatch_log.append(item)
        session.wake.set()

    async def _writer(self, session: Session) -> None:
        while session.valid:
            await session.wake.wait()
            session.wake.clear()
            while session.valid and session.conn is not None and session.sent < session.seq:
                conn = session.conn
                item = session.buffer[session.sent]
                frame = {"op": Op.DISPATCH, "s": item.seq, "t": item.event, "d": item.payload}
                if conn.ws.closed:
                    break
                try:
                    await conn.ws.send_str(json.dumps(frame))
                except SEND_ERRORS[:2]:
                    break
                if session.conn is conn:
                    session.sent = max(session.sent, item.seq)
                if not session.delivered_initial and item.seq >= session.initial_seq:
                    session.delivered_initial = True
                    self.state.on_change()

    # ------------------------------------------------------------------ dispatching

    def dispatch(self, event: str, payload: JSON, guild_id: str | None) -> None:
        """Send ``event`` to every session entitled to it (shard + intents)."""
        for session in list(self.sessions.values()):
            if not session.valid or not session.owns_guild(guild_id):
                continue
            needed = (GUILD_EVENT_INTENTS if guild_id else DM_EVENT_INTENTS).get(event)
            if needed is not None and not session.intents & needed:
                continue
            self._sequence(session, event, self._redact(session, event, payload))

    def _redact(self, session: Session, event: str, payload: JSON) -> JSON:
        """Apply the MESSAGE_CONTENT intent rules to message events."""
        if event not in ("MESSAGE_CREATE", "MESSAGE_UPDATE"):
            return payload
        if session.intents & Intent.MESSAGE_CONTENT:
            return payload
        bot_id = self.state.bot_user_id
        if (
            not payload.get("guild_id")
            or payload.get("author", {}).get("id") == bot_id
            or any(m.get("id") == bot_id for m in payload.get("mentions", []))
        ):
            return payload
        redacted = copy.deepcopy(payload)
        for key in CONTENT_FIELDS:
            if key == "content":
                redacted[key] = ""
            elif key == "poll":
                redacted.pop(key, None)
            else:
                redacted[key] = []
        return redacted

    # ------------------------------------------------------------------ test controls

    def live_sessions(self) -> list[Session]:
        return [s for s in self.sessions.values() if s.valid and s.conn is not None]

    async def drop(self, *, resumable: bool = True, code: int | None = 4000) -> None:
        """Close every live connection (``code=None``: abort the TCP connection)."""
        for session in self.live_sessions():
            conn = session.conn
            assert conn is not None
            if not resumable:
                self._invalidate(session)
            conn.server_closing = True
            session.conn = None
            if code is None:
                transport = conn.request.transport
                if transport is not None:
                    transport.abort()
            else:
                with contextlib.suppress(*SEND_ERRORS):
                    await asyncio.wait_for(conn.ws.close(code=code, message=b"dropped"), 5)
        self.state.on_change()

    async def send_reconnect(self) -> None:
        """Send op 7 RECONNECT: the client should close and RESUME."""
        for session in self.live_sessions():
            assert session.conn is not None
            await self._send(session.conn, {"op": Op.RECONNECT, "d": None})

    async def invalidate(self, *, resumable: bool = False) -> None:
        """Send op 9 INVALID_SESSION to every live connection."""
        for session in self.live_sessions():
            assert session.conn is not None
            if not resumable:
                self._invalidate(session)
            await self._send(session.conn, {"op": Op.INVALID_SESSION, "d": resumable})

    async def close(self) -> None:
        for session in self.sessions.values():
            session.valid = False
            session.wake.set()
            if session.writer is not None:
                session.writer.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await session.writer
        for conn in self.connections:
            if not conn.ws.closed:
                conn.server_closing = True
                with contextlib.suppress(*SEND_ERRORS):
                    await asyncio.wait_for(conn.ws.close(code=1001, message=b"shutdown"), 2)

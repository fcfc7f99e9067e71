"""The REST API (``/api/v10``): auth, call recording, rate-limit injection, JSON replies.

Handlers live in ``routes_core`` (identity, commands, guilds), ``routes_messages``
(channels, messages, interaction callbacks) and ``routes_webhooks``.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from aiohttp import BodyPartReader, web

from . import routes_core, routes_messages, routes_webhooks
from .commands import CommandStore
from .constants import MessageFlag, Permission
from .errors import MISSING_ACCESS, MISSING_PERMISSIONS, UNKNOWN_MESSAGE, ApiError
from .gateway import Gateway
from .models import Channel, Guild, UploadedFile
from .responses import Interactions
from .routing import Request, match
from .state import EmulatorState

JSON = dict[str, Any]
# Imported for their @route registrations.
ROUTE_MODULES = (routes_core, routes_messages, routes_webhooks)


@dataclass
class RecordedCall:
    """One REST request the client made (recorded before it is answered)."""

    method: str
    path: str  # e.g. "/channels/123/messages" (no "/api/v10" prefix, no query)
    query: dict[str, str]
    json: Any  # the JSON body, or the parsed ``payload_json`` of a multipart body
    time: float  # time.monotonic()
    files: list[str] = field(default_factory=list)  # uploaded file names
    route: str | None = None  # the matched template, e.g. "/channels/{channel_id}/messages"
    status: int = 0  # the status answered (filled in after handling)
    reason: str | None = None  # X-Audit-Log-Reason
    api_version: int = 10


@dataclass
class RateLimitRule:
    method: str
    pattern: re.Pattern[str]
    remaining: int
    retry_after: float
    is_global: bool = False


class RestApi:
    def __init__(
        self,
        state: EmulatorState,
        gateway: Gateway,
        commands: CommandStore,
        interactions: Interactions,
        *,
        shard_count: int = 1,
    ) -> None:
        self.state = state
        self.gateway = gateway
        self.commands = commands
        self.interactions = interactions
        self.shard_count = shard_count
        self.calls: list[RecordedCall] = []
        self.rate_limits: list[RateLimitRule] = []

    # ------------------------------------------------------------------ plumbing

    async def handle(self, request: web.Request) -> web.StreamResponse:
        version = int(request.match_info["version"])
        path = "/" + request.match_info["path"]
        body, files = await self._read_body(request)
        call = RecordedCall(
            method=request.method,
            path=path,
            query=dict(request.query),
            json=body,
            time=time.monotonic(),
            files=[f.filename for f in files],
            reason=unquote(request.headers["X-Audit-Log-Reason"])
            if "X-Audit-Log-Reason" in request.headers
            else None,
            api_version=version,
        )
        self.calls.append(call)
        try:
            response = await self._dispatch(request, call, path, body, files)
        finally:
            self.state.on_change()
        return response

    async def _dispatch(
        self,
        request: web.Request,
        call: RecordedCall,
        path: str,
        body: Any,
        files: list[UploadedFile],
    ) -> web.StreamResponse:
        found = match(request.method, path)
        matched, params = found if found is not None else (None, {})
        call.route = matched.template if matched else None
        bucket = hashlib.sha1(f"{request.method} {call.route or path}".encode()).hexdigest()[:16]
        rule = self._rate_limited(request.method, path)
        if rule is not None:
            call.status = 429
            return self._too_many(rule, bucket)
        if matched is None:
            call.status = 404
            return self._json(404, {"message": "404: Not Found", "code": 0}, bucket)
        if matched.auth and request.headers.get("Authorization") != f"Bot {self.state.token}":
            call.status = 401
            return self._json(401, {"message": "401: Unauthorized", "code": 0}, bucket)
        req = Request(
            method=request.method,
            path=path,
            params=params,
            query=dict(request.query),
            body=body,
            files=files,
            reason=call.reason,
        )
        try:
            status, payload = await matched.handler(self, req)
        except ApiError as exc:
            call.status = exc.status
            return self._json(exc.status, exc.body(), bucket)
        call.status = status
        if status == 204:
            return web.Response(status=204, headers=self._ratelimit_headers(bucket))
        return self._json(status, payload, bucket)

    async def _read_body(self, request: web.Request) -> tuple[Any, list[UploadedFile]]:
        if not request.can_read_body:
            return None, []
        ctype = request.headers.get("Content-Type", "")
        if ctype.startswith("multipart/"):
            body: Any = None
            files: list[UploadedFile] = []
            reader = await request.multipart()
            while True:
                part = await reader.next()
                if part is None:
                    break
                if not isinstance(part, BodyPartReader):
                    continue
                data = await part.read(decode=False)
                if part.name == "payload_json":
                    body = json.loads(bytes(data).decode())
                elif part.filename is not None:
                    files.append(
                        UploadedFile(
                            field_name=part.name or "file",
                            filename=part.filename,
                            content_type=part.headers.get(
                                "Content-Type", "application/octet-stream"
                            ),
                            data=bytes(data),
                        )
                    )
                elif part.name:
                    body = body or {}
                    body[part.name] = bytes(data).decode()
            return body, files
        raw = await request.read()
        if not raw:
            return None, []
        try:
            return json.loads(raw), []
        except ValueError:
            return raw.decode(errors="replace"), []

    def _ratelimit_headers(self, bucket: str) -> dict[str, str]:
        return {
            "X-RateLimit-Bucket": bucket,
            "X-RateLimit-Limit": "50",
            "X-RateLimit-Remaining": "49",
            "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
            "X-RateLimit-Reset-After": "1.000",
        }

    def _json(self, status: int, payload: Any, bucket: str) -> web.Response:
        # Exactly "application/json": discord.py only decodes that exact value.
        headers = {"Content-Type": "application/json", **self._ratelimit_headers(bucket)}
        return web.Response(status=status, body=json.dumps(payload).encode(), headers=headers)

    def _rate_limited(self, method: str, path: str) -> RateLimitRule | None:
        for rule in self.rate_limits:
            if rule.remaining > 0 and rule.method in (method, "*") and rule.pattern.fullmatch(path):
                rule.remaining -= 1
                return rule
        return None

    def _too_many(self, rule: RateLimitRule, bucket: str) -> web.Response:
        body = {
            "message": "You are being rate limited.",
            "retry_after": rule.retry_after,
            "global": rule.is_global,
        }
        headers = {
            "Content-Type": "application/json",
            "Via": "1.1 google",
            "Retry-After": str(max(1, math.ceil(rule.retry_after))),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + rule.retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{rule.retry_after:.3f}",
            "X-RateLimit-Bucket": bucket,
            "X-RateLimit-Scope": "global" if rule.is_global else "user",
        }
        if rule.is_global:
            headers["X-RateLimit-Global"] = "true"
        return web.Response(status=429, body=json.dumps(body).encode(), headers=headers)

    # ------------------------------------------------------------------ helpers

    @property
    def bot_id(self) -> str:
        return self.state.bot_user_id

    def _guild(self, req: Request) -> Guild:
        return self.state.guild_by_id(req.params["guild_id"])

    def _channel(self, req: Request, *, view: bool = True) -> Channel:
        channel = self.state.channel(req.params["channel_id"])
        if view:
            self._require_view(channel)
        return channel

    def _require_view(self, channel: Channel) -> None:
        guild = self.state.guild_of(channel)
        if guild is not None:
            perms = guild.channel_permissions(self.bot_id, channel)
            if not perms & Permission.VIEW_CHANNEL:
                raise ApiError(403, MISSING_ACCESS, "Missing Access")

    def _require_in(self, channel: Channel, permission: int) -> None:
        """The bot's `permission` in a guild channel; a DM channel asks none."""
        guild = self.state.guild_of(channel)
        if guild is not None:
            self._require(guild, permission, channel)

    def _require(self, guild: Guild, permission: int, channel: Channel | None = None) -> None:
        perms = (
            guild.channel_permissions(self.bot_id, channel)
            if channel is not None
            else guild.base_permissions(self.bot_id)
        )
        if perms & permission != permission:
            raise ApiError(403, MISSING_PERMISSIONS, "Missing Permissions")

    def _body(self, req: Request) -> JSON:
        if req.body is None:
            return {}
        if not isinstance(req.body, dict):
            raise ApiError(400, 50109, "The request body contains invalid JSON.")
        return req.body

    def _app(self, req: Request) -> None:
        if req.params["application_id"] != self.state.application_id:
            raise ApiError(403, MISSING_ACCESS, "Missing Access")

    def _scope(self, req: Request) -> str | None:
        guild_id = req.params.get("guild_id")
        if guild_id is not None:
            self.state.guild_by_id(guild_id)
        return guild_id

    def _message_in(self, req: Request) -> JSON:
        """A message addressed through a channel route (ephemeral ones are not reachable)."""
        msg = self.state.message(req.params["message_id"], req.params["channel_id"])
        if msg["flags"] & MessageFlag.EPHEMERAL:
            raise ApiError(404, UNKNOWN_MESSAGE, "Unknown Message")
        return msg

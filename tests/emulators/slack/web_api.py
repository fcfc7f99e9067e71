"""Slack Web API (``/api/{method}``) with documented request and response shapes.

Requests may be GET or POST; arguments may come in the query string, a
form-encoded body, a multipart body, or a JSON body (JSON bodies need the token in
``Authorization: Bearer``). Every answer is HTTP 200 with ``{"ok": true, ...}`` or
``{"ok": false, "error": "..."}``, except rate limits (HTTP 429 + ``Retry-After``).
"""

from __future__ import annotations

import base64
import contextlib
import copy
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from aiohttp import web
from aiohttp.web_request import FileField

from .blocks import iter_elements, reused_block_ids, validate_message_blocks, validate_view
from .records import ApiCall, OpenedView
from .state import Conversation, UploadedFile, User

if TYPE_CHECKING:
    from .emulator import SlackEmulator

JSON_STRING_ARGS = ("blocks", "attachments", "view", "metadata", "files", "user_auth_blocks")
APP_TOKEN_METHODS = frozenset({"apps.connections.open", "auth.test"})
BOT_TOKEN_FORBIDDEN = frozenset({"apps.connections.open"})
MAX_TEXT = 40_000

METHOD_SCOPES: dict[str, str] = {
    "chat.postMessage": "chat:write",
    "chat.update": "chat:write",
    "chat.delete": "chat:write",
    "chat.postEphemeral": "chat:write",
    "conversations.join": "channels:join",
    "users.info": "users:read",
    "users.list": "users:read",
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
    "reactions.add": "reactions:write",
    "bots.info": "users:read",
    "team.info": "team:read",
}


class ApiError(Exception):
    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


@dataclass
class CallContext:
    method: str
    params: dict[str, Any]
    token: str
    token_kind: str  # "bot" | "app"
    http_method: str


Handler = Callable[[CallContext], dict[str, Any]]


def _flag(params: dict[str, Any], key: str, default: bool = False) -> bool:
    value = params.get(key)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("1", "true", "yes")


def _int(params: dict[str, Any], key: str, default: int) -> int:
    value = params.get(key)
    if value in (None, ""):
        return default
    try:
        return int(str(value))
    except ValueError as exc:
        raise ApiError(
            "invalid_arguments", response_metadata={"messages": [f"[ERROR] invalid {key}"]}
        ) from exc


def _str(params: dict[str, Any], key: str) -> str | None:
    value = params.get(key)
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _form_value(value: str | bytes | bytearray | FileField) -> str | bytes:
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    data = value.file.read()
    return data if isinstance(data, bytes) else str(data).encode()


def _encode_cursor(index: int) -> str:
    return base64.b64encode(f"next:{index}".encode()).decode()


def _decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        kind, _, raw = base64.b64decode(cursor.encode(), validate=True).decode().partition(":")
        if kind != "next":
            raise ValueError(kind)
        return int(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError("invalid_cursor") from exc


def _invalid_args(messages: list[str]) -> ApiError:
    return ApiError(
        "invalid_arguments",
        response_metadata={"messages": [f"[ERROR] {m}" for m in messages]},
    )


class WebApi:
    def __init__(self, emu: SlackEmulator) -> None:
        self.emu = emu
        self.ws = emu.workspace
        self._uploads: dict[str, str] = {}  # upload token -> file id
        self.handlers: dict[str, Handler] = {
            "api.test": self.api_test,
            "auth.test": self.auth_test,
            "apps.connections.open": self.apps_connections_open,
            "chat.postMessage": self.chat_post_message,
            "chat.update": self.chat_update,
            "chat.postEphemeral": self.chat_post_ephemeral,
            "chat.getPermalink": self.chat_get_permalink,
            "conversations.open": self.conversations_open,
            "conversations.info": self.conversations_info,
            "conversations.list": self.conversations_list,
            "conversations.members": self.conversations_members,
            "conversations.join": self.conversations_join,
            "conversations.history": self.conversations_history,
            "conversations.replies": self.conversations_replies,
            "users.info": self.users_info,
            "users.list": self.users_list,
            "views.open": self.views_open,
            "views.update": self.views_update,
            "views.push": self.views_push,
            "views.publish": self.views_publish,
            "files.getUploadURLExternal": self.files_get_upload_url_external,
            "files.completeUploadExternal": self.files_complete_upload_external,
            "reactions.add": self.reactions_add,
            "bots.info": self.bots_info,
            "team.info": self.team_info,
        }
        from .files import file_handlers
        from .invites import invite_handlers
        from .moderation import moderation_handlers  # all build on this module
        from .usergroups import usergroup_handlers

        self.handlers.update(
            {
                **moderation_handlers(self),
                **file_handlers(self),
                **invite_handlers(self),
                **usergroup_handlers(self),
            }
        )

    def routes(self) -> list[web.RouteDef]:
        from .files import file_routes

        return [
            web.route("*", "/api/{method}", self.handle),
            web.post("/upload/v1/{token}", self.handle_upload),
            *file_routes(self),
        ]

    # -- plumbing ------------------------------------------------------------

    async def _parse(self, request: web.Request) -> tuple[dict[str, Any], str | None, list[str]]:
        params: dict[str, Any] = dict(request.query)
        warnings: list[str] = []
        token: str | None = None
        authorization = request.headers.get("Authorization", "")
        if authorization.lower().startswith("bearer "):
            token = authorization[7:].strip() or None
        raw_type = request.headers.get("Content-Type")
        if request.method == "POST" and request.body_exists:
            ctype = request.content_type
            if ctype == "multipart/form-data":
                form = await request.post()
                for key, value in form.items():
                    params[key] = _form_value(value)
            else:
                raw = await request.read()
                if raw:
                    if raw_type is None:
                        raise ApiError("missing_post_type")
                    text = raw.decode(request.charset or "utf-8")
                    if ctype == "application/json":
                        try:
                            body = json.loads(text)
                        except json.JSONDecodeError as exc:
                            raise ApiError("invalid_json") from exc
                        if not isinstance(body, dict):
                            raise ApiError("json_not_object")
                        body.pop("token", None)  # JSON bodies cannot carry the token
                        params.update(body)
                        if "charset" not in raw_type.lower():
                            warnings.append("missing_charset")
                    elif ctype == "application/x-www-form-urlencoded":
                        params.update(parse_qsl(text, keep_blank_values=True))
                    elif ctype == "text/plain":
                        pass
                    else:
                        raise ApiError("invalid_post_type")
        form_token = params.pop("token", None)
        if token is None and isinstance(form_token, str) and form_token:
            token = form_token
        for key in JSON_STRING_ARGS:
            raw_value = params.get(key)
            if isinstance(raw_value, str) and raw_value.strip()[:1] in ("[", "{"):
                with contextlib.suppress(json.JSONDecodeError):
                    params[key] = json.loads(raw_value)
        return params, token, warnings

    def _authenticate(self, method: str, token: str | None) -> str:
        if not token:
            raise ApiError("not_authed")
        if token == self.emu.bot_token:
            if method in BOT_TOKEN_FORBIDDEN:
                raise ApiError("not_allowed_token_type")
            return "bot"
        if token == self.emu.app_token:
            if method not in APP_TOKEN_METHODS:
                raise ApiError("not_allowed_token_type")
            return "app"
        if token in self.emu.user_tokens:
            return "user"
        raise ApiError("invalid_auth")

    def _require_scope(self, scope: str) -> None:
        if scope not in self.emu.bot_scopes:
            raise ApiError("missing_scope", needed=scope, provided=",".join(self.emu.bot_scopes))

    async def handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        started = time.time()
        call = ApiCall(
            method=method,
            params={},
            time=started,
            http_method=request.method,
            content_type=request.headers.get("Content-Type", ""),
        )
        headers = {"X-Slack-Req-Id": secrets.token_hex(16)}
        try:
            params, token, warnings = await self._parse(request)
        except ApiError as exc:
            call.response = {"ok": False, "error": exc.error, **exc.extra}
            self.emu._record_call(call)
            return web.json_response(call.response, headers=headers)
        call.params = copy.deepcopy(params)
        call.token = token

        retry_after = self.emu._take_rate_limit(method)
        if retry_after is not None:
            call.status = 429
            call.response = {"ok": False, "error": "ratelimited"}
            self.emu._record_call(call)
            headers["Retry-After"] = str(retry_after)
            return web.json_response(call.response, status=429, headers=headers)

        try:
            handler = self.handlers.get(method)
            if handler is None:
                raise ApiError("unknown_method")
            kind = self._authenticate(method, token)
            assert token is not None
            if kind == "bot" and method in METHOD_SCOPES:
                self._require_scope(METHOD_SCOPES[method])
            result = handler(CallContext(method, params, token, kind, request.method))
            response: dict[str, Any] = {"ok": True, **result}
        except ApiError as exc:
            response = {"ok": False, "error": exc.error, **exc.extra}
        if warnings:
            response["warning"] = ",".join(warnings)
            meta = response.setdefault("response_metadata", {})
            meta.setdefault("warnings", []).extend(warnings)
        if token == self.emu.bot_token:
            headers["X-OAuth-Scopes"] = ",".join(self.emu.bot_scopes)
        elif token == self.emu.app_token:
            headers["X-OAuth-Scopes"] = "connections:write"
        call.response = response
        self.emu._record_call(call)
        return web.json_response(response, headers=headers)

    # -- shared helpers ------------------------------------------------------

    @property
    def bot(self) -> User:
        return self.ws.bot_user

    def _conversation(
        self, params: dict[str, Any], key: str = "channel", *, allow_user_id: bool = False
    ) -> Conversation:
        value = _str(params, key)
        if not value:
            raise ApiError("channel_not_found")
        conv = self.ws.resolve(value)
        if conv is None and allow_user_id and value[:1] in ("U", "W") and value in self.ws.users:
            conv = self.ws.im_with(value)
        if conv is None or not self.ws.can_see(self.bot.id, conv):
            raise ApiError("channel_not_found")
        return conv

    def _require_read_scope(self, conv: Conversation) -> None:
        if conv.is_im:
            self._require_scope("im:read")
        elif conv.is_mpim:
            self._require_scope("mpim:read")
        elif conv.is_private:
            self._require_scope("groups:read")
        else:
            self._require_scope("channels:read")

    def _require_history_scope(self, conv: Conversation) -> None:
        if conv.is_im:
            self._require_scope("im:history")
        elif conv.is_mpim:
            self._require_scope("mpim:history")
        elif conv.is_private:
            self._require_scope("groups:history")
        else:
            self._require_scope("channels:history")

    def _require_post(self, conv: Conversation) -> None:
        if conv.is_archived:
            raise ApiError("is_archived")
        if self.bot.id in conv.members:
            return
        if conv.is_channel and not conv.is_private and "chat:write.public" in self.emu.bot_scopes:
            return
        raise ApiError("not_in_channel")

    def _content(self, params: dict[str, Any]) -> tuple[str, list[dict[str, Any]] | None, Any]:
        text = _str(params, "text") or ""
        markdown_text = _str(params, "markdown_text")
        blocks = params.get("blocks")
        attachments = params.get("attachments")
        if markdown_text is not None:
            if text or blocks is not None:
                raise ApiError("markdown_text_conflict")
            text = markdown_text
        if blocks is not None:
            if not isinstance(blocks, list):
                raise ApiError("invalid_blocks_format")
            errors = validate_message_blocks(blocks)
            if errors:
                raise ApiError(
                    "invalid_blocks",
                    errors=errors,
                    response_metadata={"messages": [f"[ERROR] {e}" for e in errors]},
                )
        if attachments is not None and not isinstance(attachments, list):
            raise ApiError("invalid_attachments")
        if attachments is not None and len(attachments) > 100:
            raise ApiError("too_many_attachments")
        if not text.strip() and not blocks and not attachments:
            raise ApiError("no_text")
        if len(text) > MAX_TEXT:
            raise ApiError("msg_too_long")
        return text, (self._with_block_ids(blocks) if blocks is not None else None), attachments

    def _with_block_ids(self, blocks: list[Any]) -> list[dict[str, Any]]:
        """Blocks as Slack stores them: every block gets a ``block_id`` and every
        interactive element an ``action_id`` when the app left them out."""
        stored = copy.deepcopy(blocks)
        for block in stored:
            if isinstance(block, dict) and not block.get("block_id"):
                block["block_id"] = self.ws.ids.block_id()
        for _block, element in iter_elements(stored):
            if element.get("type") != "image" and not element.get("action_id"):
                element["action_id"] = self.ws.ids.block_id()
        return stored

    def _bot_profile(self) -> dict[str, Any]:
        return {
            "id": self.ws.bot_id,
            "app_id": self.ws.app_id,
            "name": self.bot.name,
            "icons": {
                "image_36": "https://avatars.example.invalid/bot_36.png",
                "image_48": "https://avatars.example.invalid/bot_48.png",
                "image_72": "https://avatars.example.invalid/bot_72.png",
            },
            "deleted": False,
            "updated": self.bot.updated,
            "team_id": self.ws.team_id,
        }

    def _is_own(self, message: dict[str, Any]) -> bool:
        return message.get("bot_id") == self.ws.bot_id or message.get("user") == self.bot.id

    def _message(self, conv: Conversation, ts: str) -> dict[str, Any]:
        message = self.ws.find_message(conv.id, ts)
        if message is None:
            raise ApiError("message_not_found")
        return message

    def _thread_parent(self, conv: Conversation, params: dict[str, Any]) -> str | None:
        """``thread_ts`` as given. Slack's docs ask for the parent's ts, never a reply's, and
        promise nothing for a reply's: the emulator refuses one."""
        thread_ts = _str(params, "thread_ts")
        if not thread_ts:
            return None
        parent = self.ws.find_message(conv.id, thread_ts)
        if parent is not None and parent.get("thread_ts") not in (None, thread_ts):
            raise ApiError("invalid_thread_ts")
        return thread_ts

    def _public_message(self, message: dict[str, Any]) -> dict[str, Any]:
        return copy.deepcopy(message)

    # -- auth / apps ---------------------------------------------------------

    def api_test(self, ctx: CallContext) -> dict[str, Any]:
        return {"args": {k: v for k, v in ctx.params.items() if isinstance(v, str)}}

    def auth_test(self, ctx: CallContext) -> dict[str, Any]:
        base = {
            "url": f"https://{self.ws.team_domain}.slack.com/",
            "team": self.ws.team_name,
            "team_id": self.ws.team_id,
        }
        if ctx.token_kind == "app":
            return {
                **base,
                "app_id": self.ws.app_id,
                "app_name": self.bot.name,
                "is_enterprise_install": False,
            }
        if ctx.token_kind == "user":
            user = self.ws.users[self.emu.user_tokens[ctx.token]]
            return {**base, "user": user.name, "user_id": user.id, "is_enterprise_install": False}
        return {
            **base,
            "user": self.bot.name,
            "user_id": self.bot.id,
            "bot_id": self.ws.bot_id,
            "is_enterprise_install": False,
        }

    def apps_connections_open(self, ctx: CallContext) -> dict[str, Any]:
        if ctx.http_method != "POST":
            raise ApiError("insecure_request")
        return {"url": self.emu._socket.issue_url()}

    # -- chat ----------------------------------------------------------------

    def chat_post_message(self, ctx: CallContext) -> dict[str, Any]:
        params = ctx.params
        conv = self._conversation(params, allow_user_id=True)
        self._require_post(conv)
        text, blocks, attachments = self._content(params)
        message = self.emu._new_bot_message(conv, text=text, blocks=blocks, attachments=attachments)
        thread_ts = self._thread_parent(conv, params)
        if thread_ts:
            parent = self.ws.find_message(conv.id, thread_ts)
            message["thread_ts"] = thread_ts
            if parent is not None and parent.get("user"):
                message["parent_user_id"] = parent["user"]
            if _flag(params, "reply_broadcast"):
                message["subtype"] = "thread_broadcast"
        if "chat:write.customize" in self.emu.bot_scopes:  # otherwise Slack ignores them
            if params.get("username"):
                message["username"] = _str(params, "username")
            if params.get("icon_emoji"):
                message["icons"] = {"emoji": _str(params, "icon_emoji")}
            elif params.get("icon_url"):
                message["icons"] = {"image_64": _str(params, "icon_url")}
        if isinstance(params.get("metadata"), dict):
            message["metadata"] = params["metadata"]
        self.ws.add_message(conv.id, message)
        self.emu._after_bot_post(conv, message)
        return {"channel": conv.id, "ts": message["ts"], "message": self._public_message(message)}

    def chat_update(self, ctx: CallContext) -> dict[str, Any]:
        params = ctx.params
        conv = self._conversation(params)
        ts = _str(params, "ts")
        if not ts:
            raise ApiError("message_not_found")
        message = self._message(conv, ts)
        if not self._is_own(message):
            raise ApiError("cant_update_message")
        has_text = "text" in params or "markdown_text" in params
        if not has_text and "blocks" not in params and "attachments" not in params:
            raise ApiError("no_text")
        probe = dict(params)
        if not has_text:
            probe["text"] = message.get("text", "")
        if "blocks" not in probe and message.get("blocks"):
            probe["blocks"] = message["blocks"]
        if "attachments" not in probe and message.get("attachments"):
            probe["attachments"] = message["attachments"]
        text, blocks, attachments = self._content(probe)
        if reused := reused_block_ids(message.get("blocks"), blocks):
            self.emu.problems.append(f"chat.update of {ts} kept block_ids {reused}")
        message["text"] = text
        if blocks:
            message["blocks"] = blocks
        else:
            message.pop("blocks", None)
        if attachments:
            message["attachments"] = attachments
        else:
            message.pop("attachments", None)
        if isinstance(params.get("metadata"), dict):
            message["metadata"] = params["metadata"]
        message["edited"] = {"user": self.bot.id, "ts": self.ws.clock.next()}
        self.emu._notify()
        return {
            "channel": conv.id,
            "ts": ts,
            "text": text,
            "message": self._public_message(message),
        }

    def chat_post_ephemeral(self, ctx: CallContext) -> dict[str, Any]:
        params = ctx.params
        conv = self._conversation(params, allow_user_id=False)
        self._require_post(conv)
        user_id = _str(params, "user")
        if not user_id or user_id not in self.ws.users:
            raise ApiError("user_not_found")
        if user_id not in conv.members:
            raise ApiError("user_not_in_channel")
        text, blocks, attachments = self._content(params)
        ts = self.ws.clock.next()
        record: dict[str, Any] = {
            "type": "message",
            "subtype": "bot_message",
            "channel": conv.id,
            "user": user_id,
            "ts": ts,
            "text": text,
            "bot_id": self.ws.bot_id,
            "source": "chat.postEphemeral",
        }
        if blocks is not None:
            record["blocks"] = blocks
        if attachments is not None:
            record["attachments"] = attachments
        thread_ts = self._thread_parent(conv, params)
        if thread_ts:
            record["thread_ts"] = thread_ts
        self.ws.ephemerals.append(record)
        self.emu._notify()
        return {"message_ts": ts}

    def chat_get_permalink(self, ctx: CallContext) -> dict[str, Any]:
        conv = self._conversation(ctx.params)
        ts = _str(ctx.params, "message_ts")
        if not ts:
            raise ApiError("message_not_found")
        message = self._message(conv, ts)
        link = f"https://{self.ws.team_domain}.slack.com/archives/{conv.id}/p{ts.replace('.', '')}"
        thread_ts = message.get("thread_ts")
        if thread_ts and thread_ts != ts:
            link += f"?thread_ts={thread_ts}&cid={conv.id}"
        return {"channel": conv.id, "permalink": link}

    # -- conversations -------------------------------------------------------

    def conversations_open(self, ctx: CallContext) -> dict[str, Any]:
        params = ctx.params
        return_im = _flag(params, "return_im")
        channel = _str(params, "channel")
        if channel:
            conv = self.ws.conversations.get(channel)
            if conv is None or conv.is_channel or self.bot.id not in conv.members:
                raise ApiError("channel_not_found")
            return {
                "no_op": True,
                "already_open": True,
                "channel": conv.to_api(self.bot.id) if return_im else {"id": conv.id},
            }
        raw_users = _str(params, "users")
        if not raw_users:
            raise ApiError("users_list_not_supplied")
        user_ids = [u.strip() for u in raw_users.split(",") if u.strip()]
        for user_id in user_ids:
            user = self.ws.users.get(user_id)
            if user is None:
                raise ApiError("user_not_found")
            if user.deleted:
                raise ApiError("user_disabled")
            if user.team_id != self.ws.team_id:
                # A Slack Connect member of another organization: a DM with them needs an
                # invitation a bot cannot send.
                raise ApiError("invalid_user_combination")
        others = [u for u in user_ids if u != self.bot.id] or user_ids
        if len(set(others)) == 1:
            self._require_scope("im:write")
            existing = self.ws.existing_im(others[0])
            conv = existing or self.ws.im_with(others[0])
            already = existing is not None
        else:
            self._require_scope("mpim:write")
            if len(set(others)) > 8:
                raise ApiError("too_many_users")
            conv, already = self.ws.mpim_with(others)
        result: dict[str, Any] = {}
        if already:
            result["no_op"] = True
            result["already_open"] = True
        result["channel"] = conv.to_api(self.bot.id) if (return_im or already) else {"id": conv.id}
        return result

    def conversations_info(self, ctx: CallContext) -> dict[str, Any]:
        conv = self._conversation(ctx.params)
        self._require_read_scope(conv)
        return {
            "channel": conv.to_api(
                self.bot.id,
                include_num_members=_flag(ctx.params, "include_num_members"),
                include_locale=_flag(ctx.params, "include_locale"),
            )
        }

    def _page(
        self, items: list[Any], params: dict[str, Any], default_limit: int
    ) -> tuple[list[Any], str]:
        start = _decode_cursor(_str(params, "cursor"))
        if start > len(items):
            raise ApiError("invalid_cursor")
        limit = _int(params, "limit", default_limit)
        if limit <= 0:
            limit = max(len(items), 1)
        limit = min(limit, 1000)
        cap = self.emu.page_size_cap
        if cap is not None:
            limit = min(limit, cap)
        page = items[start : start + limit]
        end = start + len(page)
        return page, (_encode_cursor(end) if end < len(items) else "")

    def conversations_list(self, ctx: CallContext) -> dict[str, Any]:
        params = ctx.params
        types = {
            t.strip() for t in (_str(params, "types") or "public_channel").split(",") if t.strip()
        }
        valid = {"public_channel", "private_channel", "mpim", "im"}
        if not types or not types <= valid:
            raise ApiError("invalid_types")
        needed = {
            "public_channel": "channels:read",
            "private_channel": "groups:read",
            "mpim": "mpim:read",
            "im": "im:read",
        }
        for kind in sorted(types):
            self._require_scope(needed[kind])
        exclude_archived = _flag(params, "exclude_archived")
        matches: list[Conversation] = []
        for conv in self.ws.conversations.values():
            if exclude_archived and conv.is_archived:
                continue
            if conv.is_im:
                wanted = "im" in types and self.bot.id in conv.members
            elif conv.is_mpim:
                wanted = "mpim" in types and self.bot.id in conv.members
            elif conv.is_private:
                wanted = "private_channel" in types and self.bot.id in conv.members
            else:
                wanted = "public_channel" in types
            if wanted:
                matches.append(conv)
        page, next_cursor = self._page(matches, params, 100)
        return {
            "channels": [c.to_api(self.bot.id) for c in page],
            "response_metadata": {"next_cursor": next_cursor},
        }

    def conversations_members(self, ctx: CallContext) -> dict[str, Any]:
        conv = self._conversation(ctx.params)
        self._require_read_scope(conv)
        page, next_cursor = self._page(list(conv.members), ctx.params, 100)
        return {"members": page, "response_metadata": {"next_cursor": next_cursor}}

    def conversations_join(self, ctx: CallContext) -> dict[str, Any]:
        value = _str(ctx.params, "channel")
        conv = self.ws.resolve(value) if value else None
        if conv is None:
            raise ApiError("channel_not_found")
        if not conv.is_channel or conv.is_private:
            if not self.ws.can_see(self.bot.id, conv):
                raise ApiError("channel_not_found")
            raise ApiError("method_not_supported_for_channel_type")
        if conv.is_archived:
            raise ApiError("is_archived")
        result: dict[str, Any] = {}
        if self.bot.id in conv.members:
            result["warning"] = "already_in_channel"
            result["response_metadata"] = {"warnings": ["already_in_channel"]}
        else:
            conv.members.append(self.bot.id)
            self.emu._after_bot_join(conv)
        result["channel"] = conv.to_api(self.bot.id)
        return result

    def conversations_history(self, ctx: CallContext) -> dict[str, Any]:
        conv = self._conversation(ctx.params)
        self._require_history_scope(conv)
        if self.bot.id not in conv.members:
            raise ApiError("not_in_channel")
        visible = [
            m
            for m in self.ws.messages.get(conv.id, [])
            if not m.get("thread_ts")
            or m["thread_ts"] == m["ts"]
            or m.get("subtype") == "thread_broadcast"
        ]
        newest_first = list(reversed(visible))
        page, next_cursor = self._page(newest_first, ctx.params, 100)
        return {
            "messages": [self._public_message(m) for m in page],
            "has_more": bool(next_cursor),
            "pin_count": 0,
            "response_metadata": {"next_cursor": next_cursor},
        }

    def conversations_replies(self, ctx: CallContext) -> dict[str, Any]:
        conv = self._conversation(ctx.params)
        self._require_history_scope(conv)
        ts = _str(ctx.params, "ts")
        if not ts:
            raise ApiError("thread_not_found")
        parent = self._message(conv, ts)
        root = str(parent.get("thread_ts") or parent["ts"])
        thread = [
            m
            for m in self.ws.messages.get(conv.id, [])
            if m["ts"] == root or m.get("thread_ts") == root
        ]
        page, next_cursor = self._page(thread, ctx.params, 1000)
        return {
            "messages": [self._public_message(m) for m in page],
            "has_more": bool(next_cursor),
            "response_metadata": {"next_cursor": next_cursor},
        }

    # -- users ---------------------------------------------------------------

    def _user_api(self, user: User, include_locale: bool) -> dict[str, Any]:
        data = user.to_api(include_locale=include_locale)
        if "users:read.email" not in self.emu.bot_scopes:
            data["profile"].pop("email", None)
        return data

    def users_info(self, ctx: CallContext) -> dict[str, Any]:
        user_id = _str(ctx.params, "user")
        user = self.ws.users.get(user_id or "")
        if user is None:
            raise ApiError("user_not_found")
        return {"user": self._user_api(user, _flag(ctx.params, "include_locale"))}

    def users_list(self, ctx: CallContext) -> dict[str, Any]:
        include_locale = _flag(ctx.params, "include_locale")
        users = list(self.ws.users.values())
        page, next_cursor = self._page(users, ctx.params, 0)
        return {
            "members": [self._user_api(u, include_locale) for u in page],
            "cache_ts": int(time.time()),
            "response_metadata": {"next_cursor": next_cursor},
        }

    def bots_info(self, ctx: CallContext) -> dict[str, Any]:
        bot_id = _str(ctx.params, "bot")
        for user in self.ws.users.values():
            if user.is_bot and user.bot_id and user.bot_id == bot_id:
                return {
                    "bot": {
                        "id": user.bot_id,
                        "deleted": user.deleted,
                        "name": user.name,
                        "updated": user.updated,
                        "app_id": user.app_id,
                        "user_id": user.id,
                        "icons": {
                            "image_36": "https://avatars.example.invalid/bot_36.png",
                            "image_48": "https://avatars.example.invalid/bot_48.png",
                            "image_72": "https://avatars.example.invalid/bot_72.png",
                        },
                    }
                }
        raise ApiError("bot_not_found")

    def team_info(self, ctx: CallContext) -> dict[str, Any]:
        return {
            "team": {
                "id": self.ws.team_id,
                "name": self.ws.team_name,
                "url": f"https://{self.ws.team_domain}.slack.com/",
                "domain": self.ws.team_domain,
                "email_domain": "",
                "icon": {"image_default": True},
                "avatar_base_url": "https://avatars.example.invalid/",
                "is_verified": False,
            }
        }

    # -- views ---------------------------------------------------------------

    def _view_arg(self, params: dict[str, Any]) -> dict[str, Any]:
        view = params.get("view")
        if not isinstance(view, dict):
            raise _invalid_args(["failed to match all allowed schemas [json-pointer:/view]"])
        errors = validate_view(view)
        if errors:
            raise _invalid_args(errors)
        return view

    def _trigger_user(self, params: dict[str, Any]) -> tuple[str, str]:
        trigger_id = _str(params, "trigger_id")
        if not trigger_id:
            raise _invalid_args(["missing required field: trigger_id"])
        trigger = self.ws.triggers.get(trigger_id)
        if trigger is None:
            raise _invalid_args(["invalid `trigger_id`"])
        if trigger.used:
            raise ApiError("exchanged_trigger_id")
        if time.monotonic() - trigger.issued_at > self.emu.trigger_ttl:
            raise ApiError("expired_trigger_id")
        trigger.used = True
        return trigger_id, trigger.user_id

    def _build_view(
        self,
        view: dict[str, Any],
        *,
        view_id: str | None = None,
        root_view_id: str | None = None,
        previous_view_id: str | None = None,
    ) -> dict[str, Any]:
        new_id = view_id or self.ws.ids.new("V")
        external_id = view.get("external_id", "")
        if external_id:
            for record in self.emu.views.values():
                if record.view_id != new_id and record.view.get("external_id") == external_id:
                    raise ApiError("duplicate_external_id")
        built: dict[str, Any] = {
            "id": new_id,
            "team_id": self.ws.team_id,
            "type": view["type"],
            "blocks": self._with_block_ids(view.get("blocks", [])),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "previous_view_id": previous_view_id,
            "root_view_id": root_view_id or new_id,
            "app_id": self.ws.app_id,
            "external_id": external_id,
            "app_installed_team_id": self.ws.team_id,
            "bot_id": self.ws.bot_id,
        }
        for key in ("title", "submit", "close"):
            built[key] = copy.deepcopy(view.get(key))
        return built

    def _remember_view(
        self, built: dict[str, Any], user_id: str, method: str, trigger_id: str | None
    ) -> None:
        record = OpenedView(
            view_id=built["id"], user_id=user_id, view=built, method=method, trigger_id=trigger_id
        )
        self.emu.views[built["id"]] = record
        self.emu.views_opened.append(record)
        self.emu._notify()

    def views_open(self, ctx: CallContext) -> dict[str, Any]:
        trigger_id, user_id = self._trigger_user(ctx.params)
        view = self._view_arg(ctx.params)
        if view["type"] != "modal":
            raise _invalid_args(["must be modal [json-pointer:/view/type]"])
        built = self._build_view(view)
        self._remember_view(built, user_id, "views.open", trigger_id)
        return {"view": copy.deepcopy(built)}

    def views_push(self, ctx: CallContext) -> dict[str, Any]:
        trigger_id, user_id = self._trigger_user(ctx.params)
        view = self._view_arg(ctx.params)
        stack = [
            r
            for r in self.emu.views_opened
            if r.user_id == user_id and not r.closed and r.view["type"] == "modal"
        ]
        if not stack:
            raise _invalid_args(["no modal is open for this user"])
        top = stack[-1]
        if sum(1 for r in stack if r.view["root_view_id"] == top.view["root_view_id"]) >= 3:
            raise ApiError("push_limit_reached")
        built = self._build_view(
            view, root_view_id=top.view["root_view_id"], previous_view_id=top.view_id
        )
        self._remember_view(built, user_id, "views.push", trigger_id)
        return {"view": copy.deepcopy(built)}

    def views_update(self, ctx: CallContext) -> dict[str, Any]:
        params = ctx.params
        view = self._view_arg(params)
        view_id = _str(params, "view_id")
        external_id = _str(params, "external_id")
        record: OpenedView | None = None
        if view_id:
            record = self.emu.views.get(view_id)
        elif external_id:
            record = next(
                (r for r in self.emu.views.values() if r.view.get("external_id") == external_id),
                None,
            )
        else:
            raise _invalid_args(["must provide view_id or external_id"])
        if record is None:
            raise ApiError("not_found")
        expected_hash = _str(params, "hash")
        if expected_hash and expected_hash != record.view["hash"]:
            raise ApiError("hash_conflict")
        built = self._build_view(
            view,
            view_id=record.view_id,
            root_view_id=record.view["root_view_id"],
            previous_view_id=record.view.get("previous_view_id"),
        )
        record.history.append(record.view)
        record.view = built
        self.emu._notify()
        return {"view": copy.deepcopy(built)}

    def views_publish(self, ctx: CallContext) -> dict[str, Any]:
        user_id = _str(ctx.params, "user_id")
        if not user_id or user_id not in self.ws.users:
            raise ApiError("user_not_found")
        view = self._view_arg(ctx.params)
        if view["type"] != "home":
            raise _invalid_args(["must be home [json-pointer:/view/type]"])
        previous = self.emu.home_tabs.get(user_id)
        expected_hash = _str(ctx.params, "hash")
        if previous is not None and expected_hash and expected_hash != previous.view["hash"]:
            raise ApiError("hash_conflict")
        built = self._build_view(view, view_id=previous.view_id if previous else None)
        record = OpenedView(
            view_id=built["id"], user_id=user_id, view=built, method="views.publish"
        )
        if previous is not None:
            record.history = [*previous.history, previous.view]
        self.emu.home_tabs[user_id] = record
        self.emu._notify()
        return {"view": copy.deepcopy(built)}

    # -- files ---------------------------------------------------------------

    def files_get_upload_url_external(self, ctx: CallContext) -> dict[str, Any]:
        filename = _str(ctx.params, "filename")
        if not filename:
            raise _invalid_args(["missing required field: filename"])
        length = _int(ctx.params, "length", 0)
        if length <= 0:
            raise ApiError("missing_argument")
        alt_txt = _str(ctx.params, "alt_txt")
        if alt_txt is not None and len(alt_txt) > 1000:
            raise ApiError("alt_txt_too_large")
        record = UploadedFile(
            id=self.ws.ids.new("F"), filename=filename, length=length, alt_txt=alt_txt
        )
        self.ws.files[record.id] = record
        upload_token = secrets.token_urlsafe(16)
        self._uploads[upload_token] = record.id
        return {"upload_url": f"{self.emu.base_url}/upload/v1/{upload_token}", "file_id": record.id}

    async def handle_upload(self, request: web.Request) -> web.Response:
        file_id = self._uploads.get(request.match_info["token"])
        if file_id is None:
            return web.Response(status=404, text="Not Found")
        record = self.ws.files[file_id]
        if request.content_type == "multipart/form-data":
            form = await request.post()
            field = form.get("file") or form.get("filename")
            value = _form_value(field) if field is not None else b""
            data = value.encode() if isinstance(value, str) else value
        else:
            data = await request.read()
        record.data = data
        self.emu._notify()
        return web.Response(status=200, text=f"OK - {len(data)}", content_type="text/plain")

    def files_complete_upload_external(self, ctx: CallContext) -> dict[str, Any]:
        params = ctx.params
        files = params.get("files")
        if not isinstance(files, list) or not files:
            raise _invalid_args(["missing required field: files"])
        records: list[UploadedFile] = []
        for entry in files:
            file_id = entry.get("id") if isinstance(entry, dict) else None
            record = self.ws.files.get(file_id or "")
            if record is None or record.data is None:
                raise ApiError("file_not_found")
            if isinstance(entry, dict) and entry.get("title"):
                record.title = str(entry["title"])
            records.append(record)
        targets: list[Conversation] = []
        channel_ids = [c for c in (_str(params, "channels") or "").split(",") if c]
        if params.get("channel_id"):
            channel_ids.insert(0, str(params["channel_id"]))
        for channel_id in channel_ids:
            conv = self.ws.resolve(channel_id)
            if conv is None or not self.ws.can_see(self.bot.id, conv):
                raise ApiError("invalid_channel")
            try:
                self._require_post(conv)
            except ApiError as exc:
                raise ApiError("posting_to_channel_denied") from exc
            targets.append(conv)
        for record in records:
            record.completed = True
        file_objects = [r.to_api(self.bot.id, self.emu.base_url) for r in records]
        for conv in targets:
            for record in records:
                record.channel_id = conv.id
            message = self.emu._new_bot_message(
                conv, text=_str(params, "initial_comment") or "", blocks=None, attachments=None
            )
            message["files"] = copy.deepcopy(file_objects)
            message["upload"] = True
            if params.get("thread_ts"):
                message["thread_ts"] = _str(params, "thread_ts")
            self.ws.add_message(conv.id, message)
            self.emu._after_bot_post(conv, message)
        self.emu._notify()
        return {"files": file_objects}

    # -- reactions -----------------------------------------------------------

    def reactions_add(self, ctx: CallContext) -> dict[str, Any]:
        params = ctx.params
        name = _str(params, "name")
        ts = _str(params, "timestamp")
        if not params.get("channel") or not ts:
            raise ApiError("no_item_specified")
        conv = self._conversation(params)
        if not name or ":" in name or " " in name:
            raise ApiError("invalid_name")
        message = self._message(conv, ts)
        reactions: list[dict[str, Any]] = message.setdefault("reactions", [])
        for reaction in reactions:
            if reaction["name"] == name:
                if self.bot.id in reaction["users"]:
                    raise ApiError("already_reacted")
                reaction["users"].append(self.bot.id)
                reaction["count"] += 1
                break
        else:
            reactions.append({"name": name, "users": [self.bot.id], "count": 1})
        self.emu._notify()
        return {}

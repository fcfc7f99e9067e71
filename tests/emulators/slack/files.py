"""Files members share: ``files.info``, the ``url_private`` download, and a share helper.

A download needs ``Authorization: Bearer`` with a token that may read files (a bot token
with ``files:read``); without one Slack answers 200 with its sign-in page in HTML, not an
error, and so does the emulator.
"""

from __future__ import annotations

import mimetypes
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import payloads
from .state import UploadedFile

if TYPE_CHECKING:
    from .emulator import SlackEmulator
    from .web_api import CallContext, Handler, WebApi

SIGN_IN_PAGE = "<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in</body></html>"


def file_handlers(api: WebApi) -> dict[str, Handler]:
    from .web_api import ApiError, _str

    def files_info(ctx: CallContext) -> dict[str, Any]:
        if ctx.token_kind == "bot":
            api._require_scope("files:read")
        record = api.ws.files.get(_str(ctx.params, "file") or "")
        if record is None or not record.completed:
            raise ApiError("file_not_found")
        return {
            "file": record.to_api(api.bot.id, api.emu.base_url),
            "comments": [],
            "response_metadata": {"next_cursor": ""},
        }

    return {"files.info": files_info}


def file_routes(api: WebApi) -> list[web.RouteDef]:
    async def download(request: web.Request) -> web.Response:
        emu = api.emu
        authorization = request.headers.get("Authorization", "")
        token = authorization[7:].strip() if authorization.lower().startswith("bearer ") else ""
        allowed = token in emu.user_tokens or (
            token == emu.bot_token and "files:read" in emu.bot_scopes
        )
        record = api.ws.files.get(request.match_info["file_id"])
        if not allowed:
            return web.Response(text=SIGN_IN_PAGE, content_type="text/html")
        if record is None or record.data is None:
            return web.Response(status=404, text="Not Found")
        emu.downloads.append(record.id)
        return web.Response(body=record.data, content_type=record.mimetype)

    return [
        web.get("/files-pri/{file_id}/download/{name}", download),
        web.get("/files-pri/{file_id}/{name}", download),
    ]


async def share_file(
    emu: SlackEmulator,
    user_id: str,
    channel: str,
    filename: str,
    data: bytes,
    *,
    mimetype: str | None = None,
    text: str = "",
) -> str:
    """A member drags a file into `channel`: a ``file_share`` message; returns the file id."""
    ws = emu.workspace
    user = emu._user(user_id)
    conv = emu._conv(channel)
    record = UploadedFile(
        id=ws.ids.new("F"),
        filename=filename,
        length=len(data),
        data=data,
        completed=True,
        channel_id=conv.id,
        owner=user.id,
        mimetype=mimetype or mimetypes.guess_type(filename)[0] or "application/octet-stream",
    )
    ws.files[record.id] = record
    message = payloads.user_message(
        ws, user, conv, text, ws.clock.next(), thread_ts=None, bot=False
    )
    message["subtype"] = "file_share"
    message["upload"] = True
    message["files"] = [record.to_api(user.id, emu.base_url)]
    ws.add_message(conv.id, message)
    emu._notify()
    if ws.bot_user.id in conv.members:
        await emu._emit_event(payloads.message_event(message, conv))
    return record.id

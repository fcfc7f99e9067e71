"""REST handlers: channels, messages, reactions, pins and interaction callbacks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from .constants import MessageFlag, Permission
from .errors import CANNOT_EDIT_OTHERS_MESSAGE, ApiError
from .messages import validate_message_body
from .moderation import purge, thread_payload
from .routing import NO_CONTENT, Reply, Request, ok, route
from .state import Author, EmulatorState

if TYPE_CHECKING:
    from .rest import RestApi

JSON = dict[str, Any]


# ---------------------------------------------------------------------- channels & messages


@route("GET", "/channels/{channel_id}")
async def get_channel(api: RestApi, req: Request) -> Reply:
    channel = api._channel(req)
    owner = api.state.thread_owners.get(channel.id)
    if owner is not None:
        return ok(thread_payload(api.state, channel, owner))
    return ok(api.state.channel_payload(channel))


@route("GET", "/channels/{channel_id}/messages")
async def list_messages(api: RestApi, req: Request) -> Reply:
    channel = api._channel(req)
    api._require_in(channel, Permission.READ_MESSAGE_HISTORY)
    visible = [m for m in api.state.messages[channel.id] if not m["flags"] & MessageFlag.EPHEMERAL]
    limit = max(1, min(int(req.query.get("limit", 50)), 100))
    if "around" in req.query:
        pivot = int(req.query["around"])
        ordered = sorted(visible, key=lambda m: abs(int(m["id"]) - pivot))[:limit]
        selected = sorted(ordered, key=lambda m: int(m["id"]), reverse=True)
    elif "after" in req.query:
        after = int(req.query["after"])
        newer = [m for m in visible if int(m["id"]) > after][:limit]
        selected = list(reversed(newer))
    else:
        before = int(req.query["before"]) if "before" in req.query else None
        older = [m for m in visible if before is None or int(m["id"]) < before]
        selected = list(reversed(older))[:limit]
    return ok([api.state.rest_message(m) for m in selected])


@route("GET", "/channels/{channel_id}/messages/{message_id}")
async def get_message(api: RestApi, req: Request) -> Reply:
    api._channel(req)
    return ok(api.state.rest_message(api._message_in(req)))


@route("POST", "/channels/{channel_id}/messages")
async def create_message(api: RestApi, req: Request) -> Reply:
    channel = api._channel(req, view=False)
    body = api._body(req)
    validate_message_body(body, creating=True, file_count=len(req.files))
    needs = int(Permission.ATTACH_FILES) if req.files else 0
    api.state.check_can_send(channel, api.bot_id, needs=needs)
    reference = body.get("message_reference")
    if isinstance(reference, dict) and reference.get("message_id"):
        api._require_in(channel, Permission.READ_MESSAGE_HISTORY)
    if body.get("enforce_nonce") and body.get("nonce") is not None:
        # Discord answers a repeated nonce (same author, recent) with the existing message.
        for existing in api.state.messages[channel.id]:
            if existing.get("nonce") == body["nonce"] and existing["author"]["id"] == api.bot_id:
                return ok(api.state.rest_message(existing))
    msg = api.state.create_message(channel, Author(user_id=api.bot_id), body, req.files)
    return ok(api.state.rest_message(msg))


@route("PATCH", "/channels/{channel_id}/messages/{message_id}")
async def edit_message(api: RestApi, req: Request) -> Reply:
    api._channel(req)
    msg = api._message_in(req)
    body = api._body(req)
    own = msg["author"]["id"] == api.bot_id
    if not own or msg.get("webhook_id", api.state.application_id) != api.state.application_id:
        raise ApiError(
            403, CANNOT_EDIT_OTHERS_MESSAGE, "Cannot edit a message authored by another user"
        )
    validate_message_body(body, creating=False, file_count=len(req.files), existing=msg)
    return ok(api.state.rest_message(api.state.edit_message(msg, body, req.files)))


@route("DELETE", "/channels/{channel_id}/messages/{message_id}")
async def delete_message(api: RestApi, req: Request) -> Reply:
    channel = api._channel(req)
    msg = api._message_in(req)
    guild = api.state.guild_of(channel)
    if msg["author"]["id"] != api.bot_id and guild is not None:
        api._require(guild, Permission.MANAGE_MESSAGES, channel)
    api.state.delete_message(msg)
    return NO_CONTENT


@route("POST", "/channels/{channel_id}/messages/bulk-delete")
async def bulk_delete(api: RestApi, req: Request) -> Reply:
    channel = api._channel(req)
    guild = api.state.guild_of(channel)
    if guild is None:
        raise ApiError(403, 50003, "Cannot execute action on a DM channel")
    api._require(guild, Permission.MANAGE_MESSAGES, channel)
    ids = [str(i) for i in api._body(req).get("messages") or []]
    if not 2 <= len(ids) <= 100:
        raise ApiError.form(
            {
                "messages": {
                    "_errors": [
                        {
                            "code": "BASE_TYPE_BAD_LENGTH",
                            "message": "Must be between 2 and 100 in length.",
                        }
                    ]
                }
            }
        )
    purge(api.state, channel, ids)
    return NO_CONTENT


@route("POST", "/channels/{channel_id}/typing")
async def typing(api: RestApi, req: Request) -> Reply:
    api._channel(req)
    return NO_CONTENT


@route("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me")
async def add_own_reaction(api: RestApi, req: Request) -> Reply:
    channel = api._channel(req)
    msg = api._message_in(req)
    api._require_in(channel, Permission.READ_MESSAGE_HISTORY | Permission.ADD_REACTIONS)
    api.state.add_reaction(msg, api.bot_id, api.state.parse_emoji(req.params["emoji"]))
    return NO_CONTENT


@route("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me")
async def remove_own_reaction(api: RestApi, req: Request) -> Reply:
    api._channel(req)
    msg = api._message_in(req)
    api.state.remove_reaction(msg, api.bot_id, api.state.parse_emoji(req.params["emoji"]))
    return NO_CONTENT


@route("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/{user_id}")
async def remove_user_reaction(api: RestApi, req: Request) -> Reply:
    channel = api._channel(req)
    msg = api._message_in(req)
    api._require_in(channel, Permission.MANAGE_MESSAGES)
    api.state.remove_reaction(
        msg, req.params["user_id"], api.state.parse_emoji(req.params["emoji"])
    )
    return NO_CONTENT


@route("GET", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}")
async def list_reactions(api: RestApi, req: Request) -> Reply:
    api._channel(req)
    msg = api._message_in(req)
    meta = api.state.message_meta[msg["id"]]
    key = api.state.emoji_key(api.state.parse_emoji(req.params["emoji"]))
    return ok([api.state.users[u].payload() for u in meta.reactions.get(key, [])])


@route("PUT", "/channels/{channel_id}/pins/{message_id}")
@route("PUT", "/channels/{channel_id}/messages/pins/{message_id}")
async def pin(api: RestApi, req: Request) -> Reply:
    channel = api._channel(req)
    api._require_in(channel, Permission.MANAGE_MESSAGES)
    api.state.set_pinned(api._message_in(req), True)
    return NO_CONTENT


@route("DELETE", "/channels/{channel_id}/pins/{message_id}")
@route("DELETE", "/channels/{channel_id}/messages/pins/{message_id}")
async def unpin(api: RestApi, req: Request) -> Reply:
    channel = api._channel(req)
    api._require_in(channel, Permission.MANAGE_MESSAGES)
    api.state.set_pinned(api._message_in(req), False)
    return NO_CONTENT


@route("GET", "/channels/{channel_id}/pins")
async def list_pins(api: RestApi, req: Request) -> Reply:
    channel = api._channel(req)
    pinned = [m for m in api.state.messages[channel.id] if m["pinned"]]
    return ok([api.state.rest_message(m) for m in reversed(pinned)])


# ---------------------------------------------------------------------- interactions


@route("POST", "/interactions/{interaction_id}/{interaction_token}/callback", auth=False)
async def interaction_callback(api: RestApi, req: Request) -> Reply:
    record = api.interactions.by_id_and_token(
        req.params["interaction_id"], req.params["interaction_token"]
    )
    with_response = req.query.get("with_response", "false").lower() in ("1", "true")
    result = api.interactions.handle_callback(
        record, req.body, req.files, with_response=with_response
    )
    return ok(result) if result is not None else NO_CONTENT


# ---------------------------------------------------------------------- attachments (CDN)


async def serve_attachment(state: EmulatorState, request: web.Request) -> web.StreamResponse:
    stored = state.files.get(request.match_info["attachment_id"])
    state.downloads.append(request.match_info["attachment_id"])
    if stored is None:
        return web.Response(status=404, text="Not Found")
    return web.Response(body=stored.data, headers={"Content-Type": stored.content_type})

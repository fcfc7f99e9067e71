"""REST handlers: webhooks, their messages, and the rules Discord applies to them.

A channel holds at most 15 webhooks ("Maximum number of webhooks reached (15)", 400 with
code 30007). A webhook's name, and the `username` a message overrides it with, is 1-80
characters and may not contain "clyde" or "discord".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .constants import MessageFlag, Permission
from .errors import UNKNOWN_WEBHOOK, ApiError, form_error
from .messages import validate_message_body
from .models import Webhook
from .moderation import webhook_target
from .routing import NO_CONTENT, Reply, Request, ok, route
from .state import Author, EmulatorState

if TYPE_CHECKING:
    from .rest import RestApi

JSON = dict[str, Any]
MAX_CHANNEL_WEBHOOKS = 15
MAX_WEBHOOKS_REACHED = 30007
RESERVED_NAMES = ("clyde", "discord")


def check_webhook_name(field: str, name: Any) -> None:
    """400 Invalid Form Body for a name Discord refuses for a webhook."""
    if not isinstance(name, str) or not 1 <= len(name) <= 80:
        raise ApiError.form(
            {field: form_error("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 80 in length.")}
        )
    if any(word in name.lower() for word in RESERVED_NAMES):
        raise ApiError.form(
            {field: form_error("WEBHOOK_INVALID_NAME", f"{field} cannot contain clyde or discord")}
        )


def check_room(state: EmulatorState, channel_id: str) -> None:
    """400 with code 30007 when the channel already holds as many webhooks as it may."""
    held = sum(1 for webhook in state.webhooks.values() if webhook.channel_id == channel_id)
    if held >= MAX_CHANNEL_WEBHOOKS:
        message = f"Maximum number of webhooks reached ({MAX_CHANNEL_WEBHOOKS})"
        raise ApiError(400, MAX_WEBHOOKS_REACHED, message)


@route("POST", "/channels/{channel_id}/webhooks")
async def create_webhook(api: RestApi, req: Request) -> Reply:
    channel = api._channel(req)
    guild = api.state.guild_of(channel)
    if guild is None:
        raise ApiError(403, 50003, "Cannot execute action on a DM channel")
    api._require(guild, Permission.MANAGE_WEBHOOKS, channel)
    body = api._body(req)
    name = body.get("name")
    check_webhook_name("name", name)
    check_room(api.state, channel.id)
    webhook = Webhook(
        id=api.state.ids.next(),
        token=api.state.new_token(),
        channel_id=channel.id,
        guild_id=guild.id,
        name=name,
        creator_id=api.bot_id,
        application_id=api.state.application_id,
        avatar=None,
    )
    api.state.webhooks[webhook.id] = webhook
    api.state.emit("WEBHOOKS_UPDATE", {"guild_id": guild.id, "channel_id": channel.id}, guild.id)
    return ok(api.state.webhook_payload(webhook))


@route("GET", "/channels/{channel_id}/webhooks")
async def channel_webhooks(api: RestApi, req: Request) -> Reply:
    channel = api._channel(req)
    api._require_in(channel, Permission.MANAGE_WEBHOOKS)
    hooks = [w for w in api.state.webhooks.values() if w.channel_id == channel.id]
    return ok([api.state.webhook_payload(w) for w in hooks])


@route("GET", "/guilds/{guild_id}/webhooks")
async def guild_webhooks(api: RestApi, req: Request) -> Reply:
    guild = api._guild(req)
    api._require(guild, Permission.MANAGE_WEBHOOKS)
    hooks = [w for w in api.state.webhooks.values() if w.guild_id == guild.id]
    return ok([api.state.webhook_payload(w) for w in hooks])


def _webhook(api: RestApi, req: Request, *, with_token: bool) -> Webhook:
    webhook = api.state.webhooks.get(req.params["webhook_id"])
    if webhook is None:
        raise ApiError(404, UNKNOWN_WEBHOOK, "Unknown Webhook")
    if with_token and req.params.get("webhook_token") != webhook.token:
        raise ApiError(401, 50027, "Invalid Webhook Token")
    return webhook


@route("GET", "/webhooks/{webhook_id}")
async def get_webhook(api: RestApi, req: Request) -> Reply:
    return ok(api.state.webhook_payload(_webhook(api, req, with_token=False)))


@route("GET", "/webhooks/{webhook_id}/{webhook_token}", auth=False)
async def get_webhook_with_token(api: RestApi, req: Request) -> Reply:
    webhook = _webhook(api, req, with_token=True)
    data = api.state.webhook_payload(webhook)
    data.pop("user", None)
    return ok(data)


@route("PATCH", "/webhooks/{webhook_id}")
@route("PATCH", "/webhooks/{webhook_id}/{webhook_token}", auth=False)
async def edit_webhook(api: RestApi, req: Request) -> Reply:
    webhook = _webhook(api, req, with_token="webhook_token" in req.params)
    body = api._body(req)
    if "name" in body:
        check_webhook_name("name", body["name"])
        webhook.name = body["name"]
    if "channel_id" in body and "webhook_token" not in req.params:
        webhook.channel_id = str(api.state.channel(body["channel_id"]).id)
    return ok(api.state.webhook_payload(webhook))


@route("DELETE", "/webhooks/{webhook_id}")
@route("DELETE", "/webhooks/{webhook_id}/{webhook_token}", auth=False)
async def delete_webhook(api: RestApi, req: Request) -> Reply:
    webhook = _webhook(api, req, with_token="webhook_token" in req.params)
    del api.state.webhooks[webhook.id]
    return NO_CONTENT


@route("POST", "/webhooks/{webhook_id}/{webhook_token}", auth=False)
async def execute_webhook(api: RestApi, req: Request) -> Reply:
    body = api._body(req)
    if req.params["webhook_id"] == api.state.application_id:
        record = api.interactions.by_webhook_token(
            req.params["webhook_id"], req.params["webhook_token"]
        )
        return ok(api.state.rest_message(api.interactions.followup(record, body, req.files)))
    webhook = _webhook(api, req, with_token=True)
    validate_message_body(body, creating=True, file_count=len(req.files))
    if body.get("username") is not None:
        check_webhook_name("username", body["username"])
    if body.get("flags") and body["flags"] & MessageFlag.EPHEMERAL:
        raise ApiError.form(
            {"flags": {"_errors": [{"code": "MESSAGE_FLAGS_INVALID", "message": "Invalid flags"}]}}
        )
    author = Author(user_id=webhook.id, webhook=webhook, username=body.get("username"))
    target = webhook_target(api.state, webhook, req.query.get("thread_id"))
    msg = api.state.create_message(target, author, body, req.files)
    if req.query.get("wait", "false").lower() in ("1", "true"):
        return ok(api.state.rest_message(msg))
    return NO_CONTENT


def _webhook_message(api: RestApi, req: Request) -> tuple[JSON, Any]:
    """(message, interaction record or None) for /webhooks/{id}/{token}/messages/{message_id}."""
    message_id = req.params["message_id"]
    if req.params["webhook_id"] == api.state.application_id:
        record = api.interactions.by_webhook_token(
            req.params["webhook_id"], req.params["webhook_token"]
        )
        return api.interactions.owned_message(record, message_id), record
    webhook = _webhook(api, req, with_token=True)
    msg = api.state.message(message_id)
    if msg.get("webhook_id") != webhook.id:
        raise ApiError(404, 10008, "Unknown Message")
    return msg, None


@route("GET", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", auth=False)
async def get_webhook_message(api: RestApi, req: Request) -> Reply:
    msg, _ = _webhook_message(api, req)
    return ok(api.state.rest_message(msg))


@route("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", auth=False)
async def edit_webhook_message(api: RestApi, req: Request) -> Reply:
    msg, record = _webhook_message(api, req)
    body = api._body(req)
    if record is not None:
        edited = api.interactions.edit(record, req.params["message_id"], body, req.files)
    else:
        validate_message_body(body, creating=False, file_count=len(req.files), existing=msg)
        edited = api.state.edit_message(msg, body, req.files)
    return ok(api.state.rest_message(edited))


@route("DELETE", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", auth=False)
async def delete_webhook_message(api: RestApi, req: Request) -> Reply:
    msg, _ = _webhook_message(api, req)
    api.state.delete_message(msg)
    return NO_CONTENT

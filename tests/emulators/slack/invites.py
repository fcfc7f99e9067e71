"""``conversations.invite``: members put in a channel by the app, as Slack documents it.

``users`` is a comma-separated list of ids. The caller must be a member of the channel
(``not_in_channel``); a private channel it is not in is invisible to it
(``channel_not_found``), as everywhere in the emulator. A bot token needs
``channels:manage`` for a public channel and ``groups:write`` for a private one. When any
user cannot be invited nobody is (unless ``force``): the answer's ``error`` is the first
problem and ``errors`` holds one ``{"user", "ok": false, "error"}`` per refused user. Each
member invited joins the channel, and the app hears ``member_joined_channel`` with the
``inviter``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import payloads
from .state import Conversation

if TYPE_CHECKING:
    from .web_api import CallContext, Handler, WebApi


def _refusal(api: WebApi, conv: Conversation, inviter: str, user_id: str) -> str | None:
    """Why Slack would not invite `user_id`, or None."""
    if user_id == inviter:
        return "cant_invite_self"
    user = api.ws.users.get(user_id)
    if user is None:
        return "user_not_found"
    if user.deleted:
        return "cant_invite"
    if user_id in conv.members:
        return "already_in_channel"
    return None


def invite_handlers(api: WebApi) -> dict[str, Handler]:
    from .web_api import ApiError, _flag, _str

    emu, ws = api.emu, api.ws

    def conversations_invite(ctx: CallContext) -> dict[str, Any]:
        inviter = emu.user_tokens.get(ctx.token, ws.bot_user.id)
        conv = ws.resolve(_str(ctx.params, "channel") or "")
        if conv is None or not ws.can_see(inviter, conv):
            raise ApiError("channel_not_found")
        if not conv.is_channel:
            raise ApiError("method_not_supported_for_channel_type")
        if ctx.token_kind == "bot":
            api._require_scope("groups:write" if conv.is_private else "channels:manage")
        users = [u.strip() for u in (_str(ctx.params, "users") or "").split(",") if u.strip()]
        if not users:
            raise ApiError("no_user")
        if conv.is_archived:
            raise ApiError("is_archived")
        if inviter not in conv.members:
            raise ApiError("not_in_channel")
        refused = {
            user_id: reason
            for user_id in dict.fromkeys(users)
            if (reason := _refusal(api, conv, inviter, user_id)) is not None
        }
        invited = [user_id for user_id in dict.fromkeys(users) if user_id not in refused]
        if refused and (not _flag(ctx.params, "force") or not invited):
            raise ApiError(
                next(iter(refused.values())),
                errors=[
                    {"user": user_id, "ok": False, "error": reason}
                    for user_id, reason in refused.items()
                ],
            )
        for user_id in invited:
            conv.members.append(user_id)
            if ws.bot_user.id in conv.members and emu._can_deliver():
                event = payloads.member_joined_channel_event(
                    ws, user_id, conv, ws.clock.next(), inviter
                )
                emu._spawn(emu._emit_event(event))
        emu._notify()
        return {"channel": conv.to_api(inviter)}

    return {"conversations.invite": conversations_invite}

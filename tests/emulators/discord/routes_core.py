"""REST handlers: gateway discovery, identity, application commands, guilds and members."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .constants import ChannelType, Permission
from .errors import MISSING_ACCESS, UNKNOWN_BAN, ApiError
from .models import Channel, Overwrite, Role
from .moderation import check_timeout
from .routing import NO_CONTENT, Reply, Request, ok, route

if TYPE_CHECKING:
    from .rest import RestApi


# ---------------------------------------------------------------------- gateway & identity


@route("GET", "/gateway", auth=False)
async def get_gateway(api: RestApi, req: Request) -> Reply:
    return ok({"url": api.gateway.url.rstrip("/")})


@route("GET", "/gateway/bot")
async def get_gateway_bot(api: RestApi, req: Request) -> Reply:
    return ok(
        {
            "url": api.gateway.url.rstrip("/"),
            "shards": api.shard_count,
            "session_start_limit": {
                "total": 1000,
                "remaining": 1000 - api.gateway.identify_count,
                "reset_after": 86_400_000,
                "max_concurrency": 1,
            },
        }
    )


@route("GET", "/users/@me")
async def get_me(api: RestApi, req: Request) -> Reply:
    return ok(api.state.bot_user_payload())


@route("GET", "/users/{user_id}")
async def get_user(api: RestApi, req: Request) -> Reply:
    return ok(api.state.user(req.params["user_id"]).payload())


@route("GET", "/oauth2/applications/@me")
@route("GET", "/applications/@me")
async def get_application(api: RestApi, req: Request) -> Reply:
    return ok(api.state.application_payload())


@route("POST", "/users/@me/channels")
async def create_dm(api: RestApi, req: Request) -> Reply:
    body = api._body(req)
    recipient = str(body.get("recipient_id") or "")
    api.state.user(recipient)
    return ok(api.state.channel_payload(api.state.dm_channel(recipient)))


# ---------------------------------------------------------------------- application commands


@route("GET", "/applications/{application_id}/commands")
@route("GET", "/applications/{application_id}/guilds/{guild_id}/commands")
async def list_commands(api: RestApi, req: Request) -> Reply:
    api._app(req)
    return ok(api.commands.get_all(api._scope(req)))


@route("PUT", "/applications/{application_id}/commands")
@route("PUT", "/applications/{application_id}/guilds/{guild_id}/commands")
async def bulk_overwrite_commands(api: RestApi, req: Request) -> Reply:
    api._app(req)
    return ok(api.commands.bulk_overwrite(api._scope(req), req.body))


@route("POST", "/applications/{application_id}/commands")
@route("POST", "/applications/{application_id}/guilds/{guild_id}/commands")
async def upsert_command(api: RestApi, req: Request) -> Reply:
    api._app(req)
    command, created = api.commands.upsert(api._scope(req), api._body(req))
    return ok(command, 201 if created else 200)


@route("GET", "/applications/{application_id}/commands/{command_id}")
@route("GET", "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}")
async def get_command(api: RestApi, req: Request) -> Reply:
    api._app(req)
    return ok(dict(api.commands.get(api._scope(req), req.params["command_id"])))


@route("PATCH", "/applications/{application_id}/commands/{command_id}")
@route("PATCH", "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}")
async def edit_command(api: RestApi, req: Request) -> Reply:
    api._app(req)
    return ok(api.commands.edit(api._scope(req), req.params["command_id"], api._body(req)))


@route("DELETE", "/applications/{application_id}/commands/{command_id}")
@route("DELETE", "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}")
async def delete_command(api: RestApi, req: Request) -> Reply:
    api._app(req)
    api.commands.delete(api._scope(req), req.params["command_id"])
    return NO_CONTENT


# ---------------------------------------------------------------------- guilds


@route("GET", "/guilds/{guild_id}")
async def get_guild(api: RestApi, req: Request) -> Reply:
    guild = api._guild(req)
    data = api.state.guild_payload(guild)
    if req.query.get("with_counts", "false").lower() in ("1", "true"):
        data["approximate_member_count"] = len(guild.members)
        data["approximate_presence_count"] = 0
    return ok(data)


@route("GET", "/guilds/{guild_id}/channels")
async def guild_channels(api: RestApi, req: Request) -> Reply:
    guild = api._guild(req)
    return ok([api.state.channel_payload(c) for c in guild.channels.values()])


@route("POST", "/guilds/{guild_id}/channels")
async def create_guild_channel(api: RestApi, req: Request) -> Reply:
    guild = api._guild(req)
    api._require(guild, Permission.MANAGE_CHANNELS)
    body = api._body(req)
    name = body.get("name")
    if not isinstance(name, str) or not 1 <= len(name) <= 100:
        raise ApiError.form(
            {
                "name": {
                    "_errors": [
                        {
                            "code": "BASE_TYPE_BAD_LENGTH",
                            "message": "Must be between 1 and 100 in length.",
                        }
                    ]
                }
            }
        )
    ctype = int(body.get("type") or 0)
    channel = Channel(
        id=api.state.ids.next(),
        type=ctype,
        name=name.lower().replace(" ", "-") if ctype == ChannelType.GUILD_TEXT else name,
        guild_id=guild.id,
        position=int(body.get("position") or len(guild.channels)),
        topic=body.get("topic"),
        parent_id=str(body["parent_id"]) if body.get("parent_id") else None,
        nsfw=bool(body.get("nsfw", False)),
        overwrites=[
            Overwrite(
                id=str(o["id"]),
                type=int(o.get("type", 0)),
                allow=int(o.get("allow") or 0),
                deny=int(o.get("deny") or 0),
            )
            for o in body.get("permission_overwrites") or []
        ],
        rate_limit_per_user=int(body.get("rate_limit_per_user") or 0),
    )
    guild.channels[channel.id] = channel
    api.state.channels[channel.id] = channel
    payload = api.state.channel_payload(channel)
    api.state.emit("CHANNEL_CREATE", payload, guild.id)
    return ok(payload, 201)


@route("GET", "/guilds/{guild_id}/roles")
async def guild_roles(api: RestApi, req: Request) -> Reply:
    guild = api._guild(req)
    return ok([r.payload() for r in guild.roles.values()])


@route("POST", "/guilds/{guild_id}/roles")
async def create_role(api: RestApi, req: Request) -> Reply:
    guild = api._guild(req)
    api._require(guild, Permission.MANAGE_ROLES)
    body = api._body(req)
    for role in guild.roles.values():
        if role.position >= 1:
            role.position += 1
    role = Role(
        id=api.state.ids.next(),
        name=str(body.get("name") or "new role"),
        permissions=int(body.get("permissions") or guild.everyone.permissions),
        position=1,
        color=int(body.get("color") or 0),
        hoist=bool(body.get("hoist", False)),
        mentionable=bool(body.get("mentionable", False)),
    )
    guild.roles[role.id] = role
    api.state.emit("GUILD_ROLE_CREATE", {"guild_id": guild.id, "role": role.payload()}, guild.id)
    return ok(role.payload())


@route("GET", "/guilds/{guild_id}/members/search")
async def search_members(api: RestApi, req: Request) -> Reply:
    guild = api._guild(req)
    query = req.query.get("query", "").casefold()
    limit = max(1, min(int(req.query.get("limit", 1)), 1000))
    found = [
        m
        for m in guild.members.values()
        if api.state.users[m.user_id].username.casefold().startswith(query)
        or (m.nick or "").casefold().startswith(query)
    ][:limit]
    return ok([api.state.member_payload(guild, m) for m in found])


@route("GET", "/guilds/{guild_id}/members")
async def list_members(api: RestApi, req: Request) -> Reply:
    guild = api._guild(req)
    if "members" not in api.state.privileged_intents:
        raise ApiError(403, MISSING_ACCESS, "Missing Access")
    limit = max(1, min(int(req.query.get("limit", 1)), 1000))
    after = int(req.query.get("after", 0))
    members = sorted(guild.members.values(), key=lambda m: int(m.user_id))
    selected = [m for m in members if int(m.user_id) > after][:limit]
    return ok([api.state.member_payload(guild, m) for m in selected])


@route("GET", "/guilds/{guild_id}/members/{user_id}")
async def get_member(api: RestApi, req: Request) -> Reply:
    guild = api._guild(req)
    member = api.state.member(guild, req.params["user_id"])
    return ok(api.state.member_payload(guild, member))


@route("PATCH", "/guilds/{guild_id}/members/{user_id}")
async def modify_member(api: RestApi, req: Request) -> Reply:
    guild = api._guild(req)
    user_id = api.bot_id if req.params["user_id"] == "@me" else req.params["user_id"]
    member = api.state.member(guild, user_id)
    body = api._body(req)
    if "nick" in body:
        if user_id != api.bot_id:
            api.state.check_member_moderatable(
                guild, user_id, api.bot_id, Permission.MANAGE_NICKNAMES
            )
        member.nick = body["nick"] or None
    if "roles" in body:
        wanted = [str(r) for r in body["roles"] or []]
        for role_id in set(wanted) ^ set(member.roles):
            api.state.check_role_manageable(
                guild, api.state.resolve_role(guild, role_id), api.bot_id
            )
        member.roles = wanted
    if "communication_disabled_until" in body:
        check_timeout(guild, user_id, body["communication_disabled_until"])
        api.state.check_member_moderatable(guild, user_id, api.bot_id, Permission.MODERATE_MEMBERS)
        member.communication_disabled_until = body["communication_disabled_until"]
    for flag in ("mute", "deaf"):
        if flag in body:
            setattr(member, flag, bool(body[flag]))
    api.state.emit_member_update(guild, member)
    return ok(api.state.member_payload(guild, member))


@route("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}")
async def add_member_role(api: RestApi, req: Request) -> Reply:
    guild = api._guild(req)
    member = api.state.member(guild, req.params["user_id"])
    role = api.state.resolve_role(guild, req.params["role_id"])
    api.state.check_role_manageable(guild, role, api.bot_id)
    if role.id not in member.roles:
        member.roles.append(role.id)
        api.state.emit_member_update(guild, member)
    return NO_CONTENT


@route("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}")
async def remove_member_role(api: RestApi, req: Request) -> Reply:
    guild = api._guild(req)
    member = api.state.member(guild, req.params["user_id"])
    role = api.state.resolve_role(guild, req.params["role_id"])
    api.state.check_role_manageable(guild, role, api.bot_id)
    if role.id in member.roles:
        member.roles.remove(role.id)
        api.state.emit_member_update(guild, member)
    return NO_CONTENT


@route("DELETE", "/guilds/{guild_id}/members/{user_id}")
async def kick_member(api: RestApi, req: Request) -> Reply:
    guild = api._guild(req)
    user_id = req.params["user_id"]
    api.state.member(guild, user_id)
    api.state.check_member_moderatable(guild, user_id, api.bot_id, Permission.KICK_MEMBERS)
    api.state.remove_member(guild, user_id)
    return NO_CONTENT


@route("PUT", "/guilds/{guild_id}/bans/{user_id}")
async def ban_member(api: RestApi, req: Request) -> Reply:
    guild = api._guild(req)
    user_id = req.params["user_id"]
    user = api.state.user(user_id)
    api.state.check_member_moderatable(guild, user_id, api.bot_id, Permission.BAN_MEMBERS)
    guild.bans[user_id] = req.reason
    api.state.emit("GUILD_BAN_ADD", {"guild_id": guild.id, "user": user.payload()}, guild.id)
    api.state.remove_member(guild, user_id)
    return NO_CONTENT


@route("DELETE", "/guilds/{guild_id}/bans/{user_id}")
async def unban_member(api: RestApi, req: Request) -> Reply:
    guild = api._guild(req)
    api._require(guild, Permission.BAN_MEMBERS)
    user_id = req.params["user_id"]
    if user_id not in guild.bans:
        raise ApiError(404, UNKNOWN_BAN, "Unknown Ban")
    del guild.bans[user_id]
    user = api.state.user(user_id)
    api.state.emit("GUILD_BAN_REMOVE", {"guild_id": guild.id, "user": user.payload()}, guild.id)
    return NO_CONTENT


@route("GET", "/guilds/{guild_id}/bans/{user_id}")
async def get_ban(api: RestApi, req: Request) -> Reply:
    guild = api._guild(req)
    api._require(guild, Permission.BAN_MEMBERS)
    user_id = req.params["user_id"]
    if user_id not in guild.bans:
        raise ApiError(404, UNKNOWN_BAN, "Unknown Ban")
    return ok({"reason": guild.bans[user_id], "user": api.state.user(user_id).payload()})


@route("GET", "/guilds/{guild_id}/bans")
async def list_bans(api: RestApi, req: Request) -> Reply:
    guild = api._guild(req)
    api._require(guild, Permission.BAN_MEMBERS)
    return ok([{"reason": r, "user": api.state.user(u).payload()} for u, r in guild.bans.items()])

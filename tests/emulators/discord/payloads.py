"""Documented JSON shapes of users, members, channels, guilds, webhooks and messages."""

from __future__ import annotations

import copy
from typing import Any

from .constants import (
    APP_FLAG_APPLICATION_COMMAND_BADGE,
    APP_FLAG_GATEWAY_GUILD_MEMBERS_LIMITED,
    APP_FLAG_GATEWAY_MESSAGE_CONTENT_LIMITED,
    APP_FLAG_GATEWAY_PRESENCE_LIMITED,
    ChannelType,
)
from .models import Channel, Guild, Member, Webhook
from .world import Author, World

JSON = dict[str, Any]


class Payloads(World):
    def bot_user_payload(self) -> JSON:
        data = self.users[self.bot_user_id].payload()
        data.update({"verified": True, "mfa_enabled": False, "email": None, "locale": "en-US"})
        return data

    def application_flags(self) -> int:
        flags = APP_FLAG_APPLICATION_COMMAND_BADGE
        if "presences" in self.privileged_intents:
            flags |= APP_FLAG_GATEWAY_PRESENCE_LIMITED
        if "members" in self.privileged_intents:
            flags |= APP_FLAG_GATEWAY_GUILD_MEMBERS_LIMITED
        if "message_content" in self.privileged_intents:
            flags |= APP_FLAG_GATEWAY_MESSAGE_CONTENT_LIMITED
        return flags

    def application_payload(self) -> JSON:
        owner = self.users[self.owner_id]
        return {
            "id": self.application_id,
            "name": self.application_name,
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "bot": self.users[self.bot_user_id].payload(),
            "owner": owner.payload(),
            "team": None,
            "verify_key": "0" * 64,
            "flags": self.application_flags(),
            "hook": True,
            "is_monetized": False,
            "interactions_endpoint_url": None,
            "redirect_uris": [],
            "rpc_origins": [],
            "tags": [],
            "approximate_guild_count": len(self.guilds),
            "integration_types_config": {"0": {}},
            "install_params": {"scopes": ["bot", "applications.commands"], "permissions": "0"},
        }

    def member_payload(
        self,
        guild: Guild,
        member: Member,
        *,
        with_user: bool = True,
        permissions_in: Channel | None = None,
    ) -> JSON:
        data: JSON = {
            "nick": member.nick,
            "avatar": None,
            "banner": None,
            "roles": list(member.roles),
            "joined_at": member.joined_at,
            "premium_since": None,
            "deaf": member.deaf,
            "mute": member.mute,
            "flags": member.flags,
            "pending": member.pending,
            "communication_disabled_until": member.communication_disabled_until,
            "avatar_decoration_data": None,
        }
        if with_user:
            data = {"user": self.users[member.user_id].payload(), **data}
        if permissions_in is not None:
            data["permissions"] = str(guild.channel_permissions(member.user_id, permissions_in))
        return data

    def member_update_payload(self, guild: Guild, member: Member) -> JSON:
        return {"guild_id": guild.id, **self.member_payload(guild, member)}

    def channel_payload(self, channel: Channel, *, for_user: str | None = None) -> JSON:
        if channel.is_dm:
            recipient = self.users[channel.recipient_id or ""]
            return {
                "id": channel.id,
                "type": int(ChannelType.DM),
                "last_message_id": channel.last_message_id,
                "recipients": [recipient.payload()],
                "flags": 0,
            }
        data: JSON = {
            "id": channel.id,
            "type": channel.type,
            "guild_id": channel.guild_id,
            "name": channel.name,
            "position": channel.position,
            "permission_overwrites": [ow.payload() for ow in channel.overwrites],
            "parent_id": channel.parent_id,
            "flags": 0,
        }
        if channel.type != ChannelType.GUILD_CATEGORY:
            data.update(
                {
                    "topic": channel.topic,
                    "nsfw": channel.nsfw,
                    "last_message_id": channel.last_message_id,
                    "rate_limit_per_user": channel.rate_limit_per_user,
                    "last_pin_timestamp": channel.last_pin_timestamp,
                }
            )
        if for_user is not None:
            guild = self.guild_of(channel)
            if guild is not None:
                data["permissions"] = str(guild.channel_permissions(for_user, channel))
        return data

    def guild_payload(self, guild: Guild) -> JSON:
        return {
            "id": guild.id,
            "name": guild.name,
            "icon": None,
            "icon_hash": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": guild.owner_id,
            "afk_channel_id": None,
            "afk_timeout": 300,
            "widget_enabled": False,
            "widget_channel_id": None,
            "verification_level": 1,
            "default_message_notifications": 1,
            "explicit_content_filter": 2,
            "roles": [role.payload() for role in guild.roles.values()],
            "emojis": [],
            "features": list(guild.features),
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": guild.system_channel_id,
            "system_channel_flags": 0,
            "rules_channel_id": guild.rules_channel_id,
            "max_presences": None,
            "max_members": 500000,
            "vanity_url_code": None,
            "description": guild.description,
            "banner": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": guild.preferred_locale,
            "public_updates_channel_id": None,
            "max_video_channel_users": 25,
            "max_stage_video_channel_users": 50,
            "nsfw_level": 0,
            "stickers": [],
            "premium_progress_bar_enabled": False,
            "safety_alerts_channel_id": None,
            "incidents_data": None,
        }

    def guild_create_payload(self, guild: Guild, *, all_members: bool) -> JSON:
        members = [
            self.member_payload(guild, m)
            for m in guild.members.values()
            if all_members or m.user_id == self.bot_user_id
        ]
        data = self.guild_payload(guild)
        data.update(
            {
                "joined_at": guild.bot_joined_at,
                "large": len(guild.members) >= 250,
                "unavailable": False,
                "member_count": len(guild.members),
                "voice_states": [],
                "members": members,
                "channels": [self.channel_payload(c) for c in guild.channels.values()],
                "threads": [],
                "presences": [],
                "stage_instances": [],
                "guild_scheduled_events": [],
                "soundboard_sounds": [],
            }
        )
        return data

    def webhook_payload(self, webhook: Webhook, *, with_token: bool = True) -> JSON:
        data: JSON = {
            "id": webhook.id,
            "type": 1,
            "guild_id": webhook.guild_id,
            "channel_id": webhook.channel_id,
            "user": self.users[webhook.creator_id].payload(),
            "name": webhook.name,
            "avatar": webhook.avatar,
            "application_id": webhook.application_id,
        }
        if with_token:
            data["token"] = webhook.token
            data["url"] = f"https://discord.com/api/webhooks/{webhook.id}/{webhook.token}"
        return data

    def author_payload(self, author: Author) -> JSON:
        if author.webhook is None:
            return self.user(author.user_id).payload()
        return {
            "id": author.webhook.id,
            "username": author.username or author.webhook.name,
            "discriminator": "0000",
            "global_name": None,
            "avatar": author.webhook.avatar,
            "bot": True,
            "public_flags": 0,
            "flags": 0,
        }

    def rest_message(self, msg: JSON) -> JSON:
        """A message as REST returns it (the documented message object)."""
        data = copy.deepcopy(msg)
        data.pop("guild_id", None)
        return data

    def gateway_message(self, msg: JSON) -> JSON:
        """A message as MESSAGE_CREATE/UPDATE carries it: + guild_id, member, mentions[].member."""
        data = copy.deepcopy(msg)
        guild = self.guilds.get(data.get("guild_id") or "")
        if guild is None:
            return data
        author_id = data["author"]["id"]
        if "webhook_id" not in data and author_id in guild.members:
            data["member"] = self.member_payload(guild, guild.members[author_id], with_user=False)
        for mentioned in data.get("mentions", []):
            member = guild.members.get(mentioned["id"])
            if member is not None:
                mentioned["member"] = self.member_payload(guild, member, with_user=False)
        return data

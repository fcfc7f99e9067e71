"""The emulated Discord world with its default guild, and member moderation rules."""

from __future__ import annotations

from collections.abc import Iterable

from .constants import DEFAULT_EVERYONE_PERMISSIONS, ChannelType, Permission
from .errors import MISSING_PERMISSIONS, ApiError
from .models import Channel, Guild, Member, Overwrite, Role
from .store import MessageStore
from .world import Author, ChannelMessages, MessageMeta

__all__ = ["Author", "ChannelMessages", "EmulatorState", "MessageMeta"]

BOT_ROLE_PERMISSIONS = int(
    Permission.VIEW_CHANNEL
    | Permission.SEND_MESSAGES
    | Permission.EMBED_LINKS
    | Permission.ATTACH_FILES
    | Permission.READ_MESSAGE_HISTORY
    | Permission.ADD_REACTIONS
    | Permission.USE_EXTERNAL_EMOJIS
    | Permission.MANAGE_MESSAGES
    | Permission.MANAGE_ROLES
    | Permission.MANAGE_WEBHOOKS
    | Permission.MANAGE_NICKNAMES
    | Permission.KICK_MEMBERS
    | Permission.BAN_MEMBERS
    | Permission.MODERATE_MEMBERS
    | Permission.SEND_MESSAGES_IN_THREADS
    | Permission.CREATE_PUBLIC_THREADS
)
ADMIN_ROLE_PERMISSIONS = int(
    Permission.MANAGE_GUILD
    | Permission.MANAGE_ROLES
    | Permission.MANAGE_CHANNELS
    | Permission.MANAGE_WEBHOOKS
    | Permission.MANAGE_MESSAGES
    | Permission.KICK_MEMBERS
    | Permission.BAN_MEMBERS
    | Permission.MODERATE_MEMBERS
    | Permission.VIEW_AUDIT_LOG
    | Permission.MENTION_EVERYONE
    | Permission.MANAGE_NICKNAMES
)
MODERATOR_ROLE_PERMISSIONS = int(
    Permission.KICK_MEMBERS
    | Permission.BAN_MEMBERS
    | Permission.MANAGE_MESSAGES
    | Permission.MODERATE_MEMBERS
    | Permission.MANAGE_NICKNAMES
    | Permission.VIEW_AUDIT_LOG
)


class EmulatorState(MessageStore):
    """Everything the emulator knows.  Synchronous: changes Discord would announce are
    handed to ``emit`` (wired to the gateway), and ``on_change`` wakes waiting tests."""

    def __init__(
        self,
        *,
        token: str,
        bot_name: str = "Ponte",
        guild_name: str = "Ponte Test Guild",
        owner_name: str = "owner",
        privileged_intents: Iterable[str] = ("members", "presences", "message_content"),
        guild_locale: str = "en-US",
    ) -> None:
        super().__init__(
            token=token,
            bot_name=bot_name,
            owner_name=owner_name,
            privileged_intents=privileged_intents,
        )
        self.guild = self._build_default_guild(guild_name, self.owner_id, guild_locale)
        self.guild_id = self.guild.id

    # ------------------------------------------------------------------ default world

    def add_guild(
        self, name: str, *, locale: str = "en-US", shard: tuple[int, int] | None = None
    ) -> Guild:
        """Another guild built like the default one, the bot and the owner in it (no event:
        before the bot connects). ``shard=(shard_id, shard_count)`` draws an id that
        Discord's formula, ``(guild_id >> 22) % shard_count``, puts on that shard."""
        guild_id = self.ids.next()
        if shard is not None:
            shard_id, count = shard
            while (int(guild_id) >> 22) % count != shard_id:
                guild_id = self.ids.next()
        return self._build_default_guild(name, self.owner_id, locale, guild_id)

    def _build_default_guild(
        self, name: str, owner_id: str, locale: str, guild_id: str | None = None
    ) -> Guild:
        guild_id = guild_id or self.ids.next()
        guild = Guild(id=guild_id, name=name, owner_id=owner_id, preferred_locale=locale)
        self.guilds[guild_id] = guild
        roles = [
            Role(
                id=guild_id, name="@everyone", permissions=DEFAULT_EVERYONE_PERMISSIONS, position=0
            ),
            Role(id=self.ids.next(), name="Staff", permissions=0, position=1, color=0x3498DB),
            Role(
                id=self.ids.next(),
                name="Moderator",
                permissions=MODERATOR_ROLE_PERMISSIONS,
                position=2,
                color=0x2ECC71,
                hoist=True,
            ),
            Role(
                id=self.ids.next(),
                name="Admin",
                permissions=ADMIN_ROLE_PERMISSIONS,
                position=3,
                color=0xE74C3C,
                hoist=True,
            ),
            Role(
                id=self.ids.next(),
                name=self.application_name,
                permissions=BOT_ROLE_PERMISSIONS,
                position=4,
                managed=True,
                tags={"bot_id": self.bot_user_id},
            ),
        ]
        for role in roles:
            guild.roles[role.id] = role
        staff, moderator, admin, bot_role = roles[1:]

        community = self._add_channel(guild, "Community", ChannelType.GUILD_CATEGORY, position=0)
        team = self._add_channel(
            guild,
            "Team",
            ChannelType.GUILD_CATEGORY,
            position=1,
            overwrites=self._private_overwrites(guild, staff, moderator, admin, bot_role),
        )
        general = self._add_channel(
            guild, "general", ChannelType.GUILD_TEXT, position=0, parent=community, topic="Chat"
        )
        self._add_channel(
            guild,
            "welcome",
            ChannelType.GUILD_TEXT,
            position=1,
            parent=community,
            topic="Say hi to new members",
            overwrites=[
                Overwrite(id=guild_id, type=0, deny=int(Permission.SEND_MESSAGES)),
                Overwrite(id=bot_role.id, type=0, allow=int(Permission.SEND_MESSAGES)),
            ],
        )
        self._add_channel(
            guild, "reviews", ChannelType.GUILD_TEXT, position=2, parent=community, topic="Reviews"
        )
        self._add_channel(
            guild,
            "staff",
            ChannelType.GUILD_TEXT,
            position=0,
            parent=team,
            topic="Staff only",
            overwrites=self._private_overwrites(guild, staff, moderator, admin, bot_role),
        )
        guild.system_channel_id = general.id

        guild.members[owner_id] = Member(user_id=owner_id, roles=[admin.id])
        guild.members[self.bot_user_id] = Member(user_id=self.bot_user_id, roles=[bot_role.id])
        return guild

    @staticmethod
    def _private_overwrites(guild: Guild, *roles: Role) -> list[Overwrite]:
        view = int(Permission.VIEW_CHANNEL)
        return [Overwrite(id=guild.id, type=0, deny=view)] + [
            Overwrite(id=role.id, type=0, allow=view) for role in roles
        ]

    def _add_channel(
        self,
        guild: Guild,
        name: str,
        ctype: int,
        *,
        position: int,
        parent: Channel | None = None,
        topic: str | None = None,
        overwrites: list[Overwrite] | None = None,
    ) -> Channel:
        channel = Channel(
            id=self.ids.next(),
            type=ctype,
            name=name,
            guild_id=guild.id,
            position=position,
            topic=topic,
            parent_id=parent.id if parent else None,
            overwrites=list(overwrites or []),
        )
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        return channel

    def add_text_channel(
        self,
        name: str,
        *,
        private_to: Iterable[str] = (),
        topic: str | None = None,
        guild: Guild | None = None,
    ) -> Channel:
        """Create a text channel (no event).  ``private_to``: role names/ids allowed to view."""
        guild = guild or self.guild
        position = sum(1 for c in guild.channels.values() if c.type == ChannelType.GUILD_TEXT)
        overwrites: list[Overwrite] = []
        allowed = [self.resolve_role(guild, r) for r in private_to]
        if allowed:
            view = int(Permission.VIEW_CHANNEL)
            bot_role = self.bot_role(guild)
            overwrites = [Overwrite(id=guild.id, type=0, deny=view)]
            overwrites += [
                Overwrite(id=role.id, type=0, allow=view) for role in [*allowed, bot_role]
            ]
        return self._add_channel(
            guild,
            name,
            ChannelType.GUILD_TEXT,
            position=position,
            topic=topic,
            overwrites=overwrites,
        )

    # ------------------------------------------------------------------ members

    def emit_member_update(self, guild: Guild, member: Member) -> None:
        self.emit("GUILD_MEMBER_UPDATE", self.member_update_payload(guild, member), guild.id)
        self.on_change()

    def check_role_manageable(self, guild: Guild, role: Role, actor_id: str) -> None:
        perms = guild.base_permissions(actor_id)
        if not perms & Permission.MANAGE_ROLES:
            raise ApiError(403, MISSING_PERMISSIONS, "Missing Permissions")
        if role.managed or role.id == guild.id:
            raise ApiError(403, MISSING_PERMISSIONS, "Missing Permissions")
        if actor_id != guild.owner_id and role.position >= guild.top_role_position(actor_id):
            raise ApiError(403, MISSING_PERMISSIONS, "Missing Permissions")

    def check_member_moderatable(
        self, guild: Guild, target_id: str, actor_id: str, permission: int
    ) -> None:
        perms = guild.base_permissions(actor_id)
        if not perms & permission:
            raise ApiError(403, MISSING_PERMISSIONS, "Missing Permissions")
        if target_id == guild.owner_id:
            raise ApiError(403, MISSING_PERMISSIONS, "Missing Permissions")
        if target_id in guild.members and guild.top_role_position(
            target_id
        ) >= guild.top_role_position(actor_id):
            raise ApiError(403, MISSING_PERMISSIONS, "Missing Permissions")

    def remove_member(self, guild: Guild, user_id: str) -> None:
        member = guild.members.pop(user_id, None)
        if member is None:
            return
        self.departed.setdefault(guild.id, set()).add(user_id)
        self.emit(
            "GUILD_MEMBER_REMOVE",
            {"guild_id": guild.id, "user": self.users[user_id].payload()},
            guild.id,
        )
        self.on_change()

"""What a moderation test switches and creates: the bot's permissions, threads, and the
rules Discord applies to timeouts and to webhooks posting into threads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from .constants import ChannelType, Permission
from .errors import MISSING_PERMISSIONS, UNKNOWN_CHANNEL, ApiError, form_error
from .models import Channel, Guild, iso_now

if TYPE_CHECKING:
    from .interactions import InteractionRecord
    from .models import Webhook
    from .responses import Interactions
    from .state import EmulatorState

JSON = dict[str, Any]
MAX_TIMEOUT = timedelta(days=28)


def set_bot_permission(state: EmulatorState, permission: Permission, allowed: bool) -> JSON:
    """Give or take `permission` on the bot's managed role: GUILD_ROLE_UPDATE."""
    guild = state.guild
    role = state.bot_role(guild)
    role.permissions = (
        role.permissions | int(permission) if allowed else role.permissions & ~int(permission)
    )
    state.emit("GUILD_ROLE_UPDATE", {"guild_id": guild.id, "role": role.payload()}, guild.id)
    state.on_change()
    return role.payload()


def thread_payload(state: EmulatorState, thread: Channel, owner_id: str) -> JSON:
    data = state.channel_payload(thread)
    data.pop("permission_overwrites", None)
    data.update(
        {
            "owner_id": owner_id,
            "message_count": len(state.messages[thread.id]),
            "member_count": 1,
            "total_message_sent": len(state.messages[thread.id]),
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": iso_now(),
                "locked": False,
                "create_timestamp": iso_now(),
            },
        }
    )
    return data


def create_thread(state: EmulatorState, parent: Channel, name: str, owner_id: str) -> Channel:
    """A public thread in `parent`: THREAD_CREATE, as when a member starts one."""
    guild = state.guild_of(parent)
    if guild is None or parent.type != ChannelType.GUILD_TEXT:
        raise ValueError("threads live in a guild's text channels")
    thread = Channel(
        id=state.ids.next(),
        type=int(ChannelType.PUBLIC_THREAD),
        name=name,
        guild_id=guild.id,
        parent_id=parent.id,
    )
    # Not among the guild's channels (GUILD_CREATE lists threads apart): found by id.
    state.channels[thread.id] = thread
    state.thread_owners[thread.id] = owner_id
    payload = {**thread_payload(state, thread, owner_id), "newly_created": True}
    state.emit("THREAD_CREATE", payload, guild.id)
    state.on_change()
    return thread


def webhook_target(state: EmulatorState, webhook: Webhook, thread_id: str | None) -> Channel:
    """Where an executed webhook posts: its channel, or one of that channel's threads."""
    if not thread_id:
        return state.channel(webhook.channel_id)
    thread = state.channels.get(thread_id)
    if thread is None or thread.parent_id != webhook.channel_id:
        raise ApiError(400, UNKNOWN_CHANNEL, "Unknown Channel")
    return thread


def purge(state: EmulatorState, channel: Channel, message_ids: list[str]) -> list[str]:
    """Delete those of `message_ids` in `channel` at once: one MESSAGE_DELETE_BULK."""
    deleted = []
    for message_id in message_ids:
        msg = state.message_index.get(message_id)
        if msg is not None and msg["channel_id"] == channel.id:
            state.delete_message(msg, dispatch=False)
            deleted.append(message_id)
    payload: JSON = {"ids": deleted, "channel_id": channel.id}
    if channel.guild_id:
        payload["guild_id"] = channel.guild_id
    state.emit("MESSAGE_DELETE_BULK", payload, channel.guild_id)
    state.on_change()
    return deleted


def check_timeout(guild: Guild, user_id: str, value: Any) -> None:
    """Discord refuses a timeout more than 28 days ahead (400, Invalid Form Body), and one
    of the owner or of a member with Administrator (403: "Will throw a 403 error if the
    user has the ADMINISTRATOR permission or is the owner of the guild")."""
    if value is None:
        return
    until = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if until.tzinfo is None:
        until = until.replace(tzinfo=UTC)
    if until - datetime.now(UTC) > MAX_TIMEOUT:
        raise ApiError.form(
            {
                "communication_disabled_until": form_error(
                    "BASE_TYPE_BAD_TIME", "Timeouts may be at most 28 days long."
                )
            }
        )
    if user_id == guild.owner_id or guild.base_permissions(user_id) & Permission.ADMINISTRATOR:
        raise ApiError(403, MISSING_PERMISSIONS, "Missing Permissions")


class ModerationControls:
    """The emulator's switches for moderation tests (mixed into DiscordEmulator)."""

    _state: EmulatorState
    _interactions: Interactions

    async def _settle(self) -> None: ...

    async def _send_interaction(self, record: InteractionRecord) -> InteractionRecord: ...

    async def set_bot_permission(self, permission: Permission, allowed: bool) -> None:
        """E.g. ``set_bot_permission(Permission.MANAGE_MESSAGES, False)``: Discord answers
        403 to what needs it, as when an admin unticks it on the bot's role."""
        set_bot_permission(self._state, permission, allowed)
        await self._settle()

    async def create_thread(self, user_id: str | int, channel: str | int, name: str) -> str:
        """A member starts a public thread in a text channel; returns its id."""
        state = self._state
        parent = state.resolve_channel(channel)
        thread = create_thread(state, parent, name, state.user(user_id).id)
        await self._settle()
        return thread.id

    async def message_command(
        self, user_id: str | int, message_id: str | int, name: str
    ) -> InteractionRecord:
        """Right-click a message → Apps → `name`: a MESSAGE command interaction whose
        ``data.resolved.messages`` holds the target."""
        state = self._state
        message = state.message(message_id)
        channel = state.channel(message["channel_id"])
        record = self._interactions.context_menu(
            state.user(user_id).id, channel, name, str(message["id"])
        )
        return await self._send_interaction(record)

    async def purge(self, channel: str | int, message_ids: list[str]) -> list[str]:
        """A moderator purges messages (another bot's /purge, or a ban that deletes the
        member's last messages): one MESSAGE_DELETE_BULK. The ids that were deleted."""
        state = self._state
        deleted = purge(state, state.resolve_channel(channel), [str(i) for i in message_ids])
        await self._settle()
        return deleted

    async def pin_message(self, message_id: str | int, pinned: bool = True) -> None:
        """A moderator pins (or unpins) a message in Discord's app: MESSAGE_UPDATE with
        `pinned` changed, then CHANNEL_PINS_UPDATE."""
        self._state.set_pinned(self._state.message(message_id), pinned)
        await self._settle()

    def timed_out_until(self, user_id: str | int) -> str | None:
        """The member's ``communication_disabled_until`` (ISO 8601), or None."""
        member = self._state.guild.members.get(str(user_id))
        return None if member is None else member.communication_disabled_until

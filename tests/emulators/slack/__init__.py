"""A local Slack for tests: Web API, Socket Mode and signed HTTP-mode deliveries.

emu = SlackEmulator(signing_secret="...")
await emu.start()
client = AsyncWebClient(token=emu.bot_token, base_url=emu.api_url)
...
await emu.stop()

What members do beyond posting and clicking: `edit_message` and `delete_message` (their
own messages), `share_file` (a file dragged into a channel), `message_shortcut` (a
message's ⋯ menu); `emu.user_token(user_id)` makes an `xoxp-` token acting as that user;
`emu.add_user(name, external=True)` is a Slack Connect member of another organization;
`emu.add_usergroup(handle, users)` is a user group (`usergroups.list`, `usergroups.users.list`).
`conversations.invite` puts members in a channel and tells the app (`member_joined_channel`).
Links are unfurled; a deleted thread parent with replies leaves a tombstone;
`emu.sparse_payloads` sends clicks and changes in the shape of Slack's documented examples.
"""

from .emulator import DEFAULT_BOT_SCOPES, SlackEmulator
from .files import share_file
from .moderation import delete_message, edit_message
from .records import Ack, ApiCall, Delivery, OpenedView, ResponseUrlPost
from .shortcuts import message_shortcut

__all__ = [
    "DEFAULT_BOT_SCOPES",
    "Ack",
    "ApiCall",
    "Delivery",
    "OpenedView",
    "ResponseUrlPost",
    "SlackEmulator",
    "delete_message",
    "edit_message",
    "message_shortcut",
    "share_file",
]

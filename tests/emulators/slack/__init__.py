"""A local Slack for tests: Web API, Socket Mode and signed HTTP-mode deliveries.

emu = SlackEmulator(signing_secret="...")
await emu.start()
client = AsyncWebClient(token=emu.bot_token, base_url=emu.api_url)
...
await emu.stop()
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

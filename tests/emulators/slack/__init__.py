"""A local Slack for tests: Web API, Socket Mode and signed HTTP-mode deliveries.

emu = SlackEmulator(signing_secret="...")
await emu.start()
client = AsyncWebClient(token=emu.bot_token, base_url=emu.api_url)
...
await emu.stop()
"""

from .emulator import DEFAULT_BOT_SCOPES, SlackEmulator
from .records import Ack, ApiCall, Delivery, OpenedView, ResponseUrlPost

__all__ = [
    "DEFAULT_BOT_SCOPES",
    "Ack",
    "ApiCall",
    "Delivery",
    "OpenedView",
    "ResponseUrlPost",
    "SlackEmulator",
]

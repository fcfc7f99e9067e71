"""A local Discord for tests: REST API v10 and gateway on 127.0.0.1, driven by Python.

Point an unmodified discord.py at it::

    emu = DiscordEmulator()
    await emu.start()
    discord.http.Route.BASE = emu.api_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(emu.gateway_url)
    await client.start(emu.token)

The implementation lives in the ``discord`` package next to this module.
"""

from .discord import (
    ApiError,
    CommandNotAvailable,
    DiscordEmulator,
    Dispatch,
    InteractionRecord,
    RecordedCall,
)

__all__ = [
    "ApiError",
    "CommandNotAvailable",
    "DiscordEmulator",
    "Dispatch",
    "InteractionRecord",
    "RecordedCall",
]

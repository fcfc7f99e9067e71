"""A local Discord (REST API v10 + JSON gateway) for tests; see :class:`DiscordEmulator`."""

from .emulator import DiscordEmulator
from .errors import ApiError
from .gateway import Dispatch
from .interactions import CommandNotAvailable, InteractionRecord
from .rest import RecordedCall

__all__ = [
    "ApiError",
    "CommandNotAvailable",
    "DiscordEmulator",
    "Dispatch",
    "InteractionRecord",
    "RecordedCall",
]

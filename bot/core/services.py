"""The services the composition root builds once and hands to every cog."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.config import Settings
from bot.core.clock import Clock
from bot.core.communities import Communities
from bot.core.i18n import Translator
from bot.core.outbox import Outbox
from bot.core.platforms import Platforms
from bot.core.registry import CommandRegistry
from bot.core.reports import CogRegistry
from bot.core.scheduler import Scheduler
from bot.storage.counters import CounterBuffer
from bot.storage.database import Database


@dataclass(frozen=True, slots=True)
class Services:
    settings: Settings
    db: Database
    clock: Clock
    scheduler: Scheduler
    translator: Translator
    platforms: Platforms
    communities: Communities
    outbox: Outbox
    counters: CounterBuffer
    commands: CommandRegistry = field(default_factory=CommandRegistry)
    cogs: CogRegistry = field(default_factory=CogRegistry)

"""What every page shares: the running bot, the templates and the session cookies."""

from __future__ import annotations

from dataclasses import dataclass

import jinja2
from aiohttp import web

from bot.app import App
from bot.config import Settings
from bot.core.i18n import Translator
from bot.core.services import Services
from bot.web.sessions import SessionCodec


@dataclass
class Dashboard:
    bot: App
    templates: jinja2.Environment
    sessions: SessionCodec

    @property
    def services(self) -> Services:
        return self.bot.services

    @property
    def settings(self) -> Settings:
        return self.bot.settings

    @property
    def translator(self) -> Translator:
        return self.bot.translator

    def url(self, path: str) -> str:
        """An absolute address, for links printed or sent to a provider (sign-in)."""
        return self.settings.dashboard_base + path


DASHBOARD = web.AppKey("dashboard", Dashboard)

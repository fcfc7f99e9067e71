"""The dashboard's aiohttp application, built over a running bot."""

from __future__ import annotations

import secrets
from pathlib import Path

from aiohttp import web

from bot.app import App
from bot.web.auth import discord, links, slack
from bot.web.pages import calendar, community, digests, faq, home, review, settings
from bot.web.render import templates
from bot.web.security import protect
from bot.web.sessions import SessionCodec
from bot.web.state import DASHBOARD, Dashboard

STATIC = Path(__file__).resolve().parent / "static"
PAGES = (home, links, discord, slack, community, review, faq, settings, calendar, digests)


def create_web_app(bot: App) -> web.Application:
    config = bot.settings
    secret = config.dashboard_secret.get_secret_value() if config.dashboard_secret else ""
    codec = SessionCodec(
        secret or secrets.token_urlsafe(32),
        secure=config.dashboard_base.startswith("https://"),
    )
    app = web.Application(middlewares=[protect], client_max_size=256 * 1024)
    app[DASHBOARD] = Dashboard(bot, templates(), codec)
    app.router.add_static("/static", STATIC)
    for module in PAGES:
        module.setup(app.router)
    return app

"""Pages from templates, in the visitor's language; autoescaped, whatever members wrote."""

from __future__ import annotations

from typing import Any

import jinja2
from aiohttp import web
from markupsafe import Markup, escape

from bot.core.i18n import LANGUAGES
from bot.web.sessions import SESSION
from bot.web.state import DASHBOARD, Dashboard

__all__ = [
    "DASHBOARD",
    "Dashboard",
    "error_page",
    "page_language",
    "redirect",
    "render",
    "templates",
]


def templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("bot.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def page_language(request: web.Request) -> str:
    """Outside a community: the browser's first language Ponte speaks, else the default."""
    for part in request.headers.get("Accept-Language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return request.app[DASHBOARD].settings.default_language


def render(
    request: web.Request,
    template: str,
    *,
    language: str | None = None,
    status: int = 200,
    **values: Any,
) -> web.Response:
    dashboard = request.app[DASHBOARD]
    lang = language or page_language(request)
    session = request[SESSION]
    translator = dashboard.translator

    def t(key: str, **params: Any) -> str:
        return translator.gettext(lang, key, **params)

    def csrf_field() -> Markup:
        return Markup('<input type="hidden" name="csrf" value="{}">').format(escape(session.csrf))

    page = dashboard.templates.get_template(template).render(
        t=t,
        lang=lang,
        csrf_field=csrf_field,
        session=session,
        notices=session.take_notices(),
        **values,
    )
    return web.Response(text=page, status=status, content_type="text/html", charset="utf-8")


def error_page(
    request: web.Request, status: int, key: str, *, language: str | None = None
) -> web.Response:
    return render(request, "error.html", language=language, status=status, message_key=key)


def redirect(location: str) -> web.Response:
    """303: after a POST, the browser fetches the page again with GET."""
    return web.Response(status=303, headers={"Location": location})

"""Every request: the session from its signed cookie, the CSRF check on every POST, and
headers that keep pages out of frames and scripts to our own files."""

from __future__ import annotations

from hmac import compare_digest

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.web.render import DASHBOARD, error_page
from bot.web.sessions import SESSION

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Sign-in links carry their token in the path: never hand it to another site.
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@web.middleware
async def protect(request: web.Request, handler: Handler) -> web.StreamResponse:
    dashboard = request.app[DASHBOARD]
    session = dashboard.sessions.load(request)
    request[SESSION] = session
    if request.method not in SAFE_METHODS:
        form = await request.post()
        token = form.get("csrf")
        if not isinstance(token, str) or not compare_digest(token, session.csrf):
            response: web.StreamResponse = error_page(request, 403, "web.error.csrf")
        else:
            response = await handler(request)
    else:
        response = await handler(request)
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    current = request[SESSION]
    if current.changed:
        dashboard.sessions.store(response, current)
    return response

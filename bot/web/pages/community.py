"""A community's own start page: the menu of what the member may open there."""

from __future__ import annotations

from aiohttp import web

from bot.core.model import Role
from bot.web.access import Visit, page
from bot.web.render import redirect


@page(Role.MEMBER)
async def overview(visit: Visit) -> web.StreamResponse:
    menu = visit.menu()
    if not menu:
        return visit.render("error.html", status=403, message_key="web.error.forbidden")
    return redirect(menu[0][0])


def setup(router: web.UrlDispatcher) -> None:
    router.add_get("/c/{platform}/{community}", overview)

"""The start page (the member's communities), the sign-in choices and signing out."""

from __future__ import annotations

from aiohttp import web

from bot.web.access import known_communities, member_in, on_the_team
from bot.web.auth import discord, slack
from bot.web.render import DASHBOARD, redirect, render
from bot.web.sessions import SESSION, Session


async def home(request: web.Request) -> web.StreamResponse:
    session = request[SESSION]
    if not session.signed_in or session.member_id is None:
        return redirect("/login")
    services = request.app[DASHBOARD].services
    shown = []
    for community in await known_communities(services, session):
        member = await member_in(services, community.platform, community.id, session.member_id)
        if member is not None and on_the_team(member):
            shown.append(community)
    return render(request, "home.html", communities=shown)


async def login(request: web.Request) -> web.StreamResponse:
    dashboard = request.app[DASHBOARD]
    return render(
        request,
        "login.html",
        discord=discord.configured(dashboard),
        slack=slack.configured(dashboard),
    )


async def logout(request: web.Request) -> web.StreamResponse:
    request[SESSION] = Session(changed=True)
    return redirect("/login")


def setup(router: web.UrlDispatcher) -> None:
    router.add_get("/", home)
    router.add_get("/login", login)
    router.add_post("/logout", logout)

"""One-time sign-in links: a random token, kept only as its hash, used once before it
expires. `python -m bot dashboard --login @mara` prints one."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from aiohttp import web
from sqlalchemy import select, update

from bot.core.clock import SystemClock
from bot.storage.database import Database
from bot.storage.models import DashboardSignIn
from bot.web.render import DASHBOARD, error_page, redirect, render
from bot.web.sessions import SESSION, signed_in_as

LIFETIME = timedelta(minutes=15)
# Wall-clock time, whatever the console's clock was moved to: a link is for now.
CLOCK = SystemClock()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class LinkOwner:
    platform: str
    member_id: str


async def issue(db: Database, platform: str, member_id: str) -> str:
    """A new token for `member_id`; the caller shows it once, nobody can read it later."""
    token = secrets.token_urlsafe(32)
    now = CLOCK.now()
    async with db.session() as session:
        session.add(
            DashboardSignIn(
                token_hash=_hash(token),
                platform=platform,
                member_id=member_id,
                created_at=now,
                expires_at=now + LIFETIME,
            )
        )
    return token


async def redeem(db: Database, token: str) -> LinkOwner | None:
    """The link's owner, for the one call that uses it before it expires; else None."""
    now = CLOCK.now()
    digest = _hash(token)
    async with db.session() as session:
        result = await session.execute(
            update(DashboardSignIn)
            .where(
                DashboardSignIn.token_hash == digest,
                DashboardSignIn.used_at.is_(None),
                DashboardSignIn.expires_at > now,
            )
            .values(used_at=now)
        )
        if getattr(result, "rowcount", 0) != 1:
            return None
        row = await session.scalar(
            select(DashboardSignIn).where(DashboardSignIn.token_hash == digest)
        )
        return LinkOwner(row.platform, row.member_id) if row else None


async def show_link(request: web.Request) -> web.StreamResponse:
    """A page with one button: the token is spent by the POST, so that a link preview
    fetching the address does not use it up."""
    return render(request, "link.html", token=request.match_info["token"])


async def use_link(request: web.Request) -> web.StreamResponse:
    dashboard = request.app[DASHBOARD]
    owner = await redeem(dashboard.services.db, request.match_info["token"])
    if owner is None:
        return error_page(request, 403, "web.error.link")
    request[SESSION] = signed_in_as(owner.platform, owner.member_id, owner.member_id, None)
    return redirect("/")


def setup(router: web.UrlDispatcher) -> None:
    router.add_get("/login/link/{token}", show_link)
    router.add_post("/login/link/{token}", use_link)

"""Who may open a community's page: checked on every request, through the platform that
hosts the community, exactly as the bot decides roles on it."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from sqlalchemy import select

from bot.core.cards import Form, Message
from bot.core.context import Context
from bot.core.errors import UserFacingError
from bot.core.model import Channel, Community, Member, MessageRef, Role
from bot.core.platform import Interaction
from bot.core.services import Services
from bot.storage.models import CommunityRow
from bot.web.render import DASHBOARD, Dashboard, error_page, redirect, render
from bot.web.sessions import SESSION, Session

log = logging.getLogger(__name__)
# The community menu: (page, catalog key, role it needs), in the order shown.
MENU: list[tuple[str, str, Role]] = [
    ("review", "web.menu.review", Role.MODERATOR),
    ("faq", "web.menu.faq", Role.STAFF),
    ("calendar", "web.menu.calendar", Role.STAFF),
    ("digests", "web.menu.digests", Role.STAFF),
    ("settings", "web.menu.settings", Role.ADMIN),
]
TEAM_ROLES = (Role.MODERATOR, Role.STAFF, Role.ADMIN)


async def member_in(
    services: Services, platform: str, community_id: str, member_id: str
) -> Member | None:
    """The member as their platform sees them now, roles included; None if not there."""
    try:
        host = services.platforms.get(platform)
    except LookupError:
        return None
    try:
        return await host.resolve_member(community_id, member_id)
    except Exception:
        # A community the bot has left, or a platform that cannot answer now: no role.
        log.warning(
            "could not read a member's roles",
            exc_info=True,
            extra={"platform": platform, "community": community_id},
        )
        return None


def on_the_team(member: Member) -> bool:
    return any(member.has_role(role) for role in TEAM_ROLES)


async def known_communities(services: Services, session: Session) -> list[Community]:
    """The communities Ponte has seen on the member's platform, within those the
    provider said the member belongs to."""
    async with services.db.session() as db:
        rows = (
            await db.scalars(
                select(CommunityRow)
                .where(CommunityRow.platform == session.platform)
                .order_by(CommunityRow.name, CommunityRow.id)
            )
        ).all()
    return [
        Community(row.platform, row.community_id, row.name or row.community_id)
        for row in rows
        if session.communities is None or row.community_id in session.communities
    ]


async def known_among(services: Services, platform: str, ids: tuple[str, ...]) -> tuple[str, ...]:
    """Those of `ids` that are communities Ponte serves: what a session keeps of a
    provider's list, which may name hundreds of servers."""
    async with services.db.session() as db:
        found = set(
            (
                await db.scalars(
                    select(CommunityRow.community_id).where(
                        CommunityRow.platform == platform, CommunityRow.community_id.in_(ids)
                    )
                )
            ).all()
        )
    return tuple(item for item in ids if item in found)


async def community_named(services: Services, platform: str, community_id: str) -> Community | None:
    async with services.db.session() as db:
        row = await db.scalar(
            select(CommunityRow).where(
                CommunityRow.platform == platform, CommunityRow.community_id == community_id
            )
        )
    return Community(platform, community_id, row.name or community_id) if row else None


class WebInteraction(Interaction):
    """A cog's answer to a decision taken on a page: shown as the page's notice."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    @property
    def replies(self) -> list[str]:
        """Each answer in a line: its text, or its card's title."""
        found = (
            message.text or (message.card.title if message.card else "")
            for message in self.messages
        )
        return [text for text in found if text]

    async def reply(self, message: Message, *, ephemeral: bool = False) -> MessageRef | None:
        self.messages.append(message)
        return None

    async def update(self, message: Message) -> None:
        return None

    async def open_form(self, form: Form) -> None:
        raise UserFacingError("web.error.form")


@dataclass
class Visit:
    """One request to one community's page, by a member holding the page's role there."""

    request: web.Request
    dashboard: Dashboard
    session: Session
    community: Community
    member: Member
    language: str
    timezone: str

    @property
    def services(self) -> Services:
        return self.dashboard.services

    def t(self, key: str, **params: Any) -> str:
        return self.dashboard.translator.gettext(self.language, key, **params)

    def path(self, page: str = "") -> str:
        base = f"/c/{self.community.platform}/{self.community.id}"
        return f"{base}/{page}" if page else base

    def menu(self) -> list[tuple[str, str]]:
        return [(self.path(name), key) for name, key, role in MENU if self.member.has_role(role)]

    def render(self, template: str, *, status: int = 200, **values: Any) -> web.Response:
        return render(
            self.request,
            template,
            language=self.language,
            status=status,
            visit=self,
            community=self.community,
            menu=self.menu(),
            **values,
        )

    def when(self, moment: Any) -> str:
        return self.dashboard.translator.datetime(self.language, moment, self.timezone)

    def context(self, interaction: WebInteraction) -> Context:
        """What a cog's handler is given, as if the member had pressed its button."""
        community = self.community
        channel = Channel(community.platform, community.id, "web", "web")
        return Context(
            self.services,
            community,
            channel,
            self.member,
            interaction,
            self.language,
            self.timezone,
        )

    def done(self, page: str, *notices: str) -> web.Response:
        for text in notices:
            self.session.notice(text)
        return redirect(self.path(page))


def refused(visit: Visit, error: UserFacingError) -> web.Response:
    """A cog said no: a missing role is 403, a row not in this community 404; anything
    else (a text too long, an empty field) comes back on the page it was sent from."""
    message = visit.t(error.key, **error.params)
    if error.key.endswith("denied") or error.key == "errors.permission":
        status = 403
    elif error.key.endswith("not_found") or visit.request.method == "GET":
        status = 404
    else:
        parts = visit.request.path.split("/")
        return visit.done(parts[4] if len(parts) > 4 else "", message)
    return visit.render("error.html", status=status, message_key=None, message=message)


VisitHandler = Callable[[Visit], Awaitable[web.StreamResponse]]


def page(
    role: Role,
) -> Callable[[VisitHandler], Callable[[web.Request], Awaitable[web.StreamResponse]]]:
    """The handler runs only for a signed-in member holding `role` in the URL's community."""

    def wrap(handler: VisitHandler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        @functools.wraps(handler)
        async def run(request: web.Request) -> web.StreamResponse:
            visit = await open_visit(request, role)
            if not isinstance(visit, Visit):
                return visit
            try:
                return await handler(visit)
            except UserFacingError as error:
                return refused(visit, error)

        return run

    return wrap


async def open_visit(request: web.Request, role: Role) -> Visit | web.Response:
    dashboard = request.app[DASHBOARD]
    session = request[SESSION]
    if not session.signed_in or session.member_id is None:
        if request.method == "GET":
            return redirect("/login")
        return error_page(request, 403, "web.error.forbidden")
    platform = request.match_info["platform"]
    community_id = request.match_info["community"]
    allowed = session.communities is None or community_id in session.communities
    if platform != session.platform or not allowed:
        return error_page(request, 403, "web.error.forbidden")
    community = await community_named(dashboard.services, platform, community_id)
    if community is None:
        return error_page(request, 403, "web.error.forbidden")
    member = await member_in(dashboard.services, platform, community_id, session.member_id)
    communities = dashboard.services.communities
    language = await communities.language(community)
    if member is None or not member.has_role(role):
        return error_page(request, 403, "web.error.forbidden", language=language)
    timezone = await communities.timezone(community)
    return Visit(request, dashboard, session, community, member, language, timezone)

"""The editorial calendar: announcements, live sessions and what other cogs scheduled
(quizzes) on a week or a month, in the community's time zone. Creating, editing and
cancelling run the `/announce` commands themselves, so a time, a repetition or a channel
is checked by the calendar cog's own rules, once, wherever it was typed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from aiohttp import web
from babel.dates import format_date
from sqlalchemy import select

from bot.core.commands import Option
from bot.core.errors import UserFacingError
from bot.core.model import Channel, Role
from bot.core.reports import CalendarEntry
from bot.storage.models import KnownChannel
from bot.web.access import Visit, page
from bot.web.cogs import loaded
from bot.web.commands import find_command, run_command
from bot.web.pages.calendar_view import MONTH, WEEK, Window, lay_out, window
from cogs.calendar.cog import CalendarCog
from cogs.calendar.models import POST, Announcement
from cogs.calendar.render import CalendarRenderer

log = logging.getLogger(__name__)
SCHEDULE = ("announce", "schedule")
LIVE = ("announce", "live")
CANCEL = ("announce", "cancel")
FORMS = {"schedule": SCHEDULE, "live": LIVE}
TYPED = "%Y-%m-%d %H:%M"
REACH = timedelta(days=5 * 366)  # how the command reads a moment (`at`, `until`)


def _shown(visit: Visit) -> Window:
    query = visit.request.query
    view = MONTH if query.get("view") == MONTH else WEEK
    today = visit.services.clock.now().astimezone(ZoneInfo(visit.timezone)).date()
    try:
        around = date.fromisoformat(query.get("at", ""))
    except ValueError:
        around = today
    # Unrolling a series walks from its next time: a view decades away would walk for long.
    around = min(max(around, today - REACH), today + REACH)
    return window(view, around, visit.timezone)


async def _others(visit: Visit, cog: CalendarCog, shown: Window) -> list[CalendarEntry]:
    """What the other cogs have scheduled, through the hook the calendar's list asks."""
    found: list[CalendarEntry] = []
    for other in visit.services.cogs:
        if other is cog:
            continue
        try:
            found.extend(await other.calendar_entries(visit.community, shown.since, shown.until))
        except Exception:
            log.exception("calendar entries failed", extra={"cog": other.name})
    return found


async def _channels(visit: Visit) -> dict[str, str]:
    """The channels Ponte has seen, by id: shown by name, and offered in the forms."""
    community = visit.community
    async with visit.services.db.session() as session:
        rows = await session.execute(
            select(KnownChannel.channel_id, KnownChannel.name)
            .where(
                KnownChannel.platform == community.platform,
                KnownChannel.community_id == community.id,
            )
            .order_by(KnownChannel.name)
        )
        return dict(rows.tuples().all())


def _channel_namer(visit: Visit, known: dict[str, str]) -> Callable[[str | None], str]:
    """`#name` where Ponte knows the channel (a page is no chat: `<#123>` says nothing
    there), else the platform's own mention, which its commands read too."""
    platform = visit.services.platforms.get(visit.community.platform)
    community = visit.community

    def name(channel_id: str | None) -> str:
        if not channel_id:
            return "—"
        if channel_id in known:
            return f"#{known[channel_id]}"
        return platform.channel_mention(
            Channel(community.platform, community.id, channel_id, channel_id)
        )

    return name


def _typed(moment: datetime | None, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime(TYPED) if moment else ""


def _options(visit: Visit, path: tuple[str, ...]) -> tuple[Option, ...]:
    try:
        return find_command(visit, path).options
    except UserFacingError:
        return ()


@page(Role.STAFF)
async def overview(visit: Visit) -> web.StreamResponse:
    cog = loaded(visit.services, CalendarCog)
    shown = _shown(visit)
    rows = await cog.calendar.upcoming(visit.community)
    days = lay_out(shown, rows, await _others(visit, cog, shown))
    known = await _channels(visit)
    renderer = CalendarRenderer(visit.services.translator, visit.language, visit.timezone)
    today = visit.services.clock.now().astimezone(ZoneInfo(visit.timezone)).date()
    return visit.render(
        "calendar_page.html",
        shown=shown,
        days=days,
        lead=[None] * shown.first.weekday(),
        today=today,
        rows=rows,
        channel=_channel_namer(visit, known),
        renderer=renderer,
        typed=lambda moment: _typed(moment, visit.timezone),
        local_time=lambda moment: moment.astimezone(ZoneInfo(visit.timezone)).strftime("%H:%M"),
        day_name=lambda day: _day(visit, day),
        forms={name: _options(visit, path) for name, path in FORMS.items()},
        channels=sorted(set(known.values())),
        month_name=str(format_date(shown.first, "LLLL yyyy", locale=visit.language)),
        typed_example=_typed(visit.services.clock.now() + timedelta(days=1), visit.timezone),
        POST=POST,
    )


def _day(visit: Visit, day: date) -> str:
    return str(format_date(day, "EEE d MMM", locale=visit.language))


async def _form(visit: Visit, names: tuple[str, ...]) -> dict[str, str]:
    form = await visit.request.post()
    return {name: str(form.get(name, "")) for name in names}


def _back(visit: Visit) -> str:
    return "calendar" + (f"?{visit.request.query_string}" if visit.request.query_string else "")


async def _run(visit: Visit, path: tuple[str, ...], typed: dict[str, str]) -> list[str]:
    """The command's answers; a refusal (a time in the past, a bad repetition) as its text."""
    if path != CANCEL and not typed.get("channel", "").strip():
        raise UserFacingError("web.calendar.channel_needed")
    answered = await run_command(visit, path, typed)
    return answered.replies


@page(Role.STAFF)
async def create(visit: Visit) -> web.StreamResponse:
    path = FORMS.get(visit.request.match_info["form"])
    if path is None:
        raise UserFacingError("web.error.not_found")
    typed = await _form(visit, tuple(option.name for option in find_command(visit, path).options))
    try:
        replies = await _run(visit, path, typed)
    except UserFacingError as error:
        replies = [visit.t(error.key, **error.params)]
    return visit.done(_back(visit), *replies)


async def _announcement(visit: Visit) -> Announcement:
    cog = loaded(visit.services, CalendarCog)
    try:
        wanted = int(visit.request.match_info["announcement"])
    except ValueError:
        wanted = 0
    row = await cog.calendar.in_community(visit.community, wanted)
    if row is None:
        raise UserFacingError("calendar.not_found", id=wanted)
    return row


@page(Role.STAFF)
async def cancel(visit: Visit) -> web.StreamResponse:
    row = await _announcement(visit)
    try:
        replies = await _run(visit, CANCEL, {"id": str(row.id)})
    except UserFacingError as error:
        replies = [visit.t(error.key, **error.params)]
    return visit.done(_back(visit), *replies)


@page(Role.STAFF)
async def edit(visit: Visit) -> web.StreamResponse:
    """An announcement changed is scheduled anew by `/announce schedule`, with what the
    form left empty kept from the old one, and the old one cancelled only once the new one
    was accepted: a refused change leaves the calendar as it was."""
    row = await _announcement(visit)
    if row.kind != POST:
        raise UserFacingError("web.calendar.live_not_editable")
    platform = visit.services.platforms.get(visit.community.platform)
    exact = platform.channel_mention(
        Channel(row.platform, row.community_id, row.channel_id, row.channel_id)
    )
    shown_as = _channel_namer(visit, await _channels(visit))(row.channel_id)
    current = {
        "channel": exact,
        "at": _typed(row.next_at, visit.timezone),
        "text": row.text,
        "repeat": row.rule or "",
        "until": _typed(row.ends_at, visit.timezone),
    }
    typed = await _form(visit, tuple(current))
    if typed["channel"].strip() == shown_as:
        typed["channel"] = ""  # the form's own name for it: keep the very channel, by its id
    wanted = {name: typed[name].strip() or value for name, value in current.items()}
    for name in ("repeat", "until"):
        if typed[name].strip() == "-":
            wanted[name] = ""  # the way to make a series a single post, or endless, again
    try:
        replies = await _run(visit, SCHEDULE, wanted)
    except UserFacingError as error:
        return visit.done(_back(visit), visit.t(error.key, **error.params))
    try:
        replies += await _run(visit, CANCEL, {"id": str(row.id)})
    except UserFacingError as error:  # posted meanwhile, its last time: the new one stays
        replies.append(visit.t(error.key, **error.params))
    return visit.done(_back(visit), *replies)


def setup(router: web.UrlDispatcher) -> None:
    base = "/c/{platform}/{community}/calendar"
    router.add_get(base, overview)
    router.add_post(base + "/new/{form}", create)
    router.add_post(base + "/{announcement}/cancel", cancel)
    router.add_post(base + "/{announcement}/edit", edit)

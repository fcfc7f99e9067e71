"""Settings: each section is a cog's own settings command run from a form, so the
page shows and changes exactly what the chat's command does; the welcome's preview and
the netiquette's "try it on a message" are those cogs' own commands too."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from bot.core.cards import Message
from bot.core.commands import Option
from bot.core.errors import UserFacingError
from bot.core.i18n import LANGUAGES
from bot.core.model import Role
from bot.web.access import Visit, page
from bot.web.commands import find_command, run_command


@dataclass(frozen=True, slots=True)
class Section:
    name: str
    title: str  # catalog key
    command: tuple[str, ...]
    fields: tuple[str, ...]  # the command's options the page offers
    # What shows the current state: this command run bare (the default), another command,
    # or None for a section that only acts (removing a rule).
    shows: tuple[str, ...] | None = ()
    button: str = "web.settings.save"

    @property
    def showing(self) -> tuple[str, ...] | None:
        return self.command if self.shows == () else self.shows


SECTIONS = (
    Section(
        "welcome",
        "web.settings.welcome",
        ("welcome", "set"),
        ("message", "rules", "steps", "channel", "role", "dm", "enabled"),
    ),
    Section("netiquette", "web.settings.netiquette", ("netiquette", "settings"), ("channel",)),
    Section(
        "netiquette-add",
        "web.settings.netiquette_rules",
        ("netiquette", "add"),
        ("kind", "pattern", "severity"),
        shows=("netiquette", "rules"),
        button="web.settings.add_rule",
    ),
    Section(
        "netiquette-remove",
        "web.settings.netiquette_remove",
        ("netiquette", "remove"),
        ("rule",),
        shows=None,
        button="web.settings.remove_rule",
    ),
    Section("questions", "web.settings.questions", ("questions", "settings"), ("staff_channel",)),
    Section("digest", "web.settings.digest", ("digest", "settings"), ("day", "hour", "channel")),
)
# Buttons that only show something: (path in the URL, command, its options offered).
PREVIEWS = {
    "welcome-preview": (("welcome", "preview"), ()),
    "netiquette-test": (("netiquette", "test"), ("text",)),
}


@dataclass(frozen=True, slots=True)
class ShownSection:
    section: Section
    options: tuple[Option, ...]
    current: tuple[Message, ...]


async def _sections(visit: Visit) -> list[ShownSection]:
    shown = []
    for section in SECTIONS:
        try:
            command = find_command(visit, section.command)
            showing = section.showing
            current = await run_command(visit, showing, {}) if showing else None
        except UserFacingError:
            continue  # a cog turned off, or a section this member may not change
        options = tuple(option for option in command.options if option.name in section.fields)
        messages = tuple(current.messages) if current is not None else ()
        shown.append(ShownSection(section, options, messages))
    return shown


async def _page(visit: Visit, **shown: object) -> web.StreamResponse:
    return visit.render(
        "settings.html",
        sections=await _sections(visit),
        languages=LANGUAGES,
        previews=shown.get("previews", {}),
        typed=shown.get("typed", {}),
    )


@page(Role.ADMIN)
async def overview(visit: Visit) -> web.StreamResponse:
    return await _page(visit)


async def _form(visit: Visit, names: tuple[str, ...]) -> dict[str, str]:
    form = await visit.request.post()
    return {name: str(form.get(name, "")) for name in names}


@page(Role.ADMIN)
async def change(visit: Visit) -> web.StreamResponse:
    wanted = visit.request.match_info["section"]
    section = next((item for item in SECTIONS if item.name == wanted), None)
    if section is None:
        raise UserFacingError("web.error.not_found")
    typed = await _form(visit, section.fields)
    try:
        answered = await run_command(visit, section.command, typed)
    except UserFacingError as error:
        return visit.done("settings", visit.t(error.key, **error.params))
    return visit.done("settings", *(answered.replies or [visit.t("web.settings.saved")]))


@page(Role.ADMIN)
async def place(visit: Visit) -> web.StreamResponse:
    """The community's language and time zone, which the core keeps for every cog."""
    typed = await _form(visit, ("language", "timezone"))
    communities = visit.services.communities
    language, timezone = typed["language"].strip(), typed["timezone"].strip()
    if language:
        if language not in LANGUAGES:
            return visit.done("settings", visit.t("web.settings.bad_language"))
        await communities.set_language(visit.community, language)
        visit.language = language
    if timezone:
        try:
            await communities.set_timezone(visit.community, timezone)
        except ValueError:
            return visit.done("settings", visit.t("web.settings.bad_timezone", zone=timezone))
    return visit.done("settings", visit.t("web.settings.saved"))


@page(Role.ADMIN)
async def preview(visit: Visit) -> web.StreamResponse:
    wanted = visit.request.match_info["preview"]
    if wanted not in PREVIEWS:
        raise UserFacingError("web.error.not_found")
    path, names = PREVIEWS[wanted]
    typed = await _form(visit, names)
    try:
        answered = await run_command(visit, path, typed)
        messages = tuple(answered.messages)
    except UserFacingError as error:
        messages = (Message(text=visit.t(error.key, **error.params)),)
    return await _page(visit, previews={wanted: messages}, typed=typed)


def setup(router: web.UrlDispatcher) -> None:
    base = "/c/{platform}/{community}/settings"
    router.add_get(base, overview)
    router.add_post(base + "/community", place)
    router.add_post(base + "/show/{preview}", preview)
    router.add_post(base + "/{section}", change)

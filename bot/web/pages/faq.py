"""The FAQ: its entries with how often each was given and how it helped; add, edit and
remove them; answer the recurring questions waiting for staff. All of it through the
questions cog's own handlers, so members get the answer in the chat."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web
from sqlalchemy import func, select

from bot.core.commands import Arguments
from bot.core.errors import UserFacingError
from bot.core.model import Role
from bot.web.access import Visit, WebInteraction, page
from bot.web.cogs import loaded
from cogs.questions.cog import QuestionsCog
from cogs.questions.models import FORWARDED, OPEN, FaqDelivery, QuestionGroup
from cogs.questions.service import GroupView

WAITING = 30


async def _given(visit: Visit, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    async with visit.services.db.session() as session:
        rows = await session.execute(
            select(FaqDelivery.faq_id, func.count())
            .where(FaqDelivery.faq_id.in_(ids))
            .group_by(FaqDelivery.faq_id)
        )
        return {faq_id: int(count) for faq_id, count in rows.tuples()}


async def _waiting(visit: Visit, cog: QuestionsCog) -> list[GroupView]:
    community = visit.community
    async with visit.services.db.session() as session:
        ids = (
            await session.scalars(
                select(QuestionGroup.id)
                .where(
                    QuestionGroup.platform == community.platform,
                    QuestionGroup.community_id == community.id,
                    QuestionGroup.state.in_((OPEN, FORWARDED)),
                    QuestionGroup.forwarded_at.is_not(None),
                )
                .order_by(QuestionGroup.id.desc())
                .limit(WAITING)
            )
        ).all()
    groups = [await cog.flow.questions.group(group_id) for group_id in ids]
    return [group for group in groups if group is not None]


@page(Role.STAFF)
async def listing(visit: Visit) -> web.StreamResponse:
    cog = loaded(visit.services, QuestionsCog)
    entries = await cog.flow.faq.entries(visit.community)
    return visit.render(
        "faq.html",
        entries=entries,
        given=await _given(visit, [entry.id for entry in entries]),
        waiting=await _waiting(visit, cog),
    )


async def _run(
    visit: Visit, work: Callable[[QuestionsCog, WebInteraction], Awaitable[None]]
) -> web.StreamResponse:
    cog = loaded(visit.services, QuestionsCog)
    interaction = WebInteraction()
    await work(cog, interaction)
    return visit.done("faq", *interaction.replies)


async def _fields(visit: Visit, *names: str) -> dict[str, str]:
    form = await visit.request.post()
    return {name: str(form.get(name, "")) for name in names}


def _number(visit: Visit, name: str) -> int:
    try:
        return int(visit.request.match_info[name])
    except ValueError:
        return 0


@page(Role.STAFF)
async def add(visit: Visit) -> web.StreamResponse:
    typed = await _fields(visit, "question", "answer")

    async def work(cog: QuestionsCog, interaction: WebInteraction) -> None:
        await cog.faq_commands.add(visit.context(interaction), Arguments(typed))

    return await _run(visit, work)


@page(Role.STAFF)
async def edit(visit: Visit) -> web.StreamResponse:
    typed = await _fields(visit, "question", "answer")
    values: dict[str, str | int] = {"entry": _number(visit, "entry")}
    values.update({name: text for name, text in typed.items() if text.strip()})

    async def work(cog: QuestionsCog, interaction: WebInteraction) -> None:
        await cog.faq_commands.edit(visit.context(interaction), Arguments(values))

    return await _run(visit, work)


@page(Role.STAFF)
async def remove(visit: Visit) -> web.StreamResponse:
    entry = _number(visit, "entry")

    async def work(cog: QuestionsCog, interaction: WebInteraction) -> None:
        await cog.faq_commands.remove(visit.context(interaction), Arguments({"entry": entry}))

    return await _run(visit, work)


@page(Role.STAFF)
async def answer(visit: Visit) -> web.StreamResponse:
    group_id = _number(visit, "group")
    typed = await _fields(visit, "answer", "question")

    async def work(cog: QuestionsCog, interaction: WebInteraction) -> None:
        group = await cog.flow.questions.group(group_id)
        community = visit.community
        if group is None or (group.platform, group.community_id) != (
            community.platform,
            community.id,
        ):
            raise UserFacingError("questions.group_not_found", id=group_id)
        await cog.actions.submit_answer(visit.context(interaction), group_id, typed)

    return await _run(visit, work)


def setup(router: web.UrlDispatcher) -> None:
    base = "/c/{platform}/{community}/faq"
    router.add_get(base, listing)
    router.add_post(base + "/add", add)
    router.add_post(base + "/{entry}/edit", edit)
    router.add_post(base + "/{entry}/remove", remove)
    router.add_post(base + "/groups/{group}/answer", answer)

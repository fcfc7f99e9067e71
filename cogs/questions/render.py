"""The cards of recurring questions: staff's card, the FAQ's answer, notes for staff."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.core.cards import Button, ButtonStyle, Card, Field, Message
from cogs.questions.faq import FaqView
from cogs.questions.models import ANSWERED, DISMISSED, MERGED
from cogs.questions.service import GroupView

Translate = Callable[..., str]
ComponentIds = Callable[..., str]
AMBER = 0xF39C12
GREEN = 0x27AE60
GREY = 0x7F8C8D
BLUE = 0x2E86DE
MAX_NAMES = 15
EXCERPT = 120
ANSWER_EXCERPT = 600


def excerpt(text: str, limit: int = EXCERPT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def names(t: Translate, shown: Sequence[str]) -> str:
    if len(shown) <= MAX_NAMES:
        return ", ".join(shown)
    more = t("questions.and_more", count=len(shown) - MAX_NAMES)
    return ", ".join(shown[:MAX_NAMES]) + f" {more}"


def staff_card(
    t: Translate,
    group: GroupView,
    links: Sequence[str | None],
    faq: FaqView | None,
    ids: ComponentIds,
    where: Callable[[str], str],
) -> Card:
    """The card staff act on; `links[i]` opens `group.recent[i]`, where the platform can."""
    count = len(group.askers)
    fields = [
        Field(
            t("questions.card.asked_by", count=count),
            names(t, group.askers),
        )
    ]
    lines = []
    for question, link in zip(group.recent, links, strict=False):
        line = t(
            "questions.card.message",
            member=question.member_name,
            channel=where(question.channel_id),
            text=excerpt(question.text, 60),
        )
        lines.append(f"• {line}" + (f" {link}" if link else ""))
    if lines:
        fields.append(Field(t("questions.card.messages"), "\n".join(lines)))
    if faq is not None:
        fields.append(
            Field(t("questions.card.answer", id=faq.id), excerpt(faq.answer, ANSWER_EXCERPT))
        )
    buttons: tuple[Button, ...] = ()
    color = AMBER
    title = t("questions.card.title", id=group.id)
    if group.state == DISMISSED:
        title, color = t("questions.card.dismissed_title", id=group.id), GREY
    elif group.state == MERGED:
        title, color = t("questions.card.merged_title", id=group.id, into=group.merged_into), GREY
    elif group.state == ANSWERED:
        title, color = t("questions.card.answered_title", id=group.id), GREEN
    else:
        buttons = (
            Button(t("questions.button.answer"), ids("answer", group.id), ButtonStyle.PRIMARY),
            Button(t("questions.button.dismiss"), ids("dismiss", group.id), ButtonStyle.DANGER),
            Button(t("questions.button.merge"), ids("merge", group.id)),
        )
    text = f"«{excerpt(group.representative, 300)}»"
    if group.reopened and group.state not in (DISMISSED, MERGED, ANSWERED):
        text += "\n" + t("questions.card.reopened")
    return Card(
        title=title,
        text=text,
        fields=tuple(fields),
        buttons=buttons,
        footer=t("questions.card.footer", id=group.id),
        color=color,
    )


def faq_answer(
    t: Translate, intro: str, entry: FaqView, delivery_id: int, ids: ComponentIds
) -> Message:
    card = Card(
        title=f"💡 {excerpt(entry.question, 200)}",
        text=entry.answer,
        footer=t("questions.faq.footer", id=entry.id),
        buttons=(
            Button(t("questions.button.helpful"), ids("helpful", delivery_id), ButtonStyle.SUCCESS),
            Button(t("questions.button.not_helpful"), ids("unhelpful", delivery_id)),
        ),
        color=GREEN,
    )
    return Message(text=intro, card=card)


def promote_card(
    t: Translate, group: GroupView, member_name: str, text: str, reply_id: int, ids: ComponentIds
) -> Card:
    return Card(
        title=t("questions.promote.title", member=member_name, id=group.id),
        text=f"«{excerpt(group.representative, 200)}»\n↳ {excerpt(text, ANSWER_EXCERPT)}",
        buttons=(
            Button(t("questions.button.promote"), ids("promote", reply_id), ButtonStyle.PRIMARY),
        ),
        color=BLUE,
    )


def faq_listing(t: Translate, entries: Sequence[FaqView], title_key: str) -> str:
    if not entries:
        return t("questions.faq.empty")
    lines = [t(title_key, count=len(entries))]
    for entry in entries:
        lines.append(f"#{entry.id} · {excerpt(entry.question, 150)}")
    return "\n".join(lines)


def faq_results(t: Translate, entries: Sequence[FaqView]) -> str:
    if not entries:
        return t("questions.faq.no_results")
    parts = [t("questions.faq.results", count=len(entries))]
    for entry in entries:
        parts.append(
            f"#{entry.id} · **{excerpt(entry.question, 150)}**\n{excerpt(entry.answer, 400)}"
        )
    return "\n\n".join(parts)

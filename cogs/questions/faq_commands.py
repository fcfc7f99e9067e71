"""`/faq`: search and list for everyone; add, edit, remove, export and import for staff."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from bot.core.cards import Message
from bot.core.commands import Arguments, Command, Option, OptionKind
from bot.core.context import Context
from bot.core.errors import UserFacingError
from bot.core.model import Attachment, Community, Member, Role
from cogs.questions import engine
from cogs.questions.actions import (
    MAX_ANSWER,
    MAX_FAQ_QUESTION,
    StaffActions,
    checked_answer,
    checked_question,
)
from cogs.questions.faq import FaqView
from cogs.questions.faqdoc import DocEntry, NotText, decode, parse_markdown, to_markdown
from cogs.questions.flow import QuestionFlow
from cogs.questions.models import ANSWERED, FORWARDED, OPEN
from cogs.questions.render import faq_listing, faq_results

MAX_RESULTS = 5
_WORD = re.compile(r"\w{3,}")


def words(text: str) -> set[str]:
    """The words of a search, without case or accents: «perché» finds «perche»."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return set(_WORD.findall("".join(char for char in folded if not unicodedata.combining(char))))


def _same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


class FaqCommands:
    def __init__(self, flow: QuestionFlow, actions: StaffActions) -> None:
        self.flow = flow
        self.actions = actions

    def declare(self) -> Command:
        entry = Option(
            "entry", OptionKind.INTEGER, "questions.opt.entry", required=True, min_value=1
        )
        question = Option(
            "question", OptionKind.STRING, "questions.opt.question", max_length=MAX_FAQ_QUESTION
        )
        answer = Option("answer", OptionKind.STRING, "questions.opt.answer", max_length=MAX_ANSWER)
        staff = Role.STAFF
        return Command(
            "faq",
            "questions.cmd.faq",
            default_subcommand="search",
            subcommands=(
                Command(
                    "search",
                    "questions.cmd.faq_search",
                    (
                        Option(
                            "query",
                            OptionKind.STRING,
                            "questions.opt.query",
                            required=True,
                            max_length=300,
                        ),
                    ),
                    self.search,
                    usage="questions.usage.faq_search",
                ),
                Command("list", "questions.cmd.faq_list", (), self.listing),
                Command(
                    "add",
                    "questions.cmd.faq_add",
                    (
                        replace(question, required=True),
                        replace(answer, required=True),
                    ),
                    self.add,
                    staff,
                    usage="questions.usage.faq_add",
                ),
                Command(
                    "edit",
                    "questions.cmd.faq_edit",
                    (entry, question, answer),
                    self.edit,
                    staff,
                    usage="questions.usage.faq_edit",
                ),
                Command(
                    "remove",
                    "questions.cmd.faq_remove",
                    (entry,),
                    self.remove,
                    staff,
                    usage="questions.usage.faq_remove",
                ),
                Command("export", "questions.cmd.faq_export", (), self.export, staff),
                Command(
                    "import",
                    "questions.cmd.faq_import",
                    (Option("file", OptionKind.FILE, "questions.opt.file", required=True),),
                    self.import_file,
                    staff,
                    usage="questions.usage.faq_import",
                ),
            ),
        )

    # -- everyone ------------------------------------------------------------------

    async def search(self, ctx: Context, args: Arguments) -> None:
        query = (args.string("query") or "").strip()
        if not query:
            raise UserFacingError("questions.faq.query_empty")
        entries = await self.flow.faq.entries(ctx.community)
        vector = await self.flow.grouper.vector_soon(query)
        await ctx.reply(faq_results(ctx.t, self.best(entries, query, vector)), ephemeral=True)

    def best(self, entries: list[FaqView], query: str, vector: bytes) -> list[FaqView]:
        """The engine's nearest entries to the query (`vector`, its vector) first, then
        those that contain every word asked."""
        by_id = {entry.id: entry for entry in entries}
        ranking = engine.Grouper()
        ranking.load("", ((entry.id, entry.vector) for entry in entries))
        found: list[FaqView] = []
        while len(found) < MAX_RESULTS and (hit := ranking.match("", vector)) is not None:
            found.append(by_id[hit[0]])
            ranking.forget_group("", hit[0])
        wanted = words(query)
        for entry in entries:
            if len(found) >= MAX_RESULTS:
                break
            if entry in found or not wanted:
                continue
            if wanted <= words(f"{entry.question} {entry.answer}"):
                found.append(entry)
        return found

    async def listing(self, ctx: Context, args: Arguments) -> None:
        entries = await self.flow.faq.entries(ctx.community)
        await ctx.reply(faq_listing(ctx.t, entries, "questions.faq.list_title"), ephemeral=True)

    # -- staff ---------------------------------------------------------------------

    async def add(self, ctx: Context, args: Arguments) -> None:
        question = checked_question(args.string("question"))
        answer = checked_answer(args.string("answer"))
        entry = await self.add_entry(ctx.community, question, answer, ctx.member)
        await ctx.reply(ctx.t("questions.faq.added", id=entry.id), ephemeral=True)

    async def add_entry(
        self, community: Community, question: str, answer: str, by: Member
    ) -> FaqView:
        """A new entry answers the group its question belongs to, or starts one of its own,
        so the next member who asks it in other words gets the answer."""
        flow = self.flow
        key = await flow.loaded(community)
        vector = await flow.grouper.vector_soon(question)
        hit = flow.grouper.match(key, vector)
        if hit is not None:
            group = await flow.questions.group(hit[0])
            taken = await flow.faq.for_group(hit[0])
            if group is not None and group.state in (OPEN, FORWARDED) and taken is None:
                return await self.actions.answer_group(community, group.id, answer, question, by)
        group_id = await flow.questions.new_group(community, question, flow.now(), ANSWERED)
        entry = await flow.faq.add(community, question, answer, vector, by.id, flow.now(), group_id)
        flow.grouper.add(key, group_id, vector)
        return entry

    async def _entry(self, ctx: Context, args: Arguments) -> FaqView:
        entry_id = args.integer("entry") or 0
        entry = await self.flow.faq.get(ctx.community, entry_id)
        if entry is None:
            raise UserFacingError("questions.faq.not_found", id=entry_id)
        return entry

    async def edit(self, ctx: Context, args: Arguments) -> None:
        entry = await self._entry(ctx, args)
        typed_question, typed_answer = args.string("question"), args.string("answer")
        if typed_question is None and typed_answer is None:
            raise UserFacingError("questions.faq.nothing_to_edit")
        question = checked_question(typed_question) if typed_question is not None else None
        answer = checked_answer(typed_answer) if typed_answer is not None else None
        flow = self.flow
        vector = await flow.grouper.vector_soon(question) if question else None
        edited = await flow.faq.edit(
            entry.id, flow.now(), question=question, answer=answer, vector=vector
        )
        if edited is None:
            raise UserFacingError("questions.faq.not_found", id=entry.id)
        if vector is not None and edited.group_id is not None:
            flow.grouper.add(await flow.loaded(ctx.community), edited.group_id, vector)
        if edited.group_id is not None:
            await flow.refresh_card(edited.group_id)
        await ctx.reply(ctx.t("questions.faq.edited", id=entry.id), ephemeral=True)

    async def remove(self, ctx: Context, args: Arguments) -> None:
        entry = await self._entry(ctx, args)
        removed = await self.flow.faq.remove(entry.id)
        if removed is None:
            raise UserFacingError("questions.faq.not_found", id=entry.id)
        if removed.group_id is not None:
            await self.flow.questions.unanswer(removed.group_id)
            await self.flow.refresh_card(removed.group_id)
        await ctx.reply(ctx.t("questions.faq.removed", id=entry.id), ephemeral=True)

    async def export(self, ctx: Context, args: Arguments) -> None:
        entries = await self.flow.faq.entries(ctx.community)
        if not entries:
            raise UserFacingError("questions.faq.empty")
        document = to_markdown(
            ctx.t("questions.faq.export_title", community=ctx.community.name or "Ponte"),
            (DocEntry(entry.question, entry.answer) for entry in entries),
        )
        file = Attachment("faq.md", document.encode("utf-8"), "text/markdown")
        text = ctx.t("questions.faq.exported", count=len(entries))
        await ctx.reply(Message(text=text, files=(file,)), ephemeral=True)

    async def import_file(self, ctx: Context, args: Arguments) -> None:
        attachment = args.attachment("file")
        if attachment is None:
            raise UserFacingError("questions.faq.import_empty")
        try:
            document = parse_markdown(decode(attachment.data), MAX_FAQ_QUESTION, MAX_ANSWER)
        except NotText:
            raise UserFacingError("questions.faq.not_text", file=attachment.filename) from None
        if not document.entries:
            raise UserFacingError("questions.faq.import_empty")
        existing = await self.flow.faq.entries(ctx.community)
        added = updated = 0
        for item in document.entries:
            same = next((entry for entry in existing if _same(entry.question, item.question)), None)
            if same is None:
                existing.append(
                    await self.add_entry(ctx.community, item.question, item.answer, ctx.member)
                )
                added += 1
            elif same.answer.strip() != item.answer:
                await self.flow.faq.edit(same.id, self.flow.now(), answer=item.answer)
                updated += 1
        await ctx.reply(
            ctx.t(
                "questions.faq.imported",
                added=added,
                updated=updated,
                skipped=document.skipped,
            ),
            ephemeral=True,
        )

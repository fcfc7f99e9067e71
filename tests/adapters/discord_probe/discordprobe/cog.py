"""What a cog asks of a platform for moderation and files, answered so a test can read it."""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.cards import Form, FormField, Message
from bot.core.cog import Cog, ComponentId
from bot.core.commands import Arguments, Command, MessageAction, Option, OptionKind
from bot.core.context import Context
from bot.core.events import MessageDeleted, MessageEdited, MessagePosted
from bot.core.model import Attachment, PostedMessage, Role
from bot.core.services import Services


class ProbeCog(Cog):
    name = "discordprobe"

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.posted: list[MessagePosted] = []
        self.edited: list[MessageEdited] = []
        self.deleted: list[MessageDeleted] = []
        self.reported: list[PostedMessage] = []

    def commands(self) -> list[Command]:
        file = Option("file", OptionKind.FILE, "discordprobe.file_option", required=True)
        return [Command("bank", "discordprobe.bank_cmd", options=(file,), handler=self.bank)]

    def message_actions(self) -> list[MessageAction]:
        return [
            MessageAction("report", "discordprobe.report", self.report),
            MessageAction("tag", "discordprobe.tag", self.tag, permission=Role.MODERATOR),
            MessageAction("explain", "discordprobe.explain", self.explain),
        ]

    async def bank(self, ctx: Context, args: Arguments) -> None:
        bank = args.attachment("file")
        assert bank is not None
        lines = bank.data.decode("utf-8", "replace").splitlines()
        echo = Attachment("lines.csv", "\n".join(f"{i},{x}" for i, x in enumerate(lines)).encode())
        text = ctx.t("discordprobe.received", name=bank.filename, count=len(lines))
        await ctx.reply(Message(text=text, files=(echo,)), ephemeral=True)
        await ctx.reply(Message(text=text, files=(echo,)))

    async def report(self, ctx: Context, target: PostedMessage, argument: str) -> None:
        self.reported.append(target)
        link = await ctx.platform.message_link(target.ref) or "-"
        text = ctx.t(
            "discordprobe.reported", author=target.author.name, text=target.text, link=link
        )
        await ctx.reply(text, ephemeral=True)

    async def tag(self, ctx: Context, target: PostedMessage, argument: str) -> None:
        await ctx.reply(ctx.t("discordprobe.tagged", text=target.text), ephemeral=True)

    async def explain(self, ctx: Context, target: PostedMessage, argument: str) -> None:
        why = FormField("why", ctx.t("discordprobe.why"), multiline=True)
        custom_id = self.component("why", target.ref.message_id)
        await ctx.open_form(Form(custom_id, ctx.t("discordprobe.explain"), (why,)))

    async def on_form(
        self, ctx: Context, component: ComponentId, values: Mapping[str, str]
    ) -> None:
        text = ctx.t("discordprobe.explained", id=component.args[0], why=values["why"])
        await ctx.reply(text, ephemeral=True)

    async def on_message_posted(self, event: MessagePosted) -> None:
        self.posted.append(event)

    async def on_message_edited(self, event: MessageEdited) -> None:
        self.edited.append(event)

    async def on_message_deleted(self, event: MessageDeleted) -> None:
        self.deleted.append(event)

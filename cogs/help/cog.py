"""`/help`: every command the member may run, with what it does and how to type it."""

from __future__ import annotations

from bot.core.cards import Card, Field
from bot.core.cog import Cog
from bot.core.commands import Arguments, Command
from bot.core.context import Context

# A card holds 25 fields; a community with more commands than that gets the first ones.
MAX_SHOWN = 25


class HelpCog(Cog):
    name = "help"

    def commands(self) -> list[Command]:
        return [Command("help", "help.cmd", handler=self.show)]

    async def show(self, ctx: Context, args: Arguments) -> None:
        fields: list[Field] = []
        for command in self.services.commands:
            for path, leaf in command.leaves():
                if not ctx.member.has_role(leaf.permission):
                    continue
                text = ctx.t(leaf.description)
                if leaf.usage:
                    text = f"{text}\n{ctx.t('help.example', usage=ctx.t(leaf.usage))}"
                fields.append(Field("/" + " ".join(path), text))
        card = Card(
            title=ctx.t("help.title", community=ctx.community.name),
            text=ctx.t("help.intro"),
            fields=tuple(fields[:MAX_SHOWN]),
            footer=ctx.t("help.footer"),
        )
        await ctx.reply(card, ephemeral=True)

"""`/help`: every command the member may run, with what it does and how to type it."""

from __future__ import annotations

from bot.core.cards import Card, Field
from bot.core.cog import Cog
from bot.core.commands import Arguments, Command, Option, OptionKind
from bot.core.context import Context
from bot.core.errors import UserFacingError

# A card holds 25 fields, and Discord 1,024 characters in one: the overview gives a field to
# each command and a line to each subcommand; `/help command:poll` gives the examples.
MAX_SHOWN = 25
MAX_FIELD = 1000


class HelpCog(Cog):
    name = "help"

    def commands(self) -> list[Command]:
        return [
            Command(
                "help",
                "help.cmd",
                (Option("command", OptionKind.STRING, "help.opt.command", max_length=40),),
                handler=self.show,
                usage="help.usage",
            )
        ]

    def _allowed(self, ctx: Context, command: Command) -> list[tuple[tuple[str, ...], Command]]:
        return [
            (path, leaf) for path, leaf in command.leaves() if ctx.member.has_role(leaf.permission)
        ]

    async def show(self, ctx: Context, args: Arguments) -> None:
        wanted = (args.string("command") or "").strip().lstrip("/").lower()
        if wanted:
            await self._details(ctx, wanted)
            return
        fields: list[Field] = []
        for command in self.services.commands:
            leaves = self._allowed(ctx, command)
            if not leaves:
                continue
            lines = [f"/{' '.join(path)} — {ctx.t(leaf.description)}" for path, leaf in leaves]
            fields.append(Field(f"/{command.name}", _fit(lines)))
        card = Card(
            title=ctx.t("help.title", community=ctx.community.name),
            text=ctx.t("help.intro"),
            fields=tuple(fields[:MAX_SHOWN]),
            footer=ctx.t("help.footer"),
        )
        await ctx.reply(card, ephemeral=True)

    async def _details(self, ctx: Context, wanted: str) -> None:
        command = next((c for c in self.services.commands if c.name == wanted), None)
        leaves = self._allowed(ctx, command) if command is not None else []
        if command is None or not leaves:
            raise UserFacingError("help.unknown", command=wanted[:40])
        fields = []
        for path, leaf in leaves:
            text = ctx.t(leaf.description)
            if leaf.usage:
                text = f"{text}\n{ctx.t('help.example', usage=ctx.t(leaf.usage))}"
            fields.append(Field("/" + " ".join(path), text[:MAX_FIELD]))
        card = Card(
            title=ctx.t("help.details_title", command=command.name),
            text=ctx.t(command.description),
            fields=tuple(fields[:MAX_SHOWN]),
            footer=ctx.t("help.footer"),
        )
        await ctx.reply(card, ephemeral=True)


def _fit(lines: list[str]) -> str:
    """As many whole lines as a field holds, and an ellipsis for the rest."""
    shown: list[str] = []
    size = 0
    for line in lines:
        if size + len(line) + 1 > MAX_FIELD - 2:
            shown.append("…")
            break
        shown.append(line)
        size += len(line) + 1
    return "\n".join(shown)

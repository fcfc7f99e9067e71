"""`/privacy export` sends a member their own data as a JSON file, privately; `/privacy
delete` erases it once they confirm with a button. Stored message text is erased past the
retention period (`MESSAGE_RETENTION_DAYS`), counts kept."""

from __future__ import annotations

from datetime import timedelta

from bot.core.cards import Button, ButtonStyle, Card, Message
from bot.core.cog import Cog, ComponentId
from bot.core.commands import Arguments, Command
from bot.core.context import Context
from bot.core.errors import UserFacingError
from bot.core.model import Attachment
from bot.core.privacy import DataSubject
from bot.core.services import Services
from cogs.privacy.service import ErasureIncomplete, PrivacyService

EXPIRE = "privacy-retention"
# How often the retention looks for text past its time: a day late at most.
EXPIRE_EVERY = timedelta(hours=6)


class PrivacyCog(Cog):
    name = "privacy"

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.privacy = PrivacyService(services)
        services.scheduler.on(EXPIRE, self._expire)

    def commands(self) -> list[Command]:
        return [
            Command(
                "privacy",
                "privacy.cmd",
                subcommands=(
                    Command("export", "privacy.cmd.export", handler=self.export),
                    Command("delete", "privacy.cmd.delete", handler=self.ask_to_delete),
                ),
                usage="privacy.usage",
            )
        ]

    async def start(self) -> None:
        # At once: text that passed its retention while the bot was down goes now.
        self.services.scheduler.schedule(EXPIRE, "all", self.services.clock.now())

    async def _expire(self, key: str) -> None:
        now = self.services.clock.now()
        try:
            days = self.services.settings.message_retention_days
            if days:
                await self.privacy.expire(now - timedelta(days=days))
        finally:
            self.services.scheduler.schedule(EXPIRE, key, now + EXPIRE_EVERY)

    @staticmethod
    def _subject(ctx: Context) -> DataSubject:
        return DataSubject(ctx.community.platform, ctx.community.id, ctx.member.id)

    async def _privately(self, ctx: Context, message: Message) -> None:
        """In the member's DMs; where they are closed, as an answer only they see."""
        sent = await self.services.outbox.dm(ctx.community, ctx.member.id, message)
        if sent is None:
            await ctx.reply(message, ephemeral=True)
        else:
            await ctx.reply(ctx.t("privacy.sent_privately"), ephemeral=True)

    async def export(self, ctx: Context, args: Arguments) -> None:
        data = await self.privacy.export(self._subject(ctx))
        name = f"ponte-{ctx.community.platform}-{_safe(ctx.member.id)}.json"
        file = Attachment(name, data, "application/json")
        await self._privately(ctx, Message(text=ctx.t("privacy.exported"), files=(file,)))

    async def ask_to_delete(self, ctx: Context, args: Arguments) -> None:
        card = Card(
            title=ctx.t("privacy.confirm.title"),
            text=ctx.t("privacy.confirm.text"),
            buttons=(
                Button(
                    ctx.t("privacy.confirm.erase"),
                    self.component("erase", ctx.member.id),
                    ButtonStyle.DANGER,
                ),
                Button(ctx.t("privacy.confirm.keep"), self.component("keep", ctx.member.id)),
            ),
        )
        # Where the member is: a DM has no community to erase from (Discord's DMs).
        await ctx.reply(Message(card=card), ephemeral=True)

    async def on_button(self, ctx: Context, component: ComponentId) -> None:
        if component.action not in ("erase", "keep") or len(component.args) != 1:
            raise UserFacingError("errors.unknown_button")
        if component.args[0] != ctx.member.id:
            # Only the member may erase their own data, whoever sees the card.
            raise UserFacingError("privacy.not_yours")
        if component.action == "keep":
            await ctx.update(Message(text=ctx.t("privacy.kept")))
            return
        try:
            changed = await self.privacy.erase(self._subject(ctx))
        except ErasureIncomplete:
            raise UserFacingError("privacy.erase_incomplete") from None
        done = ctx.t("privacy.erased", count=changed)
        await ctx.update(Message(text=done))
        if ctx.message is None:
            await ctx.reply(done, ephemeral=True)


def _safe(member_id: str) -> str:
    return "".join(char if char.isalnum() or char in "-_" else "_" for char in member_id)[:64]

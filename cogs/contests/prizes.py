"""Prizes to winners: a DM, with a voucher code when the contest has codes. A winner whose
DMs are closed is told in the channel; their code waits for `/contest claim`."""

from __future__ import annotations

from enum import StrEnum

from bot.core.cards import Message
from bot.core.model import Member
from bot.core.services import Services
from cogs.contests.render import ContestRenderer
from cogs.contests.service import ContestView
from cogs.contests.vouchers import Vouchers


class Delivery(StrEnum):
    SENT = "sent"  # the code reached the winner's DMs
    CONGRATULATED = "congratulated"  # no codes in this contest: a DM to say they won
    DMS_CLOSED = "dms_closed"  # the code (or the news) waits for them
    NO_CODE_LEFT = "no_code_left"  # every code is taken: staff must upload more


class Prizes:
    def __init__(self, services: Services, vouchers: Vouchers) -> None:
        self.services = services
        self.vouchers = vouchers

    async def deliver(
        self, contest: ContestView, member_id: str, renderer: ContestRenderer
    ) -> Delivery:
        platform = self.services.platforms.get(contest.platform)
        if not await self.vouchers.has_codes(contest.id):
            text = renderer.t("contests.dm_won", prize=contest.title, id=contest.id)
            # Sent through the platform itself: a DM with a code is kept in one table only.
            sent = await platform.send_dm(contest.community_id, member_id, Message(text=text))
            return Delivery.CONGRATULATED if sent else Delivery.DMS_CLOSED
        now = self.services.clock.now()
        claim = await self.vouchers.take(contest.id, member_id, now)
        if claim is None:
            return Delivery.NO_CODE_LEFT
        text = renderer.t("contests.dm_code", prize=contest.title, code=claim.code)
        sent = await platform.send_dm(contest.community_id, member_id, Message(text=text))
        if sent is None:
            return Delivery.DMS_CLOSED
        await self.vouchers.delivered(contest.id, member_id, now)
        return Delivery.SENT

    async def tell_channel(
        self, contest: ContestView, member: Member, outcome: Delivery, renderer: ContestRenderer
    ) -> None:
        """What the channel must hear about one winner's prize (nothing when it arrived)."""
        if outcome not in (Delivery.DMS_CLOSED, Delivery.NO_CODE_LEFT):
            return
        platform = self.services.platforms.get(contest.platform)
        key = (
            "contests.open_your_dms"
            if outcome is Delivery.DMS_CLOSED
            else "contests.codes_finished"
        )
        text = renderer.t(key, member=platform.mention(member), id=contest.id)
        await self.services.outbox.send(contest.community, contest.channel_id, Message(text=text))

"""Files on Slack: a shared file named in a command (`file:F…` or its link) reaches the
command as an Attachment; a message's files are uploaded after it. A test-only cog stands
for the cogs that import and export files."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.files import Files
from bot.core.cards import Message
from bot.core.cog import Cog
from bot.core.commands import Arguments, Command, Option, OptionKind
from bot.core.context import Context
from bot.core.model import MAX_ATTACHMENT_BYTES, Attachment
from tests.adapters.slack_support import SlackRun, add_cogs, bot_posts, ephemerals_to
from tests.emulators.slack import SlackEmulator, share_file

BANK = b"::Q1:: 2+2? {=4 ~3 ~5}\n"


class FilesCog(Cog):
    name = "filesprobe"

    def commands(self) -> list[Command]:
        bank = Option("bank", OptionKind.FILE, "common.submit", required=True)
        return [
            Command("probe-import", "common.submit", (bank,), handler=self.read),
            Command("probe-export", "common.submit", handler=self.export),
        ]

    async def read(self, ctx: Context, args: Arguments) -> None:
        file = args.attachment("bank")
        assert file is not None
        first = file.data.decode().splitlines()[0]
        await ctx.reply(f"{file.filename} {file.size} {file.content_type} {first}", ephemeral=True)

    async def export(self, ctx: Context, args: Arguments) -> None:
        csv = Attachment("voti.csv", b"opzione,voti\nPizza,2\n", "text/csv")
        await ctx.reply(Message("Ecco i voti.", files=(csv,)))


@pytest.fixture
async def files_slack(
    slack_emu: SlackEmulator, slack_db: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[SlackRun]:
    add_cogs(monkeypatch, FilesCog)
    run = SlackRun(slack_emu, "socket", slack_db)
    await run.start()
    try:
        yield run
    finally:
        await run.stop()


async def test_a_shared_file_named_by_id_or_link_reaches_the_command(
    slack_emu: SlackEmulator, files_slack: SlackRun
) -> None:
    pia = slack_emu.add_user("pia")
    file_id = await share_file(slack_emu, pia, "general", "banca.gift", BANK)
    await files_slack.settle()
    link = slack_emu.files[file_id].to_api(pia, slack_emu.base_url)["permalink"]

    await files_slack.command("pia", "general", f"/probe-import bank:{file_id}")
    await files_slack.command("pia", "general", f"/probe-import bank:{link}")

    expected = f"banca.gift {len(BANK)} application/octet-stream ::Q1:: 2+2? {{=4 ~3 ~5}}"
    assert ephemerals_to(slack_emu, "pia") == [expected, expected]
    assert slack_emu.downloads == [file_id, file_id]
    assert slack_emu.problems == []


async def test_an_unknown_or_too_large_file_gets_a_clear_answer_and_no_download(
    slack_emu: SlackEmulator, files_slack: SlackRun
) -> None:
    pia = slack_emu.add_user("pia")
    big = await share_file(
        slack_emu, pia, "general", "enorme.csv", b"x" * (MAX_ATTACHMENT_BYTES + 1)
    )
    await files_slack.settle()

    await files_slack.command("pia", "general", "/probe-import bank:F0NOTHERE9")
    await files_slack.command("pia", "general", f"/probe-import bank:{big}")

    unknown, large = ephemerals_to(slack_emu, "pia")
    assert unknown.startswith("Non trovo il file «F0NOTHERE9» (opzione «bank»).")
    assert large.startswith("Il file di «file» è troppo grande: al massimo 2.048 KB.")
    assert slack_emu.downloads == []  # refused by the size files.info declared


async def test_a_download_answered_with_slacks_sign_in_page_is_refused(
    slack_emu: SlackEmulator, files_slack: SlackRun
) -> None:
    pia = slack_emu.add_user("pia")
    file_id = await share_file(slack_emu, pia, "general", "banca.gift", BANK)
    async with aiohttp.ClientSession() as session:
        client = AsyncWebClient(token=slack_emu.bot_token, base_url=slack_emu.api_url)
        good = await Files(client, session, slack_emu.bot_token).fetch(file_id)
        # A token that may not read files gets Slack's HTML sign-in page, status 200.
        wrong = await Files(client, session, "xoxb-not-this-one").fetch(file_id)
    assert good is not None and good.data == BANK
    assert wrong is None


async def test_a_messages_files_are_uploaded_after_it_in_the_same_channel(
    slack_emu: SlackEmulator, files_slack: SlackRun
) -> None:
    slack_emu.add_user("pia")

    await files_slack.command("pia", "general", "/probe-export")

    text, upload = bot_posts(slack_emu, "general")
    assert text["text"] == "Ecco i voti."
    (shared,) = upload["files"]
    assert shared["name"] == "voti.csv"
    assert slack_emu.files[shared["id"]].data == b"opzione,voti\nPizza,2\n"
    assert float(upload["ts"]) > float(text["ts"])
    assert slack_emu.problems == []

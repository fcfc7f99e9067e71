"""The real cogs on Slack, end to end over the emulator: netiquette holds a flagged post
(a notice in its thread without a user token, deleted with an admin's), Approve reposts it
under its author's name, "Report to moderators" from a message's menu, and a quiz bank
shared in Slack imported by naming the file, then exported as a file."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.adapters.slack_support import SlackRun, bot_posts, button_ids, ephemerals_to
from tests.emulators.slack import SlackEmulator, message_shortcut, share_file

INSULT = "sei proprio un idiota"
NOTICE = "Questo messaggio è in revisione da parte dei moderatori."
STORIA = (
    b"$CATEGORY: $course$/top/Storia\n\n"
    b"::Roma:: In che anno fu fondata Roma? {=753 a.C. ~509 a.C. ~476 d.C.}\n\n"
    b"::Repubblica:: La Repubblica Italiana nacque nel 1946. {T}\n"
)


@pytest.fixture
async def admin_token_slack(slack_emu: SlackEmulator, slack_db: str) -> AsyncIterator[SlackRun]:
    token = slack_emu.user_token(slack_emu.admin_user_id)
    run = SlackRun(slack_emu, "socket", slack_db, overrides={"slack_user_token": token})
    await run.start()
    try:
        yield run
    finally:
        await run.stop()


def review_card(emu: SlackEmulator) -> dict[str, object]:
    (card,) = [m for m in bot_posts(emu, "reviews") if button_ids(m)]
    return card


async def test_a_flagged_post_stays_with_a_notice_in_its_thread_and_a_card_for_moderators(
    slack_emu: SlackEmulator, socket_slack: SlackRun
) -> None:
    pia = slack_emu.add_user("pia")
    slack_emu.add_user("mara", channels=["reviews"])

    ts = await slack_emu.post_message(pia, "general", INSULT)
    await socket_slack.settle()

    assert slack_emu.message("general", ts) is not None  # a bot may not delete it
    notices = [m for m in bot_posts(slack_emu, "general") if m.get("thread_ts") == ts]
    assert [m["text"] for m in notices] == [NOTICE]
    card = review_card(slack_emu)
    assert list(button_ids(card)) == ["Approva", "Rifiuta", "Rifiuta e avvisa"]
    assert "idiota" in str(card["blocks"])  # the moderators see what was flagged
    assert slack_emu.problems == []


async def test_with_an_admin_token_the_post_is_deleted_and_approve_reposts_it_as_its_author(
    slack_emu: SlackEmulator, admin_token_slack: SlackRun
) -> None:
    slack = admin_token_slack
    pia = slack_emu.add_user("pia", display_name="Pia")
    slack_emu.add_user("mara", channels=["reviews"])

    ts = await slack_emu.post_message(pia, "general", INSULT)
    await slack.settle()
    assert slack_emu.message("general", ts) is None
    assert bot_posts(slack_emu, "general") == []  # no notice: the post is gone

    card = review_card(slack_emu)
    await slack.click("mara", "reviews", str(card["ts"]), "Approva")

    (repost,) = bot_posts(slack_emu, "general")
    assert (repost["text"], repost["username"]) == (INSULT, "Pia")
    assert repost["icons"]["image_64"].endswith(f"{pia}_72.png")
    assert ephemerals_to(slack_emu, "mara")[-1].startswith("Hai approvato la revisione #1")
    assert slack_emu.problems == []


async def test_report_to_moderators_from_the_message_menu(
    slack_emu: SlackEmulator, slack: SlackRun
) -> None:
    pia, ugo = slack_emu.add_user("pia"), slack_emu.add_user("ugo")
    slack_emu.add_user("mara", channels=["reviews"])
    ts = await slack_emu.post_message(pia, "general", "secondo me il film era noioso")
    await slack.settle()
    assert bot_posts(slack_emu, "reviews") == []  # nothing wrong with it, for netiquette

    await message_shortcut(slack_emu, ugo, ("general", ts), "report")
    await slack.settle()

    (thanks,) = ephemerals_to(slack_emu, "ugo")
    assert thanks.startswith("Grazie della segnalazione: i moderatori la esamineranno.")
    card = review_card(slack_emu)
    assert "il film era noioso" in str(card["blocks"])
    assert "ugo" not in str(card["blocks"])  # the reporter stays unnamed
    assert slack_emu.problems == []


async def test_a_quiz_bank_shared_in_slack_is_imported_by_naming_it_and_exported_as_a_file(
    slack_emu: SlackEmulator, socket_slack: SlackRun
) -> None:
    sara = slack_emu.add_user("sara", channels=["staff"])
    file_id = await share_file(slack_emu, sara, "general", "storia.gift", STORIA)
    await socket_slack.settle()

    await socket_slack.command("sara", "general", f"/quiz import name:storia file:{file_id}")
    (imported,) = ephemerals_to(slack_emu, "sara")
    assert imported.startswith("Banca «storia» importata") and "GIFT" in imported
    assert "2" in imported  # two questions
    assert slack_emu.downloads == [file_id]

    await socket_slack.command("sara", "general", "/quiz export bank:storia format:csv")
    (dm, upload) = slack_emu.dms_to(sara)
    (exported,) = upload["files"]
    assert exported["name"] == "storia.csv"
    assert "In che anno fu fondata Roma?" in slack_emu.files[exported["id"]].data.decode()  # type: ignore[union-attr]
    assert "storia" in dm["text"]
    assert slack_emu.problems == []

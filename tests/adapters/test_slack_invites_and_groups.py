"""Slack's stand-ins for roles, end to end: a starting role is an invitation to the role's
channel (`conversations.invite`), and moderators may be a user group (`usergroups.list`,
`usergroups.users.list`). The real slack-bolt app against the emulator."""

from __future__ import annotations

import logging

import pytest

from tests.adapters.slack_support import SlackRun, bot_posts, ephemerals_to
from tests.emulators.slack import SlackEmulator

GREETING = "👋 Benvenuto/a <@{}> in Ponte! Ora siamo in {}."


def invites(emu: SlackEmulator) -> list[tuple[str, str, str]]:
    """(channel, users, error or "") of every `conversations.invite`, oldest first."""
    return [
        (str(c.params["channel"]), str(c.params["users"]), str(c.response.get("error", "")))
        for c in emu.calls_to("conversations.invite")
    ]


def inviter_of(emu: SlackEmulator, user_id: str, channel: str) -> str | None:
    """Who Slack told the app invited `user_id` into `channel`."""
    conv_id = emu.channel_id(channel)
    for delivery in emu.event_deliveries("member_joined_channel"):
        event = delivery.payload["event"]
        if (event["user"], event["channel"]) == (user_id, conv_id):
            return event.get("inviter")
    return None


@pytest.mark.parametrize("private", [False, True], ids=["public", "private"])
async def test_a_new_member_is_invited_to_the_starting_roles_channel(
    slack_emu: SlackEmulator, slack: SlackRun, private: bool
) -> None:
    slack_emu.add_channel("iscritti", is_private=private)
    await slack.command("admin", "general", "/welcome set role:Iscritti dm:no")

    eve = await slack_emu.member_join("eve")
    await slack.settle()

    assert eve in slack_emu.channel_members("iscritti")
    assert invites(slack_emu) == [(slack_emu.channel_id("iscritti"), eve, "")]
    assert inviter_of(slack_emu, eve, "iscritti") == slack_emu.bot_user_id
    (greeting,) = bot_posts(slack_emu, "general")
    assert greeting["text"] == GREETING.format(eve, 2)
    assert slack_emu.problems == []


async def test_the_bot_joins_a_public_role_channel_it_is_not_in_to_invite(
    slack_emu: SlackEmulator, socket_slack: SlackRun
) -> None:
    slack_emu.add_channel("ospiti", bot_member=False)
    await socket_slack.command("admin", "general", "/welcome set role:ospiti dm:no")

    eve = await slack_emu.member_join("eve")
    await socket_slack.settle()

    ospiti = slack_emu.channel_id("ospiti")
    assert invites(slack_emu) == [(ospiti, eve, "not_in_channel"), (ospiti, eve, "")]
    assert {slack_emu.bot_user_id, eve} <= set(slack_emu.channel_members("ospiti"))
    assert slack_emu.problems == []


async def test_an_invite_slack_refuses_leaves_a_log_line_and_the_welcome_goes_on(
    slack_emu: SlackEmulator, socket_slack: SlackRun, caplog: pytest.LogCaptureFixture
) -> None:
    segreto = slack_emu.add_channel("segreto", is_private=True)
    await socket_slack.command("admin", "general", "/welcome set role:segreto")
    ada = await slack_emu.member_join("ada")
    await socket_slack.settle()
    assert ada in slack_emu.channel_members("segreto")

    # An admin takes the bot out of the private channel; Ponte still remembers the channel.
    slack_emu.workspace.conversations[segreto].members.remove(slack_emu.bot_user_id)
    with caplog.at_level(logging.WARNING):
        eve = await slack_emu.member_join("eve")
        await socket_slack.settle()

    assert eve not in slack_emu.channel_members("segreto")
    assert invites(slack_emu)[-1] == (segreto, eve, "channel_not_found")
    refused = [
        r for r in caplog.records if r.getMessage() == "member not added to the role's channel"
    ]
    assert [(r.__dict__["member"], r.__dict__["error"]) for r in refused] == [
        (eve, "channel_not_found")
    ]
    assert any(r.getMessage() == "starting role not given" for r in caplog.records)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    # The rest of the welcome reached her: the greeting and the DM with the rules.
    assert bot_posts(slack_emu, "general")[-1]["text"] == GREETING.format(eve, 3)
    assert len(slack_emu.dms_to(eve)) == 1


async def _only_mara_moderates(slack_emu: SlackEmulator, slack_db: str, setting: str) -> None:
    """mara may add a rule and bruno may not, with the moderators named by `setting`."""
    overrides = {"slack_moderator_channel": setting}
    run = SlackRun(slack_emu, "socket", slack_db, overrides=overrides)
    await run.start()
    try:
        await run.command("mara", "general", '/netiquette add kind:word pattern:"cavolfiore"')
        await run.command("bruno", "general", '/netiquette add kind:word pattern:"broccolo"')
    finally:
        await run.stop()

    (added,) = ephemerals_to(slack_emu, "mara")
    assert added.startswith("Regola #") and "aggiunta" in added
    assert ephemerals_to(slack_emu, "bruno") == ["Questa azione è riservata al ruolo moderatore."]
    assert slack_emu.problems == []


@pytest.mark.parametrize("named_by", ["handle", "id"])
async def test_moderators_given_as_a_user_group_may_moderate_and_others_may_not(
    slack_emu: SlackEmulator, slack_db: str, named_by: str
) -> None:
    mara = slack_emu.add_user("mara")
    slack_emu.add_user("bruno")
    group = slack_emu.add_usergroup("moderatori", [mara], "Moderatori")
    setting = "@moderatori" if named_by == "handle" else group
    await _only_mara_moderates(slack_emu, slack_db, setting)

    looked_up = {c.method for c in slack_emu.calls if c.method.startswith("usergroups.")}
    assert looked_up == (
        {"usergroups.list", "usergroups.users.list"}
        if named_by == "handle"
        else {"usergroups.users.list"}
    )


async def test_a_user_group_named_in_the_setting_wins_over_a_channel_of_that_name(
    slack_emu: SlackEmulator, slack_db: str
) -> None:
    mara = slack_emu.add_user("mara")
    bruno = slack_emu.add_user("bruno")
    slack_emu.add_usergroup("moderatori", [mara], "Moderatori")
    slack_emu.add_channel("moderatori", members=[bruno])  # the general chat of the mods' fans
    await _only_mara_moderates(slack_emu, slack_db, "@moderatori")

"""`python -m bot slack-manifest`: the Slack app manifest, generated from the cogs' commands.

Paste it at https://api.slack.com/apps → Create New App → From a manifest. Socket Mode
unless the settings say HTTP mode (no SLACK_APP_TOKEN, a SLACK_SIGNING_SECRET): then the
request URLs point at `https://ponte.example.org/slack/events`, to be replaced by the
address Slack can reach.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import yaml

from bot.adapters.slack.actions import shortcuts
from bot.adapters.slack.config import given
from bot.app import App
from bot.config import Settings
from bot.core.commands import Command, MessageAction
from bot.core.i18n import Translator
from bot.core.loader import load_cogs

APP_NAME = "Ponte"
PLACEHOLDER_URL = "https://ponte.example.org/slack/events"
MAX_DESCRIPTION = 2000
MAX_USAGE = 1000
BOT_SCOPES = (
    "channels:history",  # message.channels events
    "channels:join",  # post in a public channel the bot was not invited to
    "channels:manage",  # invite a member to a public channel: the starting "role"
    "channels:read",  # channels, #general, memberships of the moderators' channel
    "chat:write",  # post, edit, ephemeral answers
    "chat:write.customize",  # repost a held message under its author's name and picture
    "commands",  # slash commands and message shortcuts
    "files:read",  # a file named in a command (a quiz bank)
    "files:write",  # charts next to cards, files sent with a message (a CSV export)
    "groups:history",  # message.groups events
    "groups:read",  # private channels the bot is in (#staff, #reviews)
    "groups:write",  # invite a member to a private channel
    "im:history",  # message.im events
    "im:read",  # a DM's details, for commands typed there
    "im:write",  # DMs (conversations.open)
    "usergroups:read",  # moderators or staff given as a user group
    "users:read",  # names, admins, member count, team_join and user_change events
)
# Asked of the admin who installs the app: their User OAuth Token (SLACK_USER_TOKEN, optional)
# lets Ponte delete a held message, which a bot token may not.
USER_SCOPES = ("chat:write",)
BOT_EVENTS = (
    "member_joined_channel",
    "member_left_channel",
    "message.channels",
    "message.groups",
    "message.im",
    "team_join",
    "user_change",
)


def _usage(command: Command, translator: Translator, language: str) -> str:
    """Slack's usage hint: what follows the command, each subcommand's form joined by |."""
    hints: list[str] = []
    for path, leaf in command.leaves():
        if leaf.usage:
            line = translator.template(language, leaf.usage).strip()
            hint = line.removeprefix(f"/{command.name}").strip()
        else:
            options = (
                f"<{option.name}>" if option.required else f"[{option.name}]"
                for option in leaf.options
            )
            hint = " ".join((*path[1:], *options))
        if hint and hint not in hints:
            hints.append(hint)
    return " | ".join(hints)[:MAX_USAGE]


def build_manifest(
    settings: Settings,
    commands: Sequence[Command],
    translator: Translator,
    actions: Sequence[MessageAction] = (),
) -> dict[str, Any]:
    language = settings.default_language
    http_mode = not given(settings.slack_app_token) and bool(given(settings.slack_signing_secret))
    slash_commands: list[dict[str, Any]] = []
    for command in sorted(commands, key=lambda item: item.name):
        entry: dict[str, Any] = {
            "command": f"/{command.name}",
            "description": translator.gettext(language, command.description)[:MAX_DESCRIPTION],
        }
        usage = _usage(command, translator, language)
        if usage:
            entry["usage_hint"] = usage
        # Mentions arrive as <@U123|name> and <#C123|name>: ids, not guesses by name.
        entry["should_escape"] = True
        if http_mode:
            entry["url"] = PLACEHOLDER_URL
        slash_commands.append(entry)
    subscriptions: dict[str, Any] = {"bot_events": list(BOT_EVENTS)}
    interactivity: dict[str, Any] = {"is_enabled": True}
    if http_mode:
        subscriptions["request_url"] = PLACEHOLDER_URL
        interactivity["request_url"] = PLACEHOLDER_URL
    features: dict[str, Any] = {
        "bot_user": {"display_name": APP_NAME, "always_online": True},
        "slash_commands": slash_commands,
    }
    if actions:
        features["shortcuts"] = shortcuts(actions, translator, language)
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {"name": APP_NAME, "background_color": "#2e86de"},
        "features": features,
        "oauth_config": {"scopes": {"bot": list(BOT_SCOPES), "user": list(USER_SCOPES)}},
        "settings": {
            "event_subscriptions": subscriptions,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": not http_mode,
            "token_rotation_enabled": False,
        },
    }


def print_slack_manifest(settings: Settings) -> int:
    """Write the manifest as YAML to standard output; 0 when done."""
    app = App(settings, migrate=False)
    try:
        report = load_cogs(app.services, settings.disabled)
        commands = [command for cog in report.loaded for command in cog.commands()]
        actions = [action for cog in report.loaded for action in cog.message_actions()]
        manifest = build_manifest(settings, commands, app.translator, actions)
    finally:
        app.db.engine.sync_engine.dispose()
    sys.stdout.write(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False, width=100))
    return 0

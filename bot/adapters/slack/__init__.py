"""Slack, through slack-bolt's async app: Socket Mode or the HTTP Events API."""

from __future__ import annotations

from bot.adapters.slack.config import SlackConfigurationError, check_settings
from bot.adapters.slack.platform import SlackPlatform
from bot.config import Settings
from bot.core.platform import Platform
from bot.core.services import Services


def create_slack_platform(settings: Settings, services: Services) -> Platform:
    """The Slack adapter; stops Ponte (exit status 2) when its settings cannot work."""
    check_settings(settings)
    return SlackPlatform(settings, services)


__all__ = ["SlackConfigurationError", "SlackPlatform", "check_settings", "create_slack_platform"]

"""Slack settings that cannot work stop Ponte at start, with exit status 2 and a message
that names the setting, like every other bad setting."""

from __future__ import annotations

import sys
from typing import NoReturn

from pydantic import SecretStr

from bot.config import Settings

EXIT_CONFIG = 2


class SlackConfigurationError(SystemExit):
    def __init__(self, message: str) -> None:
        super().__init__(EXIT_CONFIG)
        self.message = message

    def __str__(self) -> str:
        return self.message


def given(secret: SecretStr | None) -> str:
    """A secret's value, "" when unset or blank (an empty line in .env)."""
    return secret.get_secret_value().strip() if secret is not None else ""


def refuse(message: str) -> NoReturn:
    sys.stderr.write(f"ponte: bad configuration: {message}\n")
    raise SlackConfigurationError(message)


def check_settings(settings: Settings) -> None:
    if not given(settings.slack_bot_token):
        refuse("SLACK_BOT_TOKEN is empty")
    if not given(settings.slack_app_token) and not given(settings.slack_signing_secret):
        refuse(
            "SLACK_SIGNING_SECRET is required for the HTTP mode (SLACK_APP_TOKEN is empty): "
            "copy it from the app's Basic Information page, or set SLACK_APP_TOKEN "
            "(an app-level token with connections:write) to use Socket Mode"
        )

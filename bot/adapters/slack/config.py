"""Slack settings that cannot work stop Ponte at start, with exit status 2 and a message
that names the setting, like every other bad setting."""

from __future__ import annotations

from typing import NoReturn

from pydantic import SecretStr
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.outgoing import error_code
from bot.config import Settings
from bot.core.errors import StartupError

EXIT_CONFIG = 2
REFUSED_TOKEN = frozenset(
    {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}
)


class SlackConfigurationError(StartupError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = EXIT_CONFIG


def given(secret: SecretStr | None) -> str:
    """A secret's value, "" when unset or blank (an empty line in .env)."""
    return secret.get_secret_value().strip() if secret is not None else ""


def refuse(message: str) -> NoReturn:
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


async def check_token(client: AsyncWebClient, setting: str) -> None:
    """Stop Ponte, naming `setting`, when Slack refuses the token."""
    try:
        await client.auth_test()
    except SlackApiError as error:
        if error_code(error) in REFUSED_TOKEN:
            refuse(f"Slack refused {setting} ({error_code(error)})")
        raise

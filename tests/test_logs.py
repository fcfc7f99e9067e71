"""The log redaction: configured secrets are cut from every record, whatever its shape or
the handler that writes it, and nothing else is."""

from __future__ import annotations

import json
import logging

import pytest
from pydantic import SecretStr

from bot.config import Settings
from bot.logs import JsonFormatter, protect, protect_settings


def test_configured_values_are_cut_from_message_arguments_and_extras(
    caplog: pytest.LogCaptureFixture,
) -> None:
    protect(["hunter2-but-longer"])
    caplog.set_level(logging.INFO)
    log = logging.getLogger("some.library")
    log.info("logged in with %s", "hunter2-but-longer", extra={"key": "hunter2-but-longer"})
    assert caplog.records[-1].getMessage() == "logged in with [redacted]"
    assert "hunter2-but-longer" not in caplog.text
    line = json.loads(JsonFormatter().format(caplog.records[-1]))
    assert line["key"] == "[redacted]"


def test_short_values_are_not_secrets_and_ordinary_lines_are_untouched(
    caplog: pytest.LogCaptureFixture,
) -> None:
    protect(["it"])
    caplog.set_level(logging.INFO)
    logging.getLogger("bot").info("it is %d o'clock", 5)
    record = caplog.records[-1]
    assert record.getMessage() == "it is 5 o'clock" and record.args == (5,)


def test_settings_protect_every_secret_and_the_database_password(
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url="postgresql://ponte:db-password-42@db.example.org/ponte",
        slack_signing_secret=SecretStr("a-signing-secret-value"),
    )
    protect_settings(settings)
    caplog.set_level(logging.ERROR)
    try:
        raise ConnectionError("password db-password-42 refused for a-signing-secret-value")
    except ConnectionError:
        logging.getLogger("asyncpg").exception("no database")
    assert "db-password-42" not in caplog.text
    assert "a-signing-secret-value" not in caplog.text
    assert "[redacted] refused for [redacted]" in caplog.text


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("POST /api/v10/interactions/123/aW50ZXJhY3Rpb246MTIz%3Ah4LQpa3zQivXiq6P/callback", "h4LQ"),
        ("POST /api/v10/webhooks/987/Zm9vYmFyYmF6cXV4cXV1eHF1dXg/messages", "Zm9vYmFy"),
        ("Event: {'t': 'INTERACTION_CREATE', 'd': {'token': 'aW50:secret-part'}}", "secret-part"),
    ],
)
def test_interaction_and_webhook_tokens_are_cut_from_urls_and_payloads(
    caplog: pytest.LogCaptureFixture, line: str, secret: str
) -> None:
    protect([])
    caplog.set_level(logging.DEBUG)
    logging.getLogger("discord.http").debug("%s", line)
    assert secret not in caplog.text and "[redacted]" in caplog.text

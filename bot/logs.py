"""Logging with levels and structure; tokens never reach a log line."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, SecretStr

_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}
# Discord bot tokens, Slack tokens and signing secrets share these shapes.
_SECRET = re.compile(r"(xox[abpr]-[\w-]+|xapp-[\w-]+|[MN][\w-]{23,}\.[\w-]{6}\.[\w-]{27,})")
# An interaction's or a webhook's token in a Discord URL: whoever reads it may answer as
# the bot (for 15 minutes), or post through the webhook (until it is deleted).
_URL_TOKEN = re.compile(r"(/(?:interactions|webhooks)/\d+/)[\w.%:-]{20,}")
# A token field in a logged payload (discord.py's gateway events at DEBUG carry each
# interaction's).
_TOKEN_FIELD = re.compile(
    r"""(['"](?:token|access_token|bot_token|app_token|client_secret|signing_secret)['"]"""
    r"""\s*:\s*['"])[^'"]+"""
)


# The exact values of the configured secrets (newest last): whatever their shape, they are
# cut from every record. Bounded, since tests start many apps in one process.
_configured: dict[str, None] = {}
MAX_CONFIGURED = 64
# Shorter values would cut ordinary words out of log lines.
MIN_SECRET = 8


def _redact(text: str) -> str:
    text = _SECRET.sub("[redacted]", text)
    text = _URL_TOKEN.sub(r"\1[redacted]", text)
    text = _TOKEN_FIELD.sub(r"\1[redacted]", text)
    for value in _configured:
        if value in text:
            text = text.replace(value, "[redacted]")
    return text


def protect(secrets: Iterable[str]) -> None:
    """Cut these values from every log record from now on, whichever handler writes it
    (ours, a library's, a test's): the record is cleaned where it is made."""
    for value in secrets:
        if len(value) >= MIN_SECRET:
            _configured.pop(value, None)
            _configured[value] = None
    while len(_configured) > MAX_CONFIGURED:
        del _configured[next(iter(_configured))]
    if logging.getLogRecordFactory() is not _clean_record:
        global _make_record
        _make_record = logging.getLogRecordFactory()
        logging.setLogRecordFactory(_clean_record)


def protect_settings(settings: BaseModel) -> None:
    """Every secret setting (tokens, signing secrets) and the database's password."""
    values = [
        value.get_secret_value()
        for value in vars(settings).values()
        if isinstance(value, SecretStr)
    ]
    database_url = getattr(settings, "database_url", "")
    if isinstance(database_url, str):
        try:
            password = urlsplit(database_url).password
        except ValueError:
            password = None
        if password:
            values.append(password)
    protect(values)


_make_record = logging.getLogRecordFactory()


def _clean_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _make_record(*args, **kwargs)
    try:
        message = record.getMessage()
    except Exception:
        return record  # a malformed call: logging reports it when the record is formatted
    clean = _redact(message)
    if clean != message:
        record.msg, record.args = clean, ()
    if record.exc_info and record.exc_info[0] is not None:
        trace = logging.Formatter().formatException(record.exc_info)
        clean = _redact(trace)
        if clean != trace:
            # Formatters print `exc_text` when it is set instead of formatting the exception.
            record.exc_text = clean
    return record


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": _redact(record.getMessage()),
        }
        data.update(
            {
                key: _redact(value) if isinstance(value, str) else value
                for key, value in record.__dict__.items()
                if key not in _STANDARD
            }
        )
        if record.exc_info:
            data["exception"] = _redact(self.formatException(record.exc_info))
        return json.dumps(data, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        extra = " ".join(
            f"{key}={value}" for key, value in record.__dict__.items() if key not in _STANDARD
        )
        base = super().format(record)
        return _redact(f"{base} {extra}" if extra else base)


def configure_logging(level: str = "INFO", fmt: str = "text") -> None:
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(TextFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in (
        "discord.gateway",
        "apscheduler",
        "aiosqlite",
        "slack_bolt",
        "slack_sdk",
        "alembic",
    ):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))

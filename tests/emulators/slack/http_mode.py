"""HTTP mode: signed POSTs to the app's request URL.

* Events API: JSON body, ``Content-Type: application/json``.
* Slash commands: form-encoded fields.
* Interactivity: form-encoded, one ``payload`` field holding JSON.

Each request carries ``X-Slack-Request-Timestamp`` and
``X-Slack-Signature: v0=hex(HMAC-SHA256(secret, "v0:{ts}:{body}"))``; retries add
``X-Slack-Retry-Num`` and ``X-Slack-Retry-Reason``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

import aiohttp

USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"


def signature(secret: str, body: bytes, timestamp: int | str) -> str:
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    ts = int(time.time()) if timestamp is None else int(timestamp)
    return {
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": signature(secret, body, ts),
    }


def encode_body(kind: str, payload: dict[str, Any]) -> tuple[bytes, str]:
    """The body and content type Slack uses for each kind of delivery."""
    if kind == "events_api":
        return json.dumps(payload).encode(), "application/json"
    if kind == "slash_commands":
        return urlencode({k: str(v) for k, v in payload.items()}).encode(), (
            "application/x-www-form-urlencoded"
        )
    if kind == "interactive":
        return urlencode({"payload": json.dumps(payload)}).encode(), (
            "application/x-www-form-urlencoded"
        )
    raise ValueError(f"unknown delivery kind {kind!r}")


def join_url(target: str, path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    parts = urlsplit(target)
    return f"{parts.scheme}://{parts.netloc}/{path.lstrip('/')}"


async def post(
    session: aiohttp.ClientSession, url: str, body: bytes, headers: dict[str, str], limit: float
) -> tuple[int, str, dict[str, str]]:
    async with session.post(
        url, data=body, headers=headers, timeout=aiohttp.ClientTimeout(total=limit)
    ) as resp:
        text = await resp.text()
        return resp.status, text, {k: v for k, v in resp.headers.items()}

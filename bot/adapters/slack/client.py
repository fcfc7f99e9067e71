"""The Web API client, and which of its calls wait out a rate limit."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlparse

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

RATE_LIMIT_RETRIES = 3
# A trigger_id lives 3 seconds: after sleeping out a Retry-After it has always expired.
TRIGGERED = frozenset({"views.open", "views.push"})
DEFAULT_RETRY_AFTER = 1


class RateLimitRetry(AsyncRateLimitErrorRetryHandler):
    """Retries a 429 after its Retry-After, except a modal's opening: that one fails at once."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if urlparse(request.url).path.rsplit("/", 1)[-1] in TRIGGERED:
            return False
        return await super()._can_retry_async(
            state=state, request=request, response=response, error=error
        )


def make_client(token: str, base_url: str, session: aiohttp.ClientSession) -> AsyncWebClient:
    """The Web API client: retries connection errors and 429 answers (after Retry-After)."""
    return AsyncWebClient(
        token=token,
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        session=session,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(),
            RateLimitRetry(max_retry_count=RATE_LIMIT_RETRIES),
        ],
    )


def retry_after(error: SlackApiError) -> int:
    """The seconds a rate-limited answer asks to wait (its `Retry-After`)."""
    headers = getattr(error.response, "headers", None)
    if isinstance(headers, Mapping):
        for key, value in headers.items():
            if str(key).lower() == "retry-after":
                raw = value[0] if isinstance(value, list) and value else value
                try:
                    return max(int(str(raw)), 1)
                except ValueError:
                    break
    return DEFAULT_RETRY_AFTER

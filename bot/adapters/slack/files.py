"""A file a member names in a typed command (`file:F0123ABCD`, or the file's link).

Slash commands carry text only, so a quiz bank is shared in Slack first and then named by
its id or permalink: `files.info` says its size and its private URL, and the download
carries the bot token (scope `files:read`). Without the scope Slack answers the download
with its sign-in page, as HTML and status 200: that is refused, never taken for the file.
"""

from __future__ import annotations

import logging
import re

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.outgoing import error_code
from bot.core.errors import ArgumentError
from bot.core.model import MAX_ATTACHMENT_BYTES, Attachment

log = logging.getLogger(__name__)
FILE_ID = re.compile(r"(?<![A-Z0-9])F[A-Z0-9]{6,}(?![A-Z0-9])")
DOWNLOAD_TIMEOUT = 30.0
CHUNK = 64 * 1024


def file_id(reference: str) -> str | None:
    """`F0123ABCD`, or the id inside a file's permalink; None for anything else."""
    found = FILE_ID.search(reference.strip())
    return found.group(0) if found else None


def too_large() -> ArgumentError:
    return ArgumentError("errors.file_too_large", option="file", limit=MAX_ATTACHMENT_BYTES // 1024)


class Files:
    def __init__(self, client: AsyncWebClient, session: aiohttp.ClientSession, token: str) -> None:
        self.client = client
        self.session = session
        self.token = token

    async def fetch(self, reference: str) -> Attachment | None:
        """The file's bytes; None when Slack knows no such file or will not hand it over.
        Raises ArgumentError above MAX_ATTACHMENT_BYTES, by the declared size first."""
        wanted = file_id(reference)
        if wanted is None:
            return None
        try:
            answer = await self.client.files_info(file=wanted)
        except SlackApiError as error:
            log.info("files.info failed", extra={"file": wanted, "error": error_code(error)})
            return None
        info = answer.get("file") or {}
        if int(info.get("size") or 0) > MAX_ATTACHMENT_BYTES:
            raise too_large()
        url = info.get("url_private_download") or info.get("url_private")
        if not url:
            return None
        mimetype = str(info.get("mimetype") or "application/octet-stream")
        data = await self._download(str(url), mimetype)
        if data is None:
            return None
        return Attachment(str(info.get("name") or wanted), data, mimetype)

    async def _download(self, url: str, mimetype: str) -> bytes | None:
        headers = {"Authorization": f"Bearer {self.token}"}
        timeout = aiohttp.ClientTimeout(total=DOWNLOAD_TIMEOUT)
        try:
            async with self.session.get(url, headers=headers, timeout=timeout) as response:
                if response.status != 200:
                    log.warning("file download refused", extra={"status": response.status})
                    return None
                if response.content_type == "text/html" and mimetype != "text/html":
                    log.warning("Slack sent its sign-in page: add the files:read scope")
                    return None
                data = bytearray()
                async for chunk in response.content.iter_chunked(CHUNK):
                    data.extend(chunk)
                    if len(data) > MAX_ATTACHMENT_BYTES:
                        raise too_large()
                return bytes(data)
        except (aiohttp.ClientError, TimeoutError) as error:
            log.warning("file download failed", extra={"error": str(error)})
            return None

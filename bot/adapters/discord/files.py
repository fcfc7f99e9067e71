"""Attachment options: the files a member attaches to a command (a quiz bank).

An attachment option arrives as an id; the interaction's `resolved.attachments` says its
name, declared size and CDN URL. The size is checked before anything is downloaded, so a
member who attaches a 500 MB file gets the usual "too large" answer at once.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import discord

from bot.core.errors import ArgumentError
from bot.core.model import MAX_ATTACHMENT_BYTES, Attachment

log = logging.getLogger(__name__)
JSON = dict[str, Any]
REFERENCE = "discord-attachment:"  # how an attachment option travels to `fetch_file`
_KEPT = 256  # attachments announced and not yet fetched (an interaction that failed)


def too_large(option: str) -> ArgumentError:
    return ArgumentError("errors.file_too_large", option=option, limit=MAX_ATTACHMENT_BYTES // 1024)


class PendingAttachments:
    """Attachments named by interactions, until the core asks for their bytes.

    The router records what `resolved.attachments` said and hands the core a reference;
    the core's argument check calls the platform's `fetch_file` with it, inside its own
    error handling: a file too large is answered like any bad argument, in the
    community's language.
    """

    def __init__(self) -> None:
        self._waiting: OrderedDict[str, tuple[str, JSON]] = OrderedDict()

    def announce(self, option: str, attachment_id: str, resolved: Mapping[str, Any]) -> str:
        described = dict((resolved.get("attachments") or {}).get(attachment_id) or {})
        self._waiting[attachment_id] = (option, described)
        while len(self._waiting) > _KEPT:
            self._waiting.popitem(last=False)
        return REFERENCE + attachment_id

    async def fetch(self, http: discord.http.HTTPClient, reference: str) -> Attachment | None:
        if not reference.startswith(REFERENCE):
            return None
        found = self._waiting.pop(reference.removeprefix(REFERENCE), None)
        if found is None:
            return None
        option, described = found
        if int(described.get("size") or 0) > MAX_ATTACHMENT_BYTES:
            raise too_large(option)
        url = described.get("url")
        if not url:
            return None
        try:
            data = await http.get_from_cdn(str(url))
        except discord.HTTPException:
            log.warning("could not download an attachment", exc_info=True)
            return None
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise too_large(option)  # the declared size was wrong
        return Attachment(
            filename=str(described.get("filename") or "file"),
            data=data,
            content_type=str(described.get("content_type") or "application/octet-stream"),
        )

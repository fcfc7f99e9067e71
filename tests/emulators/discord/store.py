"""Messages: create/edit/delete with mentions, replies, attachments, pins and reactions.

Each change is announced with the gateway event Discord sends (never for ephemeral ones).
"""

from __future__ import annotations

import copy
import mimetypes
from typing import Any
from urllib.parse import quote

from .auto_updates import set_pinned, unfurl
from .constants import MessageFlag, MessageType, Permission
from .errors import CANNOT_DM_USER, MISSING_ACCESS, MISSING_PERMISSIONS, ApiError
from .messages import apply_allowed_mentions, parse_mentions
from .models import Channel, StoredFile, UploadedFile, iso_now
from .payloads import Payloads
from .world import Author, MessageMeta

JSON = dict[str, Any]


class MessageStore(Payloads):
    def check_can_send(self, channel: Channel, user_id: str, *, needs: int = 0) -> None:
        """Raise 403 like Discord when the bot may not post in ``channel``."""
        if channel.is_dm:
            recipient = channel.recipient_id or ""
            recipient_user = self.users.get(recipient)
            if recipient in self.closed_dms:
                raise ApiError(403, CANNOT_DM_USER, "Cannot send messages to this user")
            if recipient_user is not None and recipient_user.bot:
                raise ApiError(403, CANNOT_DM_USER, "Cannot send messages to this user")
            if not any(recipient in g.members for g in self.guilds.values()):
                raise ApiError(403, CANNOT_DM_USER, "Cannot send messages to this user")
            return
        guild = self.guild_of(channel)
        if guild is None:
            return
        perms = guild.channel_permissions(user_id, channel)
        if not perms & Permission.VIEW_CHANNEL:
            raise ApiError(403, MISSING_ACCESS, "Missing Access")
        if not perms & Permission.SEND_MESSAGES or (needs and perms & needs != needs):
            raise ApiError(403, MISSING_PERMISSIONS, "Missing Permissions")

    def _mentions(self, channel: Channel, author: Author, body: JSON) -> JSON:
        users, roles, everyone = parse_mentions(body.get("content"))
        users, roles, everyone = apply_allowed_mentions(
            body.get("allowed_mentions"), users, roles, everyone
        )
        guild = self.guild_of(channel)
        if guild is not None:
            roles = [r for r in roles if r in guild.roles]
            if everyone and author.webhook is None:
                perms = guild.channel_permissions(author.user_id, channel)
                everyone = bool(perms & Permission.MENTION_EVERYONE)
        else:
            roles, everyone = [], False
        return {
            "mentions": [self.users[u].payload() for u in users if u in self.users],
            "mention_roles": roles,
            "mention_everyone": everyone,
        }

    def _attachments(
        self,
        channel: Channel,
        body: JSON,
        files: list[UploadedFile],
        previous: list[JSON],
        *,
        ephemeral: bool,
    ) -> list[JSON]:
        by_field = {f.field_name: f for f in files}
        declared = body.get("attachments")
        result: list[JSON] = []
        used: set[str] = set()
        if declared is None:
            result.extend(previous)
            declared = []
        previous_ids = {a["id"]: a for a in previous}
        for entry in declared:
            if not isinstance(entry, dict):
                continue
            entry_id = str(entry.get("id"))
            if entry_id in previous_ids:
                result.append(previous_ids[entry_id])
                continue
            upload = by_field.get(f"files[{entry_id}]")
            if upload is None:
                continue
            used.add(upload.field_name)
            result.append(self.store_file(channel, upload, entry, ephemeral=ephemeral))
        for upload in files:
            if upload.field_name not in used:
                result.append(self.store_file(channel, upload, {}, ephemeral=ephemeral))
        return result

    def store_file(
        self, channel: Channel, upload: UploadedFile, entry: JSON, *, ephemeral: bool
    ) -> JSON:
        attachment_id = self.ids.next()
        filename = str(entry.get("filename") or upload.filename)
        content_type = upload.content_type
        if content_type == "application/octet-stream":
            # Discord sniffs the real type (discord.py always sends octet-stream).
            content_type = mimetypes.guess_type(filename)[0] or content_type
        self.files[attachment_id] = StoredFile(filename, content_type, upload.data)
        url = f"{self.base_url}/attachments/{channel.id}/{attachment_id}/{quote(filename)}"
        data: JSON = {
            "id": attachment_id,
            "filename": filename,
            "size": len(upload.data),
            "url": url,
            "proxy_url": url,
            "content_type": content_type,
        }
        if entry.get("description"):
            data["description"] = entry["description"]
        if entry.get("title"):
            data["title"] = entry["title"]
        if ephemeral:
            data["ephemeral"] = True
        return data

    def create_message(
        self,
        channel: Channel,
        author: Author,
        body: JSON,
        files: list[UploadedFile] | None = None,
        *,
        msg_type: int | None = None,
        extra_flags: int = 0,
        extra: JSON | None = None,
        interaction_id: str | None = None,
        dispatch: bool = True,
    ) -> JSON:
        """Store a new message (already validated) and announce it with MESSAGE_CREATE."""
        files = files or []
        flags = int(body.get("flags") or 0) | extra_flags
        ephemeral = bool(flags & MessageFlag.EPHEMERAL)
        message_id = self.ids.next()
        guild = self.guild_of(channel)
        msg: JSON = {
            "id": message_id,
            "type": int(MessageType.DEFAULT),
            "channel_id": channel.id,
            "author": self.author_payload(author),
            "content": body.get("content") or "",
            "timestamp": iso_now(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts", False)),
            **self._mentions(channel, author, body),
            "mention_channels": [],
            "attachments": self._attachments(channel, body, files, [], ephemeral=ephemeral),
            "embeds": [self._normalize_embed(e) for e in body.get("embeds") or []],
            "pinned": False,
            "flags": flags,
            "components": copy.deepcopy(body.get("components") or []),
        }
        if guild is not None:
            msg["guild_id"] = guild.id
        if author.webhook is not None:
            msg["webhook_id"] = author.webhook.id
            if author.webhook.application_id:
                msg["application_id"] = author.webhook.application_id
        if body.get("nonce") is not None:
            msg["nonce"] = body["nonce"]
        if body.get("sticker_ids"):
            msg["sticker_items"] = []
        if body.get("poll"):
            msg["poll"] = copy.deepcopy(body["poll"])
        reference = body.get("message_reference")
        if isinstance(reference, dict) and reference.get("message_id"):
            self._apply_reply(msg, channel, reference, body.get("allowed_mentions"))
        if msg_type is not None:
            msg["type"] = msg_type
        if extra:
            msg.update(extra)
        self._store(msg, interaction_id)
        if not ephemeral:
            channel.last_message_id = message_id
        if dispatch and not ephemeral:
            self.emit("MESSAGE_CREATE", self.gateway_message(msg), msg.get("guild_id"))
            unfurl(self, msg)
        self.on_change()
        return msg

    def _apply_reply(
        self, msg: JSON, channel: Channel, reference: JSON, allowed: JSON | None
    ) -> None:
        ref_id = str(reference["message_id"])
        referenced = self.message_index.get(ref_id)
        if referenced is None:
            if reference.get("fail_if_not_exists", True):
                raise ApiError.form(
                    {
                        "message_reference": {
                            "_errors": [
                                {
                                    "code": "MESSAGE_REFERENCE_UNKNOWN_MESSAGE",
                                    "message": "Unknown message",
                                }
                            ]
                        }
                    }
                )
            return
        msg["type"] = int(MessageType.REPLY)
        msg["message_reference"] = {
            "type": 0,
            "message_id": ref_id,
            "channel_id": referenced["channel_id"],
            **({"guild_id": referenced["guild_id"]} if referenced.get("guild_id") else {}),
        }
        nested = copy.deepcopy(referenced)
        nested.pop("referenced_message", None)
        nested.pop("guild_id", None)
        msg["referenced_message"] = nested
        replied_user = True if allowed is None else bool(allowed.get("replied_user", False))
        ref_author = referenced["author"]
        if (
            replied_user
            and ref_author["id"] != msg["author"]["id"]
            and "webhook_id" not in referenced
            and all(m["id"] != ref_author["id"] for m in msg["mentions"])
        ):
            msg["mentions"].append(copy.deepcopy(ref_author))

    @staticmethod
    def _normalize_embed(embed: JSON) -> JSON:
        data = copy.deepcopy(embed)
        data.setdefault("type", "rich")
        if "fields" in data:
            for fld in data["fields"]:
                fld.setdefault("inline", False)
        return data

    def _store(self, msg: JSON, interaction_id: str | None) -> None:
        self.messages.bucket(msg["channel_id"]).append(msg)
        self.message_index[msg["id"]] = msg
        self.message_meta[msg["id"]] = MessageMeta(
            channel_id=msg["channel_id"], interaction_id=interaction_id
        )

    def edit_message(
        self,
        msg: JSON,
        body: JSON,
        files: list[UploadedFile] | None = None,
        *,
        dispatch: bool = True,
        mark_edited: bool = True,
    ) -> JSON:
        """Apply a PATCH-style edit in place and announce it with MESSAGE_UPDATE."""
        channel = self.channel(msg["channel_id"])
        ephemeral = bool(msg["flags"] & MessageFlag.EPHEMERAL)
        if "content" in body:
            msg["content"] = body["content"] or ""
            author = Author(user_id=msg["author"]["id"])
            if "webhook_id" in msg:
                author = Author(
                    user_id=msg["author"]["id"], webhook=self.webhooks.get(msg["webhook_id"])
                )
            mentions = self._mentions(
                channel,
                author,
                {"content": msg["content"], "allowed_mentions": body.get("allowed_mentions")},
            )
            msg.update(mentions)
        if "embeds" in body:
            msg["embeds"] = [self._normalize_embed(e) for e in body["embeds"] or []]
        if "components" in body:
            msg["components"] = copy.deepcopy(body["components"] or [])
        if "flags" in body and body["flags"] is not None:
            keep = msg["flags"] & (MessageFlag.EPHEMERAL | MessageFlag.IS_COMPONENTS_V2)
            msg["flags"] = int(body["flags"]) | keep
        if "attachments" in body or files:
            msg["attachments"] = self._attachments(
                channel, body, files or [], msg["attachments"], ephemeral=ephemeral
            )
        if "poll" in body and body["poll"] is not None:
            msg["poll"] = copy.deepcopy(body["poll"])
        if mark_edited:
            msg["edited_timestamp"] = iso_now()
        if dispatch and not ephemeral:
            self.emit("MESSAGE_UPDATE", self.gateway_message(msg), msg.get("guild_id"))
            if "content" in body:
                unfurl(self, msg)  # Discord previews the new text's links in turn
        self.on_change()
        return msg

    def delete_message(self, msg: JSON, *, dispatch: bool = True) -> None:
        bucket = self.messages.bucket(msg["channel_id"])
        if msg in bucket:
            bucket.remove(msg)
        self.message_index.pop(msg["id"], None)
        self.deleted_messages.append(msg)
        if dispatch and not msg["flags"] & MessageFlag.EPHEMERAL:
            payload: JSON = {"id": msg["id"], "channel_id": msg["channel_id"]}
            if msg.get("guild_id"):
                payload["guild_id"] = msg["guild_id"]
            self.emit("MESSAGE_DELETE", payload, msg.get("guild_id"))
        self.on_change()

    def set_pinned(self, msg: JSON, pinned: bool) -> None:
        set_pinned(self, msg, pinned)

    # ------------------------------------------------------------------ reactions

    @staticmethod
    def parse_emoji(text: str) -> JSON:
        """``"👍"`` or ``"name:id"`` (URL form) or ``"<:name:id>"`` -> partial emoji."""
        text = text.strip()
        if text.startswith("<") and text.endswith(">"):
            text = text[1:-1].lstrip("a").lstrip(":")
        if ":" in text:
            name, _, emoji_id = text.partition(":")
            return {"id": emoji_id or None, "name": name}
        return {"id": None, "name": text}

    @staticmethod
    def emoji_key(emoji: JSON) -> str:
        return f"{emoji['name']}:{emoji['id']}" if emoji.get("id") else str(emoji["name"])

    def add_reaction(self, msg: JSON, user_id: str, emoji: JSON) -> bool:
        meta = self.message_meta[msg["id"]]
        key = self.emoji_key(emoji)
        users = meta.reactions.setdefault(key, [])
        if user_id in users:
            return False
        users.append(user_id)
        meta.reaction_emoji[key] = emoji
        self._refresh_reactions(msg, meta)
        payload: JSON = {
            "user_id": user_id,
            "channel_id": msg["channel_id"],
            "message_id": msg["id"],
            "emoji": dict(emoji),
            "message_author_id": msg["author"]["id"],
            "burst": False,
            "burst_colors": [],
            "type": 0,
        }
        guild = self.guilds.get(msg.get("guild_id") or "")
        if guild is not None:
            payload["guild_id"] = guild.id
            member = guild.members.get(user_id)
            if member is not None:
                payload["member"] = self.member_payload(guild, member)
        self.emit("MESSAGE_REACTION_ADD", payload, msg.get("guild_id"))
        self.on_change()
        return True

    def remove_reaction(self, msg: JSON, user_id: str, emoji: JSON) -> bool:
        meta = self.message_meta[msg["id"]]
        key = self.emoji_key(emoji)
        users = meta.reactions.get(key, [])
        if user_id not in users:
            return False
        users.remove(user_id)
        if not users:
            meta.reactions.pop(key, None)
        self._refresh_reactions(msg, meta)
        payload: JSON = {
            "user_id": user_id,
            "channel_id": msg["channel_id"],
            "message_id": msg["id"],
            "emoji": dict(emoji),
            "burst": False,
            "type": 0,
        }
        if msg.get("guild_id"):
            payload["guild_id"] = msg["guild_id"]
        self.emit("MESSAGE_REACTION_REMOVE", payload, msg.get("guild_id"))
        self.on_change()
        return True

    def _refresh_reactions(self, msg: JSON, meta: MessageMeta) -> None:
        reactions = [
            {
                "count": len(users),
                "count_details": {"burst": 0, "normal": len(users)},
                "me": self.bot_user_id in users,
                "me_burst": False,
                "emoji": dict(meta.reaction_emoji[key]),
                "burst_colors": [],
            }
            for key, users in meta.reactions.items()
        ]
        if reactions:
            msg["reactions"] = reactions
        else:
            msg.pop("reactions", None)

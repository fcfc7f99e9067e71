"""Answering interactions: the callback endpoint, ``@original`` and follow-up messages.

Shapes and rules follow Discord's "Receiving and Responding" documentation.
"""

from __future__ import annotations

import copy
import time
from typing import Any

from .constants import CallbackType, InteractionType, MessageFlag, MessageType
from .errors import (
    INTERACTION_ALREADY_ACKNOWLEDGED,
    UNKNOWN_INTERACTION,
    UNKNOWN_MESSAGE,
    UNKNOWN_WEBHOOK,
    ApiError,
)
from .interactions import InteractionFactory, InteractionRecord
from .messages import validate_message_body
from .modals import validate_modal
from .models import UploadedFile
from .state import Author

JSON = dict[str, Any]

ALLOWED_CALLBACKS: dict[int, set[int]] = {
    InteractionType.PING: {CallbackType.PONG},
    InteractionType.APPLICATION_COMMAND: {
        CallbackType.CHANNEL_MESSAGE_WITH_SOURCE,
        CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
        CallbackType.MODAL,
        CallbackType.LAUNCH_ACTIVITY,
    },
    InteractionType.MESSAGE_COMPONENT: {
        CallbackType.CHANNEL_MESSAGE_WITH_SOURCE,
        CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
        CallbackType.DEFERRED_UPDATE_MESSAGE,
        CallbackType.UPDATE_MESSAGE,
        CallbackType.MODAL,
    },
    InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE: {
        CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
    },
    InteractionType.MODAL_SUBMIT: {
        CallbackType.CHANNEL_MESSAGE_WITH_SOURCE,
        CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
        CallbackType.DEFERRED_UPDATE_MESSAGE,
        CallbackType.UPDATE_MESSAGE,
    },
}
TOKEN_LIFETIME = 15 * 60


class Interactions(InteractionFactory):
    """Interaction builders plus the callback / follow-up / ``@original`` semantics."""

    def by_id_and_token(self, interaction_id: str, token: str) -> InteractionRecord:
        record = self.records.get(interaction_id)
        if record is None or record.token != token:
            raise ApiError(404, UNKNOWN_INTERACTION, "Unknown interaction")
        return record

    def by_webhook_token(self, application_id: str, token: str) -> InteractionRecord:
        record = self.by_token.get(token)
        if (
            record is None
            or application_id != self.state.application_id
            or time.monotonic() - record.created_at > TOKEN_LIFETIME
            or record.response_type is None
        ):
            raise ApiError(404, UNKNOWN_WEBHOOK, "Unknown Webhook")
        return record

    def _metadata(self, record: InteractionRecord, *, original: bool = True) -> JSON:
        state = self.state
        meta: JSON = {
            "id": record.id,
            "type": record.type,
            "user": state.user(record.user_id).payload(),
            "authorizing_integration_owners": dict(
                record.payload.get("authorizing_integration_owners", {})
            ),
        }
        if record.type == InteractionType.APPLICATION_COMMAND:
            meta["name"] = record.name
            meta["command_type"] = record.payload["data"].get("type", 1)
            target = record.payload["data"].get("target_id")
            if target and record.payload["data"].get("type") == 2:
                meta["target_user"] = state.user(target).payload()
            elif target:
                meta["target_message_id"] = target
        if record.type == InteractionType.MESSAGE_COMPONENT and record.source_message_id:
            meta["interacted_message_id"] = record.source_message_id
        if not original and record.response_message_id:
            meta["original_response_message_id"] = record.response_message_id
        return meta

    def _response_message_extra(self, record: InteractionRecord, *, original: bool) -> JSON:
        extra: JSON = {
            "webhook_id": self.state.application_id,
            "application_id": self.state.application_id,
            "interaction_metadata": self._metadata(record, original=original),
        }
        if record.type == InteractionType.APPLICATION_COMMAND:
            user = self.state.user(record.user_id)
            legacy: JSON = {
                "id": record.id,
                "type": record.type,
                "name": record.name,
                "user": user.payload(),
            }
            guild = self.state.guilds.get(record.guild_id or "")
            if guild is not None and record.user_id in guild.members:
                legacy["member"] = self.state.member_payload(
                    guild, guild.members[record.user_id], with_user=False
                )
            extra["interaction"] = legacy
        return extra

    def _message_type(self, record: InteractionRecord) -> int:
        if record.type == InteractionType.APPLICATION_COMMAND:
            ctype = record.payload["data"].get("type", 1)
            return int(
                MessageType.CHAT_INPUT_COMMAND if ctype == 1 else MessageType.CONTEXT_MENU_COMMAND
            )
        return int(MessageType.DEFAULT)

    def _bot_author(self) -> Author:
        return Author(user_id=self.state.bot_user_id)

    def handle_callback(
        self,
        record: InteractionRecord,
        body: Any,
        files: list[UploadedFile],
        *,
        with_response: bool,
    ) -> JSON | None:
        """Apply ``POST /interactions/{id}/{token}/callback``; the 200 body or None (204)."""
        if not isinstance(body, dict) or "type" not in body:
            raise ApiError.form(
                {
                    "type": {
                        "_errors": [
                            {"code": "BASE_TYPE_REQUIRED", "message": "This field is required"}
                        ]
                    }
                }
            )
        if record.response_type is not None:
            raise ApiError(
                400, INTERACTION_ALREADY_ACKNOWLEDGED, "Interaction has already been acknowledged."
            )
        if (
            self.callback_deadline is not None
            and time.monotonic() - record.created_at > self.callback_deadline
        ):
            raise ApiError(404, UNKNOWN_INTERACTION, "Unknown interaction")
        ctype = body["type"]
        if ctype not in ALLOWED_CALLBACKS.get(record.type, set()):
            raise ApiError.form(
                {
                    "type": {
                        "_errors": [
                            {
                                "code": "INTERACTION_RESPONSE_TYPE_INVALID",
                                "message": f"Interaction response type {ctype} is not valid "
                                f"for interaction type {record.type}",
                            }
                        ]
                    }
                }
            )
        data = body.get("data") or {}
        state = self.state
        channel = state.channel(record.channel_id)
        message: JSON | None = None
        if ctype == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE:
            validate_message_body(data, creating=True, file_count=len(files), interaction=True)
            message = state.create_message(
                channel,
                self._bot_author(),
                data,
                files,
                msg_type=self._message_type(record),
                extra=self._response_message_extra(record, original=True),
                interaction_id=record.id,
            )
            record.response_message_id = message["id"]
        elif ctype == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE:
            flags = int(data.get("flags") or 0) & int(MessageFlag.EPHEMERAL)
            loading = state.create_message(
                channel,
                self._bot_author(),
                {"content": "", "flags": flags},
                msg_type=self._message_type(record),
                extra_flags=int(MessageFlag.LOADING),
                extra=self._response_message_extra(record, original=True),
                interaction_id=record.id,
            )
            record.response_message_id = loading["id"]
            record.loading = True
        elif ctype == CallbackType.UPDATE_MESSAGE:
            source = self._source_message(record)
            validate_message_body(data, creating=False, file_count=len(files), existing=source)
            message = state.edit_message(source, data, files)
        elif ctype == CallbackType.DEFERRED_UPDATE_MESSAGE:
            self._source_message(record)
        elif ctype == CallbackType.MODAL:
            validate_modal(data)
            record.modal = copy.deepcopy(data)
        elif ctype == CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT:
            choices = data.get("choices") or []
            if len(choices) > 25:
                raise ApiError.form(
                    {
                        "data": {
                            "choices": {
                                "_errors": [
                                    {
                                        "code": "BASE_TYPE_MAX_LENGTH",
                                        "message": "Must be 25 or fewer in length.",
                                    }
                                ]
                            }
                        }
                    }
                )
            record.autocomplete_choices = copy.deepcopy(choices)
        record.response_type = int(ctype)
        record.callbacks.append(copy.deepcopy(body))
        record.callback_files = [f.filename for f in files]
        record.answered.set()
        state.on_change()
        if not with_response:
            return None
        interaction: JSON = {"id": record.id, "type": record.type}
        if record.response_message_id and ctype in (
            CallbackType.CHANNEL_MESSAGE_WITH_SOURCE,
            CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
        ):
            created = state.message_index[record.response_message_id]
            interaction["response_message_id"] = record.response_message_id
            interaction["response_message_loading"] = bool(created["flags"] & MessageFlag.LOADING)
            interaction["response_message_ephemeral"] = bool(
                created["flags"] & MessageFlag.EPHEMERAL
            )
        elif ctype == CallbackType.UPDATE_MESSAGE and message is not None:
            interaction["response_message_id"] = message["id"]
            interaction["response_message_loading"] = False
            interaction["response_message_ephemeral"] = bool(
                message["flags"] & MessageFlag.EPHEMERAL
            )
        result: JSON = {"interaction": interaction}
        if message is not None:
            result["resource"] = {"type": int(ctype), "message": state.rest_message(message)}
        return result

    def _source_message(self, record: InteractionRecord) -> JSON:
        if not record.source_message_id or record.source_message_id not in self.state.message_index:
            raise ApiError.form(
                {
                    "type": {
                        "_errors": [
                            {
                                "code": "INTERACTION_RESPONSE_TYPE_INVALID",
                                "message": "This interaction has no message to update",
                            }
                        ]
                    }
                }
            )
        return self.state.message_index[record.source_message_id]

    # -- webhook-side (follow-ups and @original) --------------------------------------

    def original(self, record: InteractionRecord) -> JSON:
        message_id = record.original_message_id
        if message_id is None or message_id not in self.state.message_index:
            raise ApiError(404, UNKNOWN_MESSAGE, "Unknown Message")
        return self.state.message_index[message_id]

    def owned_message(self, record: InteractionRecord, message_id: str) -> JSON:
        if message_id == "@original":
            return self.original(record)
        if message_id != record.original_message_id and message_id not in record.followup_ids:
            raise ApiError(404, UNKNOWN_MESSAGE, "Unknown Message")
        return self.state.message(message_id)

    def edit(
        self, record: InteractionRecord, message_id: str, body: JSON, files: list[UploadedFile]
    ) -> JSON:
        msg = self.owned_message(record, message_id)
        validate_message_body(body, creating=False, file_count=len(files), existing=msg)
        if msg["flags"] & MessageFlag.LOADING:
            return self._fill_loading(record, msg, body, files)
        return self.state.edit_message(msg, body, files)

    def _fill_loading(
        self, record: InteractionRecord, msg: JSON, body: JSON, files: list[UploadedFile]
    ) -> JSON:
        patch = dict(body)
        keep = msg["flags"] & MessageFlag.EPHEMERAL
        patch["flags"] = (int(body.get("flags") or 0) & ~int(MessageFlag.EPHEMERAL)) | keep
        msg["flags"] = keep
        record.loading = False
        return self.state.edit_message(msg, patch, files, mark_edited=False)

    def followup(self, record: InteractionRecord, body: JSON, files: list[UploadedFile]) -> JSON:
        validate_message_body(body, creating=True, file_count=len(files), interaction=True)
        if record.loading and record.response_message_id in self.state.message_index:
            msg = self.state.message_index[record.response_message_id]
            return self._fill_loading(record, msg, body, files)
        channel = self.state.channel(record.channel_id)
        msg = self.state.create_message(
            channel,
            self._bot_author(),
            body,
            files,
            msg_type=int(MessageType.DEFAULT),
            extra=self._response_message_extra(record, original=False),
            interaction_id=record.id,
        )
        record.followup_ids.append(msg["id"])
        return msg

"""Message shortcuts: a member opens a message's ⋯ menu and picks one of the app's entries.

Slack sends a ``message_action`` interactive payload (Socket Mode or HTTP) with the
message, a ``trigger_id`` for a modal and a ``response_url`` for answers.
"""

from __future__ import annotations

import copy
import time
from typing import TYPE_CHECKING, Any

from .records import Delivery

if TYPE_CHECKING:
    from .emulator import SlackEmulator


async def message_shortcut(
    emu: SlackEmulator, user_id: str, message: tuple[str, str], callback_id: str
) -> Delivery:
    """``user_id`` picks the shortcut ``callback_id`` on ``message`` = ``(channel, ts)``."""
    from .emulator import _ResponseTarget

    ws = emu.workspace
    user = emu._user(user_id)
    channel, ts = message
    conv = emu._conv(channel)
    if user.id not in conv.members and conv.is_private:
        raise ValueError(f"{user.name} cannot see {conv.name}")
    stored = ws.find_message(conv.id, ts)
    if stored is None:
        raise ValueError(f"no message {ts} in {conv.name}")
    target = _ResponseTarget(kind="actions", user_id=user.id, channel_id=conv.id)
    visible: dict[str, Any] = {
        k: copy.deepcopy(v) for k, v in stored.items() if k not in ("channel", "source")
    }
    payload: dict[str, Any] = {
        "type": "message_action",
        "token": emu.verification_token,
        "action_ts": f"{time.time():.6f}",
        "team": {"id": ws.team_id, "domain": ws.team_domain},
        "user": {"id": user.id, "username": user.name, "name": user.name, "team_id": ws.team_id},
        "channel": {"id": conv.id, "name": "directmessage" if conv.is_im else conv.name},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": ws.new_trigger(user.id),
        "response_url": emu._new_response_url(target),
        "message_ts": ts,
        "message": visible,
    }
    return await emu.deliver_payload("interactive", payload)

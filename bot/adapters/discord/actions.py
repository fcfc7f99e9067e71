"""Message actions as Discord message commands ("Apps → Report to moderators").

A message command is named by its label in the community's default language, with the
Italian and English labels as `name_localizations`: Discord sends the base name back in
the interaction, which maps to the action's own name.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.adapters.discord.commands import GUILD_ONLY, LOCALES, differing, gate_for
from bot.adapters.discord.render import cut
from bot.core.commands import MessageAction
from bot.core.i18n import Translator

JSON = dict[str, Any]
MESSAGE_COMMAND = 3  # application command type: a message's context menu
MAX_NAME = 32


class ActionPayload:
    """The message commands of a list of actions, and the way back from their names."""

    def __init__(self, translator: Translator, language: str) -> None:
        self.translator = translator
        self.language = language

    def _label(self, language: str, key: str) -> str:
        return cut(" ".join(self.translator.template(language, key).split()), MAX_NAME) or key

    def name(self, action: MessageAction) -> str:
        return self._label(self.language, action.label)

    def build(self, actions: Iterable[MessageAction]) -> list[JSON]:
        payload: list[JSON] = []
        seen: set[str] = set()
        for action in actions:
            name = self.name(action)
            if name.casefold() in seen:
                raise ValueError(f"two message actions are labelled {name!r}")
            seen.add(name.casefold())
            command: JSON = {
                "type": MESSAGE_COMMAND,
                "name": name,
                "name_localizations": differing(
                    name,
                    {
                        locale: self._label(language, action.label)
                        for locale, language in LOCALES.items()
                    },
                ),
                "contexts": GUILD_ONLY,
            }
            permission = gate_for([action.permission])
            if permission is not None:
                command["default_member_permissions"] = str(permission)
            payload.append(command)
        return payload

    def names(self, actions: Iterable[MessageAction]) -> dict[str, str]:
        """Discord's command name → the action's name."""
        return {self.name(action): action.name for action in actions}

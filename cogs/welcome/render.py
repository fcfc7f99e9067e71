"""The welcome's messages: greeting, DM card, settings card."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.core.cards import Card, Field
from cogs.welcome.service import WelcomeConfig
from cogs.welcome.template import render_template

# Catalog texts asked for without parameters come back as written, `{member}` included:
# the defaults are templates like the ones admins write.
Translate = Callable[..., str]
GREEN = 0x27AE60


def greeting(t: Translate, config: WelcomeConfig, values: dict[str, str]) -> str:
    return render_template(config.greeting or t("welcome.default_greeting"), values)


def dm_card(t: Translate, config: WelcomeConfig, values: dict[str, str]) -> Card:
    rules = render_template(config.rules or t("welcome.default_rules"), values)
    steps = render_template(config.first_steps or t("welcome.default_first_steps"), values)
    return Card(
        title=t("welcome.dm_title", community=values["community"]),
        text=t("welcome.dm_intro", name=values["name"]),
        fields=(Field(t("welcome.rules"), rules), Field(t("welcome.first_steps"), steps)),
        footer=t("welcome.dm_footer"),
        color=GREEN,
    )


def settings_card(t: Translate, config: WelcomeConfig, channel: str, **extra: Any) -> Card:
    unset = t("welcome.settings.default")
    return Card(
        title=t("welcome.settings.title"),
        fields=(
            Field(
                t("welcome.settings.enabled"),
                t("common.yes") if config.enabled else t("common.no"),
                True,
            ),
            Field(t("welcome.settings.channel"), channel, True),
            Field(t("welcome.settings.role"), config.role or t("welcome.settings.no_role"), True),
            Field(
                t("welcome.settings.dm"),
                t("common.yes") if config.send_dm else t("common.no"),
                True,
            ),
            Field(t("welcome.settings.language"), t(f"languages.{extra['language']}"), True),
            Field(t("welcome.settings.greeting"), config.greeting or unset),
            Field(t("welcome.settings.rules"), config.rules or unset),
            Field(t("welcome.settings.first_steps"), config.first_steps or unset),
        ),
        footer=t("welcome.settings.help"),
        color=GREEN,
    )

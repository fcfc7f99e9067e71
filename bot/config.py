"""Typed settings, read from the environment and `.env`. Secrets stay `SecretStr`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _names(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


MEMBER_CACHE_LIMIT = 10_000  # DISCORD_MEMBER_CACHE_LIMIT's default


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_prefix=""
    )

    database_url: str = "sqlite+aiosqlite:///ponte.db"
    # One process may bring its own database up to date at start; several processes on one
    # database set it false and run `python -m bot migrate` once before they start.
    auto_migrate: bool = True
    default_language: Literal["it", "en"] = "it"
    timezone: str = "Europe/Rome"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    disabled_cogs: str = ""
    console_community_name: str = "Ponte"
    # Commands, buttons, forms and message actions a member may send at once, then a minute.
    rate_limit_burst: int = Field(default=12, ge=0)
    rate_limit_per_minute: int = Field(default=30, ge=0)
    # Days the text of members' messages is kept (questions, held posts); then only the
    # counts stay. 0 keeps it until a member erases it.
    message_retention_days: int = Field(default=90, ge=0)
    # Seconds between rounds that arm every deadline in the rows, so one made by another
    # process, or left by one that died, is carried out here too. 0 turns the rounds off.
    reschedule_every: float = Field(default=60.0, ge=0)
    # Seconds the message path's counters are summed in memory, and the newest card of each
    # voted poll kept, before one transaction writes them; a crash loses at most this long
    # of counts (the votes themselves are written at once). 0 writes each at once.
    counter_flush_seconds: float = Field(default=1.0, ge=0)
    # Files Ponte derives from what it installs and reads back (the question encoder's token
    # table); empty: $XDG_CACHE_HOME/ponte, else ~/.cache/ponte.
    cache_dir: str = ""

    discord_token: SecretStr | None = None
    discord_api_url: str = "https://discord.com/api/v10"
    discord_gateway_url: str = "wss://gateway.discord.gg/"
    discord_dev_guild: str | None = None
    discord_shards: str = Field(default="", description="empty: one shard; 'auto' or a number")
    # Several processes share a sharded bot: each runs these shards of DISCORD_SHARD_COUNT.
    discord_shard_ids: str = ""
    discord_shard_count: int | None = None
    # A server of at most this many members is kept in memory whole (names resolve at
    # once); a larger one is not (50,000 members: about 45 MiB, and 50 chunks to wait for at
    # every start): its members are fetched from Discord when needed.
    discord_member_cache_limit: int = Field(default=MEMBER_CACHE_LIMIT, ge=0)
    discord_moderator_roles: str = "Moderator,Moderatore"
    discord_staff_roles: str = "Staff"
    # Where review cards and forwarded questions go on Discord unless a cog's setting says.
    discord_moderator_channel: str = "moderatori,moderators,moderation,reviews"
    discord_staff_channel: str = "staff"

    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_host: str = "0.0.0.0"
    slack_port: int = 3000
    slack_moderator_channel: str = "reviews"
    slack_staff_channel: str = "staff"
    slack_admins: str = ""
    # An admin's user token (xoxp-): lets Ponte delete a member's held message on Slack.
    slack_user_token: SecretStr | None = None

    # The web dashboard: served when a port or a public URL is set.
    dashboard_url: str = ""
    dashboard_host: str = "127.0.0.1"
    dashboard_port: int | None = None
    # Signs the session cookies; without it each start signs with a new random key.
    dashboard_secret: SecretStr | None = None
    discord_client_id: str = ""
    discord_client_secret: SecretStr | None = None
    discord_oauth_url: str = "https://discord.com"
    slack_client_id: str = ""
    slack_client_secret: SecretStr | None = None
    slack_oidc_url: str = "https://slack.com"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name like Europe/Rome)"
            ) from None
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            return "postgresql+asyncpg://" + value.split("://", 1)[1]
        if value.startswith("sqlite:///"):
            return "sqlite+aiosqlite:///" + value.removeprefix("sqlite:///")
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("DATABASE_URL must be sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("discord_dev_guild")
    @classmethod
    def _guild_id(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if value and not value.isdigit():
            raise ValueError("DISCORD_DEV_GUILD must be a server id (Copy Server ID), or empty")
        return value or None

    @field_validator("discord_shards")
    @classmethod
    def _shards(cls, value: str) -> str:
        value = value.strip().lower()
        if value and value != "auto" and not (value.isdigit() and int(value) > 0):
            raise ValueError("DISCORD_SHARDS must be empty, 'auto' or a number of shards")
        return value

    @field_validator("discord_shard_ids")
    @classmethod
    def _shard_ids(cls, value: str) -> str:
        parts = _names(value)
        if not all(part.isdigit() for part in parts):
            raise ValueError("DISCORD_SHARD_IDS must be shard numbers, comma-separated (0,1)")
        return ",".join(str(number) for number in sorted({int(part) for part in parts}))

    @field_validator("discord_shard_count", mode="before")
    @classmethod
    def _total_shards(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @model_validator(mode="after")
    def _shards_fit(self) -> Settings:
        count = self.discord_shard_count
        if count is not None and count < 1:
            raise ValueError("DISCORD_SHARD_COUNT must be at least 1")
        if count is not None and self.discord_shards not in ("", str(count)):
            raise ValueError("DISCORD_SHARDS and DISCORD_SHARD_COUNT disagree: set only one")
        ids = self.shard_ids
        if ids and count is None:
            raise ValueError("DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT, the total of shards")
        if ids and count is not None and max(ids) >= count:
            raise ValueError(f"DISCORD_SHARD_IDS must be below DISCORD_SHARD_COUNT ({count})")
        return self

    @field_validator("dashboard_port", mode="before")
    @classmethod
    def _dashboard_port(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("dashboard_port")
    @classmethod
    def _dashboard_port_range(cls, value: int | None) -> int | None:
        if value is not None and not 0 < value < 65536:
            raise ValueError("DASHBOARD_PORT must be between 1 and 65535, or empty")
        return value

    @field_validator("slack_port")
    @classmethod
    def _port(cls, value: int) -> int:
        if not 0 < value < 65536:
            raise ValueError("SLACK_PORT must be between 1 and 65535")
        return value

    @property
    def cache_folder(self) -> Path:
        if self.cache_dir:
            return Path(self.cache_dir).expanduser()
        home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        return Path(home) / "ponte"

    @property
    def disabled(self) -> tuple[str, ...]:
        return _names(self.disabled_cogs)

    @property
    def moderator_roles(self) -> tuple[str, ...]:
        return _names(self.discord_moderator_roles)

    @property
    def staff_roles(self) -> tuple[str, ...]:
        return _names(self.discord_staff_roles)

    @property
    def shard_ids(self) -> tuple[int, ...]:
        return tuple(int(part) for part in _names(self.discord_shard_ids))

    @property
    def slack_admin_ids(self) -> tuple[str, ...]:
        return _names(self.slack_admins)

    @property
    def wants_discord(self) -> bool:
        return self.discord_token is not None and bool(self.discord_token.get_secret_value())

    @property
    def wants_dashboard(self) -> bool:
        return self.dashboard_port is not None or bool(self.dashboard_url)

    @property
    def dashboard_base(self) -> str:
        """The dashboard's public address, without a trailing slash."""
        port = self.dashboard_port or 8080
        return (self.dashboard_url or f"http://{self.dashboard_host}:{port}").rstrip("/")

    @property
    def wants_slack(self) -> bool:
        return self.slack_bot_token is not None and bool(self.slack_bot_token.get_secret_value())

"""One process under load: Ponte, or a bare discord.py client, on an emulator run elsewhere.

`python -m benchmarks.load_bot '<json>'` connects, prints one JSON line when ready, then
answers each line on stdin: `mark` prints its CPU seconds and memory so far, `stop` ends
it. The emulator stays in the driving process so that this process's CPU time and RSS are
its own alone.
"""

from __future__ import annotations

import asyncio
import json
import logging
import resource
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

JSON = dict[str, Any]


@dataclass(frozen=True)
class EmulatorAddress:
    """What a bot needs of a Discord emulator to connect to it: its token and URLs."""

    token: str
    api_url: str
    gateway_url: str


@dataclass(frozen=True)
class WorkspaceAddress:
    """What a bot needs of a Slack emulator to connect to it in Socket Mode."""

    bot_token: str
    app_token: str
    signing_secret: str
    api_url: str


def usage() -> JSON:
    """CPU seconds (user + system) of this process, and its memory now and at its peak."""
    times = resource.getrusage(resource.RUSAGE_SELF)
    lines = Path("/proc/self/status").read_text().splitlines()
    status = dict(line.split(":", 1) for line in lines if ":" in line)
    return {
        "cpu": times.ru_utime + times.ru_stime,
        "rss_mib": int(status["VmRSS"].split()[0]) / 1024,
        "peak_mib": int(status["VmHWM"].split()[0]) / 1024,
    }


async def serve(stop: asyncio.Event) -> None:
    """Answer `mark` and `stop` lines until told to stop."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        line = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
        if line == "mark":
            say(usage())
        elif line in ("stop", ""):
            stop.set()


def say(value: JSON) -> None:
    sys.stdout.write(json.dumps(value) + "\n")
    sys.stdout.flush()


async def run_ponte(values: JSON) -> None:
    """`python -m bot run`'s own path with these settings: only the modules a deployment on
    that platform imports are in this process, so its memory is a deployment's."""
    from bot.config import Settings
    from bot.runtime import run_platforms

    settings = Settings(_env_file=None, **values)  # type: ignore[call-arg]
    stop = asyncio.Event()
    serving: list[asyncio.Task[None]] = []

    def ready() -> None:
        say({"ready": True, **usage()})
        serving.append(asyncio.create_task(serve(stop)))

    await run_platforms(settings, stop, ready)
    await asyncio.gather(*serving)


def discord_settings(address: EmulatorAddress, database_url: str) -> JSON:
    return {
        "database_url": database_url,
        "default_language": "it",
        "discord_token": address.token,
        "discord_api_url": address.api_url,
        "discord_gateway_url": address.gateway_url,
    }


def slack_settings(address: WorkspaceAddress, database_url: str) -> JSON:
    return {
        "database_url": database_url,
        "default_language": "it",
        "slack_bot_token": address.bot_token,
        "slack_app_token": address.app_token,
        "slack_signing_secret": address.signing_secret,
        "slack_api_url": address.api_url,
    }


async def run_bare(address: EmulatorAddress) -> None:
    """discord.py with Ponte's intents and member cache, and no handler of its own."""
    import discord
    import yarl

    from bot.adapters.discord.client import intents, keep_members
    from bot.config import MEMBER_CACHE_LIMIT

    discord.http.Route.BASE = address.api_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(address.gateway_url)
    discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
    client = discord.Client(intents=intents(), chunk_guilds_at_startup=False)
    await client.login(address.token)
    task = asyncio.create_task(client.connect())
    await client.wait_until_ready()
    await keep_members(client, MEMBER_CACHE_LIMIT)
    say({"ready": True, **usage()})
    await serve(asyncio.Event())
    await client.close()
    await task


def main() -> int:
    config = json.loads(sys.argv[1])
    logging.basicConfig(level=logging.WARNING)
    kind = config.pop("kind")
    database_url = config.pop("database_url", "")
    if kind == "ponte-slack":
        asyncio.run(run_ponte(slack_settings(WorkspaceAddress(**config), database_url)))
    elif kind == "ponte":
        asyncio.run(run_ponte(discord_settings(EmulatorAddress(**config), database_url)))
    else:
        asyncio.run(run_bare(EmulatorAddress(**config)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The bot serves its dashboard when a port is set, and stops serving when it stops."""

from __future__ import annotations

import socket
from pathlib import Path

import aiohttp
import pytest

from bot.adapters.console.platform import ConsolePlatform
from bot.app import App
from bot.config import Settings
from bot.core.clock import AdjustableClock


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def test_a_bot_with_a_dashboard_port_serves_it_until_it_stops(tmp_path: Path) -> None:
    port = _free_port()
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'p.db'}",
        dashboard_port=port,
        _env_file=None,  # type: ignore[call-arg]
    )
    clock = AdjustableClock()
    bot = App(settings, clock=clock)
    bot.add_platform(ConsolePlatform(bot.db, clock, bot.translator, lambda _: None, "it"))
    url = f"http://127.0.0.1:{port}/login"
    await bot.start()
    try:
        async with aiohttp.ClientSession() as client, client.get(url) as answer:
            assert answer.status == 200
            assert "Accedi al pannello" in await answer.text()
            assert "HttpOnly" in answer.headers["Set-Cookie"]
    finally:
        await bot.stop()
    with pytest.raises(aiohttp.ClientConnectionError):
        async with aiohttp.ClientSession() as client, client.get(url):
            pass


async def test_secure_cookies_behind_https(tmp_path: Path) -> None:
    from aiohttp.test_utils import TestClient, TestServer

    from bot.web.dashboard import create_web_app

    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'p.db'}",
        dashboard_url="https://ponte.example.org",
        _env_file=None,  # type: ignore[call-arg]
    )
    bot = App(settings, dashboard=False)
    async with TestClient(TestServer(create_web_app(bot))) as client:
        answer = await client.get("/login")
        assert "Secure" in answer.headers["Set-Cookie"]
    await bot.db.dispose()

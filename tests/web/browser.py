"""A real browser on the dashboard: the system's headless Chromium driven by Selenium
through the system's chromedriver (never one downloaded), the dashboard served in-process
on a free port beside the console bot.

Selenium's calls block, so each one runs in a worker thread while the test's event loop
goes on serving the pages the browser asks for.

With PONTE_SCREENSHOTS set to a folder, `Browser.keep(name)` saves the page there as a
small PNG: that is how docs/screenshots/ is made."""

from __future__ import annotations

import asyncio
import io
import os
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any, Literal

from aiohttp.test_utils import TestServer
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from bot.web.dashboard import create_web_app
from tests.harness import TestBot

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
WAIT = 10.0
WIDTH, HEIGHT = 1000, 900
SHOT_HEIGHT = 1200  # a screenshot shows a little more of the page


@contextmanager
def chromium() -> Iterator[webdriver.Chrome]:
    for binary in (CHROMIUM, CHROMEDRIVER):
        assert shutil.which(binary), f"{binary} is missing: install chromium and chromium-driver"
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager, were it ever asked, stays offline
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--lang=it",
        f"--window-size={WIDTH},{HEIGHT}",
    ):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "it"})
    # The driver's path given: Selenium uses it and never looks for (or fetches) another.
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


class Browser:
    """The browser's steps in a member's words, each off the event loop."""

    def __init__(self, driver: webdriver.Chrome, base: str) -> None:
        self.driver = driver
        self.base = base

    async def _run(self, work: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.to_thread(work, *args)

    async def open(self, path: str) -> None:
        await self._run(self.driver.get, self.base + path)

    async def find(self, css: str) -> WebElement:
        def wait() -> WebElement:
            return WebDriverWait(self.driver, WAIT).until(
                lambda driver: driver.find_element(By.CSS_SELECTOR, css)
            )

        found: WebElement = await self._run(wait)
        return found

    async def type(self, css: str, text: str) -> None:
        field = await self.find(css)
        await self._run(field.clear)
        await self._run(field.send_keys, text)

    async def click(self, css: str) -> None:
        """Click what stays on the page (a disclosure, a field)."""
        await self._run((await self.find(css)).click)

    async def press(self, css: str) -> None:
        """Click, and wait for the page the click leads to."""
        button = await self.find(css)
        old = await self._run(self.driver.find_element, By.TAG_NAME, "html")
        await self._run(button.click)

        def gone(driver: webdriver.Chrome) -> bool:
            try:
                old.is_enabled()
            except Exception:  # the old page's element is stale: the new page is there
                return True
            return False

        await self._run(lambda: WebDriverWait(self.driver, WAIT).until(gone))

    async def follow(self, text: str) -> None:
        """Click the link that says `text`, as a member reads it."""
        link = await self._run(self.driver.find_element, By.LINK_TEXT, text)
        await self._run(link.click)
        await self.find("main")

    async def text(self, css: str = "main") -> str:
        found = await self.find(css)
        shown: str = await self._run(lambda: found.text)
        return shown

    async def picture_width(self, css: str) -> int:
        """The drawn width of a picture once it has loaded; 0 if it could not be shown."""
        script = (
            "const i = document.querySelector(arguments[0]);"
            "return i && i.complete ? i.naturalWidth : null;"
        )

        def wait() -> int:
            # Polled as a list, so that a loaded picture of width 0 ends the wait too.
            def loaded(driver: webdriver.Chrome) -> Literal[False] | list[int]:
                width = driver.execute_script(script, css)
                return False if width is None else [int(width)]

            found: list[int] = WebDriverWait(self.driver, WAIT).until(loaded)
            return found[0]

        width: int = await self._run(wait)
        return width

    @property
    def path(self) -> str:
        return str(self.driver.current_url).removeprefix(self.base)

    async def keep(self, name: str) -> None:
        folder = os.environ.get("PONTE_SCREENSHOTS")
        if not folder:
            return
        await self._run(self.driver.set_window_size, WIDTH, SHOT_HEIGHT)
        await self._run(self.driver.execute_script, "window.scrollTo(0, 0)")
        png: bytes = await self._run(self.driver.get_screenshot_as_png)
        await self._run(self.driver.set_window_size, WIDTH, HEIGHT)
        await self._run(_save, Path(folder) / f"{name}.png", png)


def _save(path: Path, png: bytes) -> None:
    """A palette PNG: a page is a few flat colours, so 256 of them lose nothing visible."""
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=256).save(out, format="PNG", optimize=True)
    path.write_bytes(out.getvalue())


@asynccontextmanager
async def on_the_dashboard(bot: TestBot, driver: webdriver.Chrome) -> AsyncIterator[Browser]:
    """The dashboard served on a free port of this machine, with a fresh browser session."""
    assert bot.app is not None
    server = TestServer(create_web_app(bot.app), host="127.0.0.1")
    await server.start_server()
    base = str(server.make_url("")).rstrip("/")
    browser = Browser(driver, base)
    try:
        await browser.open("/login")
        await asyncio.to_thread(driver.delete_all_cookies)
        yield browser
    finally:
        await server.close()

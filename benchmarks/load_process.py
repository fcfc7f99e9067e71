"""A process under load, seen from the driver: started, marked, stopped."""

from __future__ import annotations

import asyncio
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

JSON = dict[str, Any]
READY_TIMEOUT = 180.0  # 50,000 members arrive in 50 chunks before a client is ready
PROBLEM = re.compile(r"^(WARNING|ERROR|CRITICAL):(?!discord\.client:)(.*)$")


@dataclass(frozen=True)
class Usage:
    cpu: float  # seconds of CPU, user + system
    rss_mib: float
    peak_mib: float


class Child:
    """`python -m benchmarks.load_bot` with its configuration; its log goes to a file."""

    def __init__(self, process: asyncio.subprocess.Process, log: Path) -> None:
        self.process = process
        self.log = log

    @classmethod
    async def start(cls, config: JSON, log: Path) -> Child:
        with log.open("wb") as sink:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "benchmarks.load_bot",
                json.dumps(config),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=sink,
            )
        child = cls(process, log)
        await asyncio.wait_for(child._read(), READY_TIMEOUT)
        return child

    async def _read(self) -> Usage:
        assert self.process.stdout is not None
        line = await self.process.stdout.readline()
        if not line:
            raise RuntimeError(
                f"{self.log.name}: the process ended: {self.log.read_text()[-2000:]}"
            )
        value = json.loads(line)
        return Usage(value["cpu"], value["rss_mib"], value["peak_mib"])

    async def mark(self) -> Usage:
        assert self.process.stdin is not None
        self.process.stdin.write(b"mark\n")
        await self.process.stdin.drain()
        return await asyncio.wait_for(self._read(), 30)

    def problems(self) -> list[tuple[str, int]]:
        """The warnings and errors the process logged, the most frequent first."""
        found = Counter(
            match.group(1) + " " + match.group(2)[:120]
            for line in self.log.read_text(errors="replace").splitlines()
            if (match := PROBLEM.match(line))
        )
        return found.most_common()

    async def stop(self) -> None:
        if self.process.returncode is None:
            assert self.process.stdin is not None
            self.process.stdin.write(b"stop\n")
            await self.process.stdin.drain()
            try:
                await asyncio.wait_for(self.process.wait(), 30)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()

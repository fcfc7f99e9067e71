"""A TCP proxy a test controls: it forwards to a server until told to cut, then closes every
open connection and refuses new ones until it is told to let them through again."""

from __future__ import annotations

import asyncio

CHUNK = 65536


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target_host = target_host
        self.target_port = target_port
        self.host = "127.0.0.1"
        self.port = 0
        self._server: asyncio.Server | None = None
        # Both ends of every open link, so that a cut can close them.
        self._links: set[tuple[asyncio.StreamWriter, asyncio.StreamWriter]] = set()
        self._handlers: set[asyncio.Future[None]] = set()
        self.connections = 0  # accepted so far: a test can see the bot reconnect

    @property
    def open_links(self) -> int:
        return len(self._links)

    async def start(self) -> None:
        """Listen: the first time on a free port, after a cut on the same one."""
        self._server = await asyncio.start_server(self._serve, self.host, self.port)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def cut(self) -> None:
        """Drop every open connection at once and stop listening: new ones are refused."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for pair in list(self._links):
            for writer in pair:
                writer.transport.abort()
        if self._handlers:
            await asyncio.wait(list(self._handlers), timeout=5)
        if server is not None:
            await server.wait_closed()

    async def restore(self) -> None:
        await self.start()

    async def stop(self) -> None:
        await self.cut()

    def url_for(self, url: str) -> str:
        """`url` (a database URL on the target) with the proxy's address instead."""
        scheme, rest = url.split("://", 1)
        credentials, _, after = rest.rpartition("@")
        _, _, database = after.partition("/")
        prefix = f"{credentials}@" if credentials else ""
        return f"{scheme}://{prefix}{self.host}:{self.port}/{database}"

    async def _serve(
        self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter
    ) -> None:
        self.connections += 1
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._handlers.add(done)
        try:
            server_in, server_out = await asyncio.open_connection(
                self.target_host, self.target_port
            )
        except OSError:
            client_out.transport.abort()
            self._finish(done)
            return
        pair = (client_out, server_out)
        self._links.add(pair)
        try:
            await asyncio.gather(
                _pipe(client_in, server_out), _pipe(server_in, client_out), return_exceptions=True
            )
        finally:
            self._links.discard(pair)
            for writer in pair:
                writer.transport.abort()
            self._finish(done)

    def _finish(self, done: asyncio.Future[None]) -> None:
        self._handlers.discard(done)
        done.set_result(None)


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    try:
        while data := await source.read(CHUNK):
            sink.write(data)
            await sink.drain()
    finally:
        # One direction ended: end the other, so that the pair closes together.
        sink.transport.abort()

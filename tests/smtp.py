"""Small SMTP servers on a local port, for the tests and the bench: one that accepts messages,
one that refuses every connection with a 554 greeting, one that accepts and never answers."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        server: FakeSMTPServer = self.server  # type: ignore[assignment]
        server.connections += 1
        if server.mode == "hang":
            server.release.wait(60)  # holds the connection open, silent
            return
        if server.mode == "refuse":
            self.wfile.write(b"554 5.3.2 Service indisponible\r\n")
            return
        self._accept(server)

    def _accept(self, server: FakeSMTPServer) -> None:
        self.wfile.write(b"220 fake ESMTP\r\n")
        data: list[bytes] | None = None
        for line in self.rfile:
            if data is not None:
                if line.rstrip(b"\r\n") == b".":
                    server.messages.append(b"".join(data).decode("utf-8", "replace"))
                    data = None
                    self.wfile.write(b"250 OK\r\n")
                else:
                    data.append(line)
                continue
            command = line[:4].upper()
            if command == b"EHLO":
                self.wfile.write(b"250 fake\r\n")
            elif command == b"DATA":
                data = []
                self.wfile.write(b"354 go ahead\r\n")
            elif command == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 OK\r\n")


class FakeSMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, mode: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = mode
        self.connections = 0
        self.messages: list[str] = []
        self.release = threading.Event()

    @property
    def port(self) -> int:
        return self.server_address[1]


@contextmanager
def smtp_server(mode: str) -> Iterator[FakeSMTPServer]:
    """``mode``: "accept", "refuse" or "hang"."""
    server = FakeSMTPServer(mode)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()

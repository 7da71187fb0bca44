"""HTTP for the mock hosts: a threaded standard-library server that hands each request to its
mock as a :class:`Request` and writes back the :class:`Reply` it gets.

Only the standard library speaks HTTP here (:class:`http.server.ThreadingHTTPServer`), so the
mocks exercise a client's real network code: connection reuse, timeouts, dropped connections and
bodies that do not parse. A mock that answers ``None`` hangs up without a byte of answer.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol, cast
from urllib.parse import parse_qs, urlsplit

__all__ = ["MAX_BODY_BYTES", "HTTPServer", "Reply", "Request", "Responder"]

logger = logging.getLogger("lightrig.testing")

#: Largest request body the mocks read, in bytes.
MAX_BODY_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Request:
    """One HTTP request as a mock sees it.

    ``path`` has no query string; ``headers`` has lower-case names; ``base_url`` is the URL the
    client reached the server by (from its ``Host`` header), for links in responses.
    """

    method: str
    path: str
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]
    body: bytes
    base_url: str

    def header(self, name: str) -> str | None:
        """A header's value, ``None`` when absent (names are case-insensitive)."""
        return self.headers.get(name.lower())

    def json(self) -> Any:
        """The body parsed as JSON; raises :class:`ValueError` when it is not JSON."""
        return json.loads(self.body.decode("utf-8"))


@dataclass(frozen=True)
class Reply:
    """An HTTP response to send: status, body bytes, content type and extra headers."""

    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, payload: Any, headers: Mapping[str, str] | None = None) -> Reply:
        """A JSON response."""
        return cls(status, json.dumps(payload).encode("utf-8"), headers=dict(headers or {}))


class Responder(Protocol):
    """What answers the requests: a mock host."""

    @property
    def url(self) -> str:
        """Where the host listens."""
        ...

    def handle(self, request: Request) -> Reply | None:
        """Answer ``request``; ``None`` closes the connection without an answer."""
        ...


class HTTPServer(ThreadingHTTPServer):
    """A threading HTTP server that remembers its mock and its open connections, so that
    stopping also closes kept-alive connections and waits for their threads."""

    daemon_threads = True
    request_queue_size = 128  # the default backlog of 5 drops bursts of connections
    block_on_close = False  # request threads are joined by MockServer.stop, with a deadline

    def __init__(self, address: tuple[str, int], mock: Responder) -> None:
        self.mock = mock
        self.connections: set[socket.socket] = set()
        self.workers: set[threading.Thread] = set()
        self.guard = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.guard:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.guard:
            self.connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-answer (it timed out, say) is expected: no traceback.
        logger.debug("connection from %s ended with an error", client_address, exc_info=True)

    def close_connections(self) -> None:
        """Shut every open connection, waking threads blocked reading from kept-alive ones."""
        with self.guard:
            open_now = list(self.connections)
        for connection in open_now:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _BadBodyError(Exception):
    """A request body that could not be read (its framing, not its content)."""


class _Handler(BaseHTTPRequestHandler):
    """Reads each request, asks the mock for a :class:`Reply` and writes it (or, for ``None``,
    closes the connection without answering)."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stalls
    server_version = "lightrig-mock/1.0"
    sys_version = ""

    @property
    def _httpd(self) -> HTTPServer:
        return cast(HTTPServer, self.server)

    def setup(self) -> None:
        super().setup()
        with self._httpd.guard:
            self._httpd.workers.add(threading.current_thread())

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            logger.debug("connection closed before the answer was flushed", exc_info=True)
        finally:
            with self._httpd.guard:
                self._httpd.workers.discard(threading.current_thread())

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise _BadBodyError("bad chunk size") from None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)
            total += size
            if total > MAX_BODY_BYTES:
                raise _BadBodyError("body too large")
            chunks.append(self.rfile.read(size))
            self.rfile.readline(1024)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            return b""
        try:
            length = int(length_text)
        except ValueError:
            raise _BadBodyError("bad Content-Length") from None
        if length < 0 or length > MAX_BODY_BYTES:
            raise _BadBodyError("bad Content-Length")
        body = self.rfile.read(length)
        if len(body) < length:
            raise _BadBodyError("body shorter than its Content-Length")
        return body

    def _dispatch(self) -> None:
        mock = self._httpd.mock
        try:
            body = self._read_body()
        except _BadBodyError as exc:
            self.close_connection = True
            self._send(Reply.json(400, {"detail": f"unreadable request body: {exc}"}))
            return
        split = urlsplit(self.path)
        host = self.headers.get("Host")
        request = Request(
            method=self.command,
            path=split.path,
            query=parse_qs(split.query),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
            base_url=f"http://{host}" if host else mock.url,
        )
        try:
            reply = mock.handle(request)
        except Exception:
            logger.exception("mock server failed on %s %s", self.command, self.path)
            reply = Reply.json(500, {"detail": "mock server error"})
        if reply is None:  # drop: hang up without a byte of answer
            self.close_connection = True
            return
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(reply.body)
            self.wfile.flush()
        except OSError:
            logger.debug("client went away before the answer was sent", exc_info=True)
            self.close_connection = True

"""A small threaded HTTP server for a built site, bound to 127.0.0.1.

Used by the browser tests and the Lighthouse benchmark; ``mkdocs serve``
remains the server for people writing pages. It answers byte ranges (so
video seeks the way it does on a real static host) and, when asked,
compresses text responses with gzip the way a production host would.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

#: Content types worth compressing (media and images are already compressed).
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml",
                "image/svg+xml", "application/rss+xml")


class _Handler(SimpleHTTPRequestHandler):
    compress = False
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "application/javascript",
        ".mjs": "application/javascript",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".webp": "image/webp",
        ".mp4": "video/mp4",
        ".webmanifest": "application/manifest+json",
        ".xml": "application/xml",
    }

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):  # noqa: C901 - one request, read top to bottom
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the stdlib redirect to the slash form
            path = path / "index.html"
        if not path.is_file():
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        ctype = self.guess_type(str(path))
        body = path.read_bytes()
        rng = self.headers.get("Range")
        if rng and rng.startswith("bytes="):
            return self._send_range(body, rng, ctype)
        encoding = None
        if (self.compress and ctype.startswith(COMPRESSIBLE)
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            body = gzip.compress(body, compresslevel=6, mtime=0)
            encoding = "gzip"
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes")
        if encoding:
            self.send_header("Content-Encoding", encoding)
            self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return _Body(body)

    def _send_range(self, body: bytes, rng: str, ctype: str):
        start_s, _, end_s = rng.removeprefix("bytes=").split(",", 1)[0].partition("-")
        size = len(body)
        try:
            if start_s:
                start = int(start_s)
                end = min(int(end_s), size - 1) if end_s else size - 1
            else:  # a suffix range: the last N bytes
                start, end = max(0, size - int(end_s)), size - 1
        except ValueError:
            start, end = 0, -1
        if start > end or start >= size:
            self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            self.send_header("Content-Range", f"bytes */{size}")
            self.end_headers()
            return None
        part = body[start:end + 1]
        self.send_response(HTTPStatus.PARTIAL_CONTENT)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(len(part)))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        return _Body(part)


class _Body:
    """The file-like object ``SimpleHTTPRequestHandler`` copies to the socket."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._done = False

    def read(self, n: int = -1) -> bytes:
        if self._done:
            return b""
        self._done = True
        return self._data

    def close(self) -> None:
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # a browser that cancelled a request when it navigated
        super().handle_error(request, client_address)


@contextmanager
def serve(directory: Path, *, compress: bool = False) -> Iterator[str]:
    """Serve ``directory`` on a free port of 127.0.0.1; yields the base URL."""
    handler = type("Handler", (_Handler,), {"compress": compress})
    server = _Server(("127.0.0.1", 0), partial(handler, directory=str(directory)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="staticserver", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

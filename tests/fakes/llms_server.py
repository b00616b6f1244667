"""A fake of fal's model pages: ``GET /<endpoint-id>/llms.txt`` on 127.0.0.1.

The pages are fixtures written in fal's llms.txt format (``tests/fakes/llms/``,
one per endpoint, as fal's pages read when nothing has drifted: the six
Seedance 2.0 endpoints and Seedance 1.5 Pro text-to-video). A *scenario*
changes them the way fal might: a resolution added to a fast endpoint, a
duration added, a field added or removed, a price, a token rate or the
formula's frame rate changed, a page gone (404), an HTML page in its place,
a page cut short, a page whose Input Schema heading moved, an answer far
too large. Each edit insists that the text it changes is there, so a
scenario cannot silently stop doing what it says.

Like fal's CDN, the server sends an ``ETag`` and a ``Last-Modified`` with
each page and answers ``304 Not Modified`` to a request whose
``If-None-Match`` matches. Every request is recorded in ``requests`` (path,
User-Agent, the conditional headers, and whether an Authorization header
came: its value is never kept).

Standalone, for ``make drift`` against the fake:
``python tests/fakes/llms_server.py --scenario fast-1080p`` prints the base
URL to pass as ``--base-url`` (or ``SEEDPRESS_FAL_MODELS_URL``).
"""

from __future__ import annotations

import argparse
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES_DIR = Path(__file__).resolve().parent / "llms"
LAST_MODIFIED = "Tue, 24 Nov 2026 09:00:00 GMT"

T2V = "bytedance/seedance-2.0/text-to-video"
I2V = "bytedance/seedance-2.0/image-to-video"
R2V = "bytedance/seedance-2.0/reference-to-video"
FAST_T2V = "bytedance/seedance-2.0/fast/text-to-video"
FAST_I2V = "bytedance/seedance-2.0/fast/image-to-video"
FAST_R2V = "bytedance/seedance-2.0/fast/reference-to-video"
PRO15 = "fal-ai/bytedance/seedance/v1.5/pro/text-to-video"
SEEDANCE2 = (T2V, I2V, R2V, FAST_T2V, FAST_I2V, FAST_R2V)
STANDARD = (T2V, I2V, R2V)
FAST = (FAST_T2V, FAST_I2V, FAST_R2V)
ENDPOINTS = (*SEEDANCE2, PRO15)


@dataclass
class Reply:
    body: bytes
    status: int = 200
    content_type: str = "text/plain; charset=utf-8"
    #: send a Content-Length (False: stream the body and close the connection)
    declare_length: bool = True
    cache_headers: bool = True


def pages() -> dict[str, str]:
    """Endpoint id -> its page as fixed in tests/fakes/llms/."""
    return {e: (PAGES_DIR / f"{e}.txt").read_text(encoding="utf-8") for e in ENDPOINTS}


def edit(found: dict[str, str], endpoints, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in the pages of ``endpoints`` (each must have it)."""
    for e in ([endpoints] if isinstance(endpoints, str) else endpoints):
        assert old in found[e], f"scenario edit: {old!r} is not on the page of {e}"
        found[e] = found[e].replace(old, new)


_SEED = ("- **`seed`** (`integer`, _optional_):\n  Random seed for reproducibility. Note that "
         "results may still vary slightly even with the same seed.\n")
_END_USER = ("\n- **`end_user_id`** (`string`, _optional_):\n  The unique user ID of the end "
             "user.\n")
_CAMERA = ("\n- **`camera_fixed`** (`boolean`, _optional_):\n  Whether to fix the camera "
           "position\n  - Default: `false`\n")
_RES_OPTIONS = '  - Options: `"480p"`, `"720p"`\n'
_DURATION_OPTIONS = '`"13"`, `"14"`, `"15"`\n'


def _end_user_id(p):
    edit(p, SEEDANCE2, _SEED, _SEED + _END_USER)


def _fast_1080p(p):
    edit(p, FAST_T2V, _RES_OPTIONS, '  - Options: `"480p"`, `"720p"`, `"1080p"`\n')


def _duration_added(p):
    edit(p, SEEDANCE2, _DURATION_OPTIONS, '`"13"`, `"14"`, `"15"`, `"16"`\n')
    edit(p, SEEDANCE2, "Supports 4 to 15 seconds", "Supports 4 to 16 seconds")


def _new_optional_field(p):
    edit(p, FAST_T2V, _SEED, _SEED + _CAMERA)


def _field_removed(p):
    edit(p, I2V, "\n" + _SEED, "")


def _fast_price(p):
    edit(p, FAST, "**$0.2419/second**", "**$0.2657/second**")
    edit(p, (FAST_T2V, FAST_I2V), "**$0.0112** per 1000 tokens", "**$0.0123** per 1000 tokens")
    edit(p, FAST_R2V, "$0.0112 per 1000 tokens", "$0.0123 per 1000 tokens")
    edit(p, FAST_R2V, "**$0.14515**", "**$0.15941**")


def _token_rate(p):
    edit(p, (T2V, I2V), "**$0.014** per 1000 tokens", "**$0.015** per 1000 tokens")
    edit(p, R2V, "$0.014 per 1000 tokens", "$0.015 per 1000 tokens")


def _frame_rate(p):
    edit(p, SEEDANCE2, " * 24) / 1024", " * 30) / 1024")


def _heading_moved(p):
    edit(p, I2V, "### Input Schema\n", "")
    edit(p, I2V, "## Usage Examples\n", "### Input Schema\n\nSee above.\n\n## Usage Examples\n")


def _truncated(p):
    text = p[FAST_R2V]
    cut = text.index("- **`audio_urls`**")
    p[FAST_R2V] = text[:cut]


def _image_limit(p):
    edit(p, (R2V, FAST_R2V), "Up to 9 images.", "Up to 10 images.")


def _limit_unstated(p):
    edit(p, (R2V, FAST_R2V), " Total files across all modalities must not exceed 12.", "")


def _pro15_price(p):
    edit(p, PRO15, "**$0.26**", "**$0.30**")
    edit(p, PRO15, "costs **$2.4**", "costs **$2.8**")
    edit(p, PRO15, "the price is **1.2** per", "the price is **1.4** per")


#: scenario -> (what it shows, how it changes the pages, endpoint -> special reply)
SCENARIOS: dict[str, tuple[str, Callable[[dict], None] | None, dict[str, Reply]]] = {
    "in-sync": ("fal's pages agree with the data", None, {}),
    "end-user-id": ("as fal's pages read today: an optional end_user_id on every Seedance 2.0 "
                    "endpoint", _end_user_id, {}),
    "fast-1080p": ("1080p added to a fast endpoint", _fast_1080p, {}),
    "duration-added": ("16 s added to every Seedance 2.0 endpoint", _duration_added, {}),
    "new-optional-field": ("an optional camera_fixed added to a fast endpoint",
                           _new_optional_field, {}),
    "field-removed": ("seed gone from standard image-to-video", _field_removed, {}),
    "fast-price": ("the fast tier's price raised", _fast_price, {}),
    "token-rate": ("the standard rate per 1,000 tokens raised", _token_rate, {}),
    "frame-rate": ("the formula's frame rate changed from 24 to 30", _frame_rate, {}),
    "pro15-price": ("Seedance 1.5 Pro's rates raised", _pro15_price, {}),
    "image-limit": ("10 reference images instead of 9", _image_limit, {}),
    "limit-unstated": ("the limit of 12 files in all no longer stated", _limit_unstated, {}),
    "not-found": ("a page gone (404)", None, {FAST_I2V: Reply(b"Not Found", 404)}),
    "html": ("an HTML page where llms.txt was", None, {FAST_T2V: Reply(
        b"<!DOCTYPE html>\n<html><head><title>fal.ai</title></head><body><h1>Seedance</h1>"
        b"</body></html>\n", content_type="text/html; charset=utf-8")}),
    "truncated": ("a page cut short inside its Input Schema", _truncated, {}),
    "heading-moved": ("a page whose Input Schema heading moved below its fields",
                      _heading_moved, {}),
    "too-large": ("an answer over the size limit", None, {T2V: Reply(
        b"# Seedance 2.0 Text to Video\n\n" + b"x" * (1 << 20) + b"\n",
        declare_length=False, cache_headers=False)}),
}


def replies(scenario: str) -> dict[str, Reply]:
    _what, change, special = SCENARIOS[scenario]
    found = pages()
    if change is not None:
        change(found)
    out = {e: Reply(text.encode("utf-8")) for e, text in found.items()}
    out.update(special)
    return out


@dataclass
class Seen:
    path: str
    user_agent: str
    if_none_match: str | None
    if_modified_since: str | None
    #: an Authorization header came (its value is never kept)
    authorization: bool
    status: int = 0


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # a client that stopped reading (the size limit) or hung up
        super().handle_error(request, client_address)


@dataclass
class FakeLlms:
    scenario: str = "in-sync"
    requests: list[Seen] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _replies: dict[str, Reply] = field(default_factory=dict)

    def use(self, scenario: str) -> FakeLlms:
        self.scenario = scenario
        self._replies = replies(scenario)
        self.requests.clear()
        return self

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self, port: int = 0) -> FakeLlms:
        fake = self
        self.use(self.scenario)

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # no 40 ms stall between headers and body

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                seen = Seen(self.path, self.headers.get("User-Agent", ""),
                            self.headers.get("If-None-Match"),
                            self.headers.get("If-Modified-Since"),
                            "Authorization" in self.headers)
                fake.requests.append(seen)
                path = self.path.split("?", 1)[0].strip("/")
                endpoint = path[:-len("/llms.txt")] if path.endswith("/llms.txt") else None
                reply = fake._replies.get(endpoint) if endpoint else None
                if reply is None:
                    reply = Reply(b"Not Found", 404)
                seen.status = reply.status
                etag = '"' + hashlib.sha256(reply.body).hexdigest()[:20] + '"'
                if reply.status == 200 and reply.cache_headers and \
                        self.headers.get("If-None-Match") == etag:
                    seen.status = 304
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                if reply.status == 200 and reply.cache_headers:
                    self.send_header("ETag", etag)
                    self.send_header("Last-Modified", LAST_MODIFIED)
                if reply.declare_length:
                    self.send_header("Content-Length", str(len(reply.body)))
                else:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                try:
                    for start in range(0, len(reply.body), 65536):
                        self.wfile.write(reply.body[start:start + 65536])
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading (the size limit): that is the point

        self._server = _Server(("127.0.0.1", port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve fal's llms.txt pages as a scenario "
                                                 "changes them, on 127.0.0.1.")
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), default="in-sync")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    fake = FakeLlms(args.scenario).start(args.port)
    print(f"{fake.base_url}  ({args.scenario}: {SCENARIOS[args.scenario][0]})", flush=True)
    print(f"try: .venv/bin/seedpress drift --base-url {fake.base_url}", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()

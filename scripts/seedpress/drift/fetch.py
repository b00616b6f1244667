"""Fetching fal's llms.txt pages politely: the drift watch's only network access.

- one GET per endpoint, no retries and no redirects (a redirect is reported,
  not followed: the watch reads one address per endpoint);
- a timeout on every request, and a User-Agent that says who asks and why;
- no credentials, ever: no Authorization header, no key from the environment
  (``FAL_KEY`` is not read here), and a base URL with a user or password in
  it is refused;
- answers capped in size (:data:`MAX_BYTES`): a bigger one is not read further;
- the ETag and Last-Modified of each answer are kept in a small cache
  (written through :mod:`seedpress.writer`), sent back as If-None-Match and
  If-Modified-Since, and a 304 is answered from the cache.

:func:`fetch` returns the page's text, or raises :class:`PageError` (this page
cannot be judged: 404, an HTML page, too big, not text) or
:class:`Unreachable` (the network failed: nothing can be judged this run).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from .. import __version__ as VERSION
from ..errors import WriteError
from ..writer import write_atomic
from .page import PageError

#: fal's model pages; a page is ``<base>/<endpoint-id>/llms.txt``
DEFAULT_BASE_URL = "https://fal.ai/models"
BASE_URL_ENV = "SEEDPRESS_FAL_MODELS_URL"
#: fal's pages are tens of kilobytes; anything past a megabyte is not one of them
MAX_BYTES = 1 << 20
TIMEOUT_S = 20.0
USER_AGENT = (f"seedpress-drift/{VERSION} (the seedpress publication's weekly check of "
              "fal model pages for Seedance; one request per page; python-httpx)")


class Unreachable(Exception):
    """The network failed (refused, timed out, no such host): nothing can be judged."""


@dataclass(frozen=True)
class Fetched:
    url: str
    text: str
    #: the answer was 304 Not Modified and the text came from the cache
    from_cache: bool


def page_url(base: str, endpoint: str) -> str:
    return f"{base.rstrip('/')}/{endpoint.strip('/')}/llms.txt"


def check_base_url(base: str) -> str | None:
    """Why ``base`` cannot be used (None when it can)."""
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"{base!r} is not an http:// or https:// address"
    if parts.username or parts.password:
        return "the address carries a user name or password; the drift watch sends no " \
               "credentials anywhere"
    return None


class Cache:
    """ETag, Last-Modified and text of the last 200 answer of each page, one file each."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.warning = ""

    def _path(self, url: str) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / (hashlib.sha256(url.encode()).hexdigest()[:24] + ".json")

    def get(self, url: str) -> dict | None:
        path = self._path(url)
        if path is None or not path.is_file():
            return None
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("url") != url \
                or not isinstance(entry.get("text"), str):
            return None
        return entry

    def put(self, url: str, text: str, etag: str | None, modified: str | None) -> None:
        path = self._path(url)
        if path is None or not (etag or modified):
            return
        entry = {"url": url, "etag": etag, "last_modified": modified, "text": text}
        try:
            write_atomic(path, json.dumps(entry, ensure_ascii=False))
        except WriteError as err:
            self.warning = f"the page cache was not written ({err}); the next run asks " \
                           "for every page in full"


def client(timeout: float = TIMEOUT_S) -> httpx.Client:
    """The one HTTP client of a drift run: no auth, no redirects, a timeout, our User-Agent."""
    return httpx.Client(
        headers={"User-Agent": USER_AGENT,
                 "Accept": "text/plain, text/markdown;q=0.9, */*;q=0.1"},
        timeout=httpx.Timeout(timeout), follow_redirects=False, auth=None)


def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise PageError(f"the answer is {int(length):,} bytes, over the limit of "
                        f"{max_bytes:,}: not read")
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise PageError(f"the answer runs past the limit of {max_bytes:,} bytes: not "
                            "read further")
    return bytes(body)


def fetch(http: httpx.Client, url: str, cache: Cache, *,
          max_bytes: int = MAX_BYTES) -> Fetched:
    """One GET of ``url`` (conditional when the cache has it)."""
    cached = cache.get(url)
    headers = {}
    if cached is not None:
        if cached.get("etag"):
            headers["If-None-Match"] = cached["etag"]
        if cached.get("last_modified"):
            headers["If-Modified-Since"] = cached["last_modified"]
    try:
        with http.stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status == 304:
                if cached is None:
                    raise PageError("answered 304 Not Modified to a request that had "
                                    "nothing cached")
                return Fetched(url, cached["text"], True)
            if 300 <= status < 400:
                where = response.headers.get("location", "?")
                raise PageError(f"redirected (HTTP {status}) to {where}; the drift watch "
                                "reads one address per endpoint (is --base-url right?)")
            if status == 404:
                raise PageError("not found (HTTP 404): fal may have renamed or withdrawn "
                                "this endpoint")
            if status != 200:
                raise PageError(f"fal answered HTTP {status}")
            raw = _read_capped(response, max_bytes)
            kind = response.headers.get("content-type", "").lower()
            etag = response.headers.get("etag")
            modified = response.headers.get("last-modified")
    except httpx.RemoteProtocolError as err:
        raise PageError(f"the answer broke off ({err})") from None
    except httpx.TransportError as err:
        raise Unreachable(_why(err)) from None
    if "html" in kind:
        raise PageError(f"an HTML page ({kind.split(';')[0]}), not fal's plain-text llms.txt")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PageError("the answer is not UTF-8 text") from None
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    cache.put(url, text, etag, modified)
    return Fetched(url, text, False)


def _why(err: httpx.TransportError) -> str:
    if isinstance(err, httpx.TimeoutException):
        return "no answer within the timeout"
    if isinstance(err, httpx.ConnectError):
        cause = str(err) or "connection failed"
        if "refused" in cause.lower():
            return "connection refused"
        if "name" in cause.lower() and ("resolution" in cause.lower()
                                         or "not known" in cause.lower()):
            return "the host name does not resolve; no network?"
        return cause
    return str(err) or type(err).__name__

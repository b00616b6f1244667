"""What a page did while a test drove it: console errors, failures, requests.

Every request to a host other than 127.0.0.1 is aborted before it leaves the
machine and recorded as a failure: the site must load nothing from elsewhere.

A request the browser cancels (``net::ERR_ABORTED``) because the page began
loading another document (a reload, a link followed, ``goto``) is not a
failure of the site: the page it belonged to is gone. Such a request either
started under an earlier navigation than the page's current one, or was
cancelled while a navigation of the main frame was under way (a worker's
script, say, whose start the page never reports). Cancels are judged when
the test asks, so the order in which the browser reports the cancel and the
new navigation does not matter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, Response, Route

LOCAL_HOSTS = {"127.0.0.1"}


@dataclass
class Watch:
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    #: navigation requests of the main frame seen so far (a new document each)
    navigations: int = 0
    #: requests cancelled by the browser: (navigation they started under, text)
    aborted: list[tuple[int, str]] = field(default_factory=list)
    _started: dict[Request, int] = field(default_factory=dict)
    _navigating: bool = False

    def attach(self, context: BrowserContext, page: Page) -> None:
        context.route("**/*", self._route)
        page.on("console", self._console)
        page.on("pageerror", lambda err: self.page_errors.append(str(err)))
        self._page = page
        page.on("request", self._request)
        page.on("requestfailed", self._request_failed)
        page.on("domcontentloaded", self._document_loaded)
        page.on("response", self._response)

    def _route(self, route: Route) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def _request(self, req: Request) -> None:
        self.requests.append(req.url)
        if req.is_navigation_request() and req.frame == self._page.main_frame:
            self.navigations += 1
            self._navigating = True
        self._started[req] = self.navigations

    def _document_loaded(self, _page: Page) -> None:
        self._navigating = False

    def _console(self, msg: ConsoleMessage) -> None:
        if msg.type == "error":
            self.console_errors.append(f"{msg.text} ({msg.location.get('url', '')})")

    def _request_failed(self, req: Request) -> None:
        if req.url in self.blocked:
            return  # already recorded as blocked
        reason = req.failure or "failed"
        # A media request the browser itself cancels (it had enough bytes) is not a failure.
        if req.resource_type == "media" and "ERR_ABORTED" in reason:
            return
        if "ERR_ABORTED" in reason:
            started = self._started.get(req, self.navigations)
            if self._navigating:
                started = min(started, self.navigations - 1)
            self.aborted.append((started, f"{req.url}: {reason}"))
            return
        self.failed.append(f"{req.url}: {reason}")

    def _response(self, resp: Response) -> None:
        if resp.status >= 400:
            self.failed.append(f"{resp.url}: HTTP {resp.status}")

    def reset(self) -> None:
        """Forget what was recorded (to reuse one tab for several pages)."""
        for name in ("console_errors", "page_errors", "failed", "blocked", "requests", "aborted"):
            getattr(self, name).clear()

    def problems(self) -> list[str]:
        # cancelled while its own document was still the page's: a real failure
        cancelled = [text for started, text in self.aborted if started == self.navigations]
        return ([f"console error: {m}" for m in self.console_errors]
                + [f"page error: {m}" for m in self.page_errors]
                + [f"failed request: {m}" for m in self.failed + cancelled]
                + [f"request to another host: {m}" for m in self.blocked])

    def assert_clean(self, where: str = "") -> None:
        problems = self.problems()
        assert not problems, f"{where}:\n" + "\n".join(problems)

    def fetched(self, suffix: str) -> list[str]:
        return [u for u in self.requests if urlsplit(u).path.endswith(suffix)]

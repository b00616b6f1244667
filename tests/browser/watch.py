"""What a page did while a test drove it: console errors, failures, requests.

Every request to a host other than 127.0.0.1 is aborted before it leaves the
machine and recorded as a failure: the site must load nothing from elsewhere.
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

    def attach(self, context: BrowserContext, page: Page) -> None:
        context.route("**/*", self._route)
        page.on("console", self._console)
        page.on("pageerror", lambda err: self.page_errors.append(str(err)))
        page.on("request", lambda req: self.requests.append(req.url))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)

    def _route(self, route: Route) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

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
        self.failed.append(f"{req.url}: {reason}")

    def _response(self, resp: Response) -> None:
        if resp.status >= 400:
            self.failed.append(f"{resp.url}: HTTP {resp.status}")

    def reset(self) -> None:
        """Forget what was recorded (to reuse one tab for several pages)."""
        for name in ("console_errors", "page_errors", "failed", "blocked", "requests"):
            getattr(self, name).clear()

    def problems(self) -> list[str]:
        return ([f"console error: {m}" for m in self.console_errors]
                + [f"page error: {m}" for m in self.page_errors]
                + [f"failed request: {m}" for m in self.failed]
                + [f"request to another host: {m}" for m in self.blocked])

    def assert_clean(self, where: str = "") -> None:
        problems = self.problems()
        assert not problems, f"{where}:\n" + "\n".join(problems)

    def fetched(self, suffix: str) -> list[str]:
        return [u for u in self.requests if urlsplit(u).path.endswith(suffix)]

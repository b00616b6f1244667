"""Chromium on the built site: the browser's settings, and a tab that records what it did."""

from __future__ import annotations

from dataclasses import dataclass

from browser.watch import Watch

from . import ROOT

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


@dataclass
class Tab:
    """One browser page on the served site, with what it did recorded."""

    page: object
    watch: Watch
    base: str

    def open(self, path: str = "", *, wait: str = "load"):
        self.page.goto(self.base + path.lstrip("/"), wait_until=wait)
        return self.page

    def url_path(self) -> str:
        return self.page.url.removeprefix(self.base.rstrip("/"))


def new_tab(browser, site_url: str, *, viewport=DESKTOP, javascript: bool = True,
         color_scheme: str = "light", clipboard: bool = False):
    """A new context and its tab; ``clipboard`` grants reading and writing the
    clipboard (Chromium asks for both before a page's copy reaches it)."""
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript,
                                  color_scheme=color_scheme, service_workers="block",
                                  permissions=["clipboard-read", "clipboard-write"]
                                  if clipboard else [])
    page = context.new_page()
    page.set_default_timeout(10_000)
    watch = Watch()
    watch.attach(context, page)
    return context, Tab(page=page, watch=watch, base=site_url)

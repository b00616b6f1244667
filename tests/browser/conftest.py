"""Fixtures for the browser tests: the built site on 127.0.0.1 and chromium.

Chromium is Debian's (/usr/bin/chromium), driven by the Python playwright
package; no browser is ever downloaded. Without chromium the tests skip,
except under CI=true where they fail (see ``require_tool``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT, require_tool
from support.staticserver import serve

from .watch import Watch

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session", params=["mkdocs", "zensical"])
def engine(request) -> str:
    """Every browser test runs on the site as each engine builds it."""
    return request.param


@pytest.fixture(scope="session")
def site_dir(request, engine: str) -> Path:
    """The built site: for MkDocs SEEDPRESS_SITE_DIR (an existing build) or a fresh
    strict build; for Zensical a fresh strict build."""
    if engine == "zensical":
        return request.getfixturevalue("zensical_site")
    given = os.environ.get("SEEDPRESS_SITE_DIR")
    if given:
        return Path(given).resolve()
    return request.getfixturevalue("built_site")


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    """The base URL of the built site, served on a free port of 127.0.0.1."""
    with serve(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    chromium = require_tool("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


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


def _tab(browser, site_url: str, *, viewport=DESKTOP, javascript: bool = True,
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


@pytest.fixture
def tab(browser, site_url) -> Iterator[Tab]:
    context, tab = _tab(browser, site_url)
    yield tab
    context.close()


@pytest.fixture
def open_tab(browser, site_url):
    """A factory for tabs with other settings (phone width, no JavaScript, dark)."""
    contexts = []

    def make(**options) -> Tab:
        context, tab = _tab(browser, site_url, **options)
        contexts.append(context)
        return tab

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshots(engine: str) -> Path:
    folder = SCREENSHOTS / engine
    folder.mkdir(parents=True, exist_ok=True)
    return folder

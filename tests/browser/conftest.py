"""Fixtures for the browser tests: the built site on 127.0.0.1 and chromium.

Chromium is Debian's (/usr/bin/chromium), driven by the Python playwright
package; no browser is ever downloaded. Without chromium the tests skip,
except under CI=true where they fail (see ``require_tool``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import require_tool
from support.browser import CHROMIUM_ARGS, SCREENSHOTS, Tab, new_tab
from support.staticserver import serve

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


@pytest.fixture
def tab(browser, site_url) -> Iterator[Tab]:
    context, tab = new_tab(browser, site_url)
    yield tab
    context.close()


@pytest.fixture
def open_tab(browser, site_url):
    """A factory for tabs with other settings (phone width, no JavaScript, dark)."""
    contexts = []

    def make(**options) -> Tab:
        context, tab = new_tab(browser, site_url, **options)
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

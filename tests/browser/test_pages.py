"""Every page in a browser: loads cleanly, passes axe-core, looks right.

Screenshots at 375 px and 1280 px of each page type are saved under
artifacts/screenshots/ for people (and CI artifacts) to look at.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from seedpress.pages.data import load_site_data
from support import ROOT
from support.browser import DESKTOP, PHONE

from .axe import audit, describe, preload

pytestmark = pytest.mark.browser

POSTS = [p for p in load_site_data(ROOT).posts if not p.draft]
A_POST = max(POSTS, key=lambda p: (p.featured, len(p.body))).slug

#: One page of each type; the name is used for screenshot files.
PAGE_TYPES = {
    "home": "",
    "blog-index": "blog/",
    "post": f"blog/{A_POST}/",
    "faq": "faq/",
    "gallery": "gallery/",
    "pricing": "pricing/",
    "builder": "builder/",
}


def site_prefix() -> str:
    """The path of site_url (pages in the sitemap are absolute under it)."""
    match = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(), re.M)
    return urlsplit(match.group(1)).path if match else "/"


def sitemap_pages(site_dir: Path) -> list[str]:
    prefix = site_prefix()
    locs = re.findall(r"<loc>([^<]+)</loc>", (site_dir / "sitemap.xml").read_text())
    return sorted({urlsplit(loc).path.removeprefix(prefix) for loc in locs})


def one_page_per_template(site_dir: Path) -> list[str]:
    """A page of every kind the theme renders: the page types above, the other
    pages of the nav, a blog archive and a category page."""
    pages = sitemap_pages(site_dir)
    chosen = set(PAGE_TYPES.values())
    chosen |= {p for p in pages if p.count("/") == 1 and not p.startswith("blog/")}
    for prefix in ("blog/archive/", "blog/category/"):
        chosen.add(next(p for p in pages if p.startswith(prefix)))
    return sorted(chosen)


def pages_to_sweep(site_dir: Path, engine: str) -> list[str]:
    """Every page of the MkDocs build but the blog's archive and category pages
    after the first of each (they list the same excerpts as the blog index, with
    the same template); one page per template of the Zensical build.
    tests/test_engines.py shows the two builds carry the same text on every page,
    so on Zensical what is left to test is its chrome, the same on every page of
    a template."""
    if engine != "mkdocs":
        return one_page_per_template(site_dir)
    listed = ("blog/archive/", "blog/category/")
    pages = [p for p in sitemap_pages(site_dir) if not p.startswith(listed)]
    return sorted(set(pages) | set(one_page_per_template(site_dir)))


def test_the_sitemap_covers_the_nav_and_every_post(site_dir: Path):
    pages = sitemap_pages(site_dir)
    for path in PAGE_TYPES.values():
        assert path in pages
    for post in POSTS:
        assert f"blog/{post.slug}/" in pages


def test_every_page_loads_with_no_console_error_and_no_failed_request(tab, site_dir: Path,
                                                                     engine: str):
    problems = []
    for path in pages_to_sweep(site_dir, engine):
        tab.watch.reset()
        page = tab.open(path, wait="networkidle")
        assert page.locator("h1").count() >= 1, f"{path or '/'} has no heading"
        problems += [f"/{path}: {p}" for p in tab.watch.problems()]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_any_page_of_the_sitemap(open_tab, site_dir: Path, scheme: str,
                                                            engine: str):
    """Every page (every post, archive and category page too: guides bring their own
    tables and code), with its interactive parts in their opened state."""
    tab = open_tab(color_scheme=scheme)
    preload(tab.page)
    pages = pages_to_sweep(site_dir, engine)
    assert set(PAGE_TYPES.values()) <= set(pages)
    found = []
    for path in pages:
        # axe reads the DOM as the theme's scripts leave it, which is done at "load"
        page = tab.open(path, wait="load")
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        violations = audit(page)
        if violations:
            found.append(f"/{path} ({scheme}):\n{describe(violations)}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_screenshot_and_no_sideways_scroll(open_tab, screenshots: Path, viewport):
    """A full-page screenshot of each page type, and none scrolls sideways."""
    tab = open_tab(viewport=viewport)
    wide = []
    for name, path in PAGE_TYPES.items():
        page = tab.open(path, wait="networkidle")
        page.evaluate("() => document.fonts.ready")
        shot = screenshots / f"{name}-{viewport['width']}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 0
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            wide.append(f"{name} scrolls sideways by {overflow}px at {viewport['width']}px")
    assert not wide, "\n".join(wide)


#: The header logo as an image, drawn in a canvas: its opaque pixels' brightness
LOGO_BRIGHTNESS = """
async () => {
  const img = document.querySelector(".md-header__button.md-logo img, .md-logo img");
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 48;
  const ctx = canvas.getContext("2d");
  ctx.drawImage(img, 0, 0, 48, 48);
  const px = ctx.getImageData(0, 0, 48, 48).data;
  let sum = 0, n = 0;
  for (let i = 0; i < px.length; i += 4) {
    if (px[i + 3] > 200) { sum += (px[i] + px[i + 1] + px[i + 2]) / 3; n += 1; }
  }
  return {mean: n ? sum / n : null, opaque: n};
}
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_header_logo_is_light_on_the_dark_header(open_tab, scheme: str):
    """The logo is an <img>, where currentColor means black: it must draw itself light."""
    tab = open_tab(color_scheme=scheme)
    page = tab.open("", wait="load")
    drawn = page.evaluate(LOGO_BRIGHTNESS)
    assert drawn["opaque"] > 50, "the logo drew nothing"
    assert drawn["mean"] > 200, f"the logo is dark on the teal header ({scheme}): {drawn}"
    tab.watch.assert_clean("logo")

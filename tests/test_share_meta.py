"""Every built page carries what search engines and link previews read:
description, canonical URL, Open Graph and Twitter tags, a favicon. A post
uses its own description and, where it has one, its cover."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import ROOT
from seedpress.pages.data import load_site_data

POSTS = [p for p in load_site_data(ROOT).posts if not p.draft]
SITE_URL = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(), re.M).group(1)


class Head(HTMLParser):
    """The <meta> and <link> tags of a page's <head>."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict[str, str]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("property" in a or "name" in a):
            self.meta.setdefault(a.get("property") or a["name"], []).append(a.get("content", ""))
        elif tag == "link":
            self.links.append(a)
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def one(self, key: str) -> str:
        values = self.meta.get(key, [])
        assert len(values) == 1, f"{key}: {values}"
        return values[0]

    def link(self, rel: str) -> str:
        found = [link["href"] for link in self.links if rel in link.get("rel", "").split()]
        assert len(found) == 1, f"link rel={rel}: {found}"
        return found[0]


def head_of(path: Path) -> Head:
    head = Head()
    head.feed(path.read_text(encoding="utf-8"))
    return head


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("index.html") if p.parent.name != "search")


def local_file(site: Path, url: str) -> Path:
    """The built file behind an absolute URL of the published site."""
    assert url.startswith(SITE_URL), url
    rel = url.removeprefix(SITE_URL)
    return site / (rel + "index.html" if rel.endswith("/") or not rel else rel)


def test_every_page_has_description_canonical_open_graph_and_twitter(built_site: Path):
    checked = 0
    for page in pages(built_site):
        rel = page.parent.relative_to(built_site).as_posix()
        url = SITE_URL + ("" if rel == "." else rel + "/")
        head = head_of(page)
        where = f"/{rel}"
        description = head.one("description")
        assert len(description) > 30, where
        assert head.link("canonical") == url, where
        assert head.one("og:url") == url, where
        assert head.one("og:title").strip(), where
        assert head.one("og:description") == description, where
        assert head.one("og:type") in ("website", "article"), where
        assert head.one("twitter:card") == "summary_large_image", where
        assert head.one("twitter:title") == head.one("og:title"), where
        image = head.one("og:image")
        assert head.one("twitter:image") == image, where
        assert local_file(built_site, image).is_file(), f"{where}: og:image {image} is not built"
        icon = head.link("icon")
        assert (page.parent / icon).resolve().is_file(), f"{where}: favicon {icon}"
        checked += 1
    assert checked >= len(POSTS) + 5


@pytest.mark.parametrize("post", POSTS, ids=lambda p: p.slug)
def test_a_post_shares_its_own_description_dates_and_cover(built_site: Path, post):
    head = head_of(built_site / "blog" / post.slug / "index.html")
    assert head.one("og:type") == "article"
    assert head.one("og:title") == post.title
    assert head.one("og:description") == post.description
    assert head.one("description") == post.description
    assert head.one("article:published_time") == post.created.isoformat()
    assert head.one("article:modified_time") == post.updated.isoformat()
    assert head.meta.get("article:section") == post.categories
    image = head.one("og:image")
    if post.meta.get("cover"):
        cover = post.meta["cover"]  # an SVG cover is shared as its PNG twin
        assert image == SITE_URL + (cover[:-4] + ".png" if cover.endswith(".svg") else cover)
    else:
        assert urlsplit(image).path.endswith("/assets/social-card.jpg")


def test_pages_that_are_not_posts_are_websites_with_the_site_card(built_site: Path):
    for rel in ("", "faq/", "pricing/", "gallery/", "blog/"):
        head = head_of(built_site / rel / "index.html")
        assert head.one("og:type") == "website", rel
        assert head.one("og:image") == SITE_URL + "assets/social-card.jpg", rel

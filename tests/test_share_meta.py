"""Every built page carries what search engines and link previews read:
description, canonical URL, Open Graph and Twitter tags, a favicon. A post
uses its own description and, where it has one, its cover."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from seedpress.pages.data import load_site_data
from support import ROOT
from support.html import SITE_URL, head_of, local_file

POSTS = [p for p in load_site_data(ROOT).posts if not p.draft]
POSTS = [p for p in load_site_data(ROOT).posts if not p.draft]


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("index.html") if p.parent.name != "search")


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

"""The foundation: a strict build with no warning, posts/ in the blog and feeds."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest
from seedpress.content import load_publication
from seedpress.pages.data import load_site_data
from support import ROOT, mkdocs_build, mkdocs_serve

#: builds whole sites, renders through the fake fal server or runs every fault
pytestmark = pytest.mark.slow

POSTS = load_site_data(ROOT).posts


def test_strict_build_has_no_warning(built_site: Path):
    log = (built_site / ".build.log").read_text()
    assert "WARNING" not in log, log
    assert (built_site / "index.html").is_file()


def test_every_post_is_in_the_blog_index_and_has_a_page(built_site: Path):
    assert len(POSTS) == 11
    index = (built_site / "blog" / "index.html").read_text()
    for post in POSTS:
        page = built_site / "blog" / post.slug / "index.html"
        assert page.is_file(), f"no page for {post.path.name}"
        assert post.title in page.read_text()
        assert f"{post.slug}/" in index, f"{post.slug} missing from the blog index"


def test_posts_appear_in_archive_and_category_pages(built_site: Path):
    archive = "".join(p.read_text() for p in (built_site / "blog" / "archive").rglob("*.html"))
    categories = {p.parent.name: p.read_text()
                  for p in (built_site / "blog" / "category").glob("*/index.html")}
    for post in POSTS:
        assert f"{post.slug}/" in archive
        for cat in post.categories:
            slug = re.sub(r"[^a-z0-9]+", "-", cat.lower()).strip("-")
            assert f"{post.slug}/" in categories[slug], (cat, post.slug)


def test_both_feeds_parse_and_list_every_post(built_site: Path):
    for name in ("feed_rss_created.xml", "feed_rss_updated.xml"):
        feed = feedparser.parse((built_site / name).read_bytes())
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        links = {e.link for e in feed.entries}
        for post in POSTS:
            assert any(link.rstrip("/").endswith(post.slug) for link in links), (name, post.slug)


def test_feed_order_follows_created_and_updated_dates(built_site: Path):
    created = feedparser.parse((built_site / "feed_rss_created.xml").read_bytes())
    updated = feedparser.parse((built_site / "feed_rss_updated.xml").read_bytes())
    newest_created = max(POSTS, key=lambda p: p.created)
    newest_updated = max(POSTS, key=lambda p: p.updated)
    assert created.entries[0].link.rstrip("/").endswith(newest_created.slug)
    assert updated.entries[0].link.rstrip("/").endswith(newest_updated.slug)


def test_built_pages_load_nothing_from_another_host(built_site: Path):
    loads = re.compile(r'<(?:script|img|source|video|audio|iframe)[^>]*\ssrc="(https?:)?//'
                       r'|<link[^>]*rel="(?:stylesheet|preload|modulepreload|icon)"[^>]*href="(https?:)?//'
                       r'|url\(\s*["\']?(https?:)?//')
    for path in list(built_site.rglob("*.html")) + list(built_site.rglob("*.css")):
        text = path.read_text(errors="replace")
        match = loads.search(text)
        assert match is None, f"{path.relative_to(built_site)} loads {match.group(0)!r}"
    assert "fonts.googleapis" not in "".join(p.read_text() for p in built_site.rglob("*.html"))


def test_a_new_post_in_posts_shows_up_after_a_rebuild(project_copy: Path, tmp_path: Path):
    post = project_copy / "posts" / "a-fresh-note.md"
    post.write_text(
        "---\ntitle: A fresh note\nslug: a-fresh-note\n"
        "description: A post added by the test to a copy of posts.\n"
        "date:\n  created: 2026-11-20\n  updated: 2026-11-21\n"
        "categories:\n  - Workflow\nauthors:\n  - desk\n---\n\n"
        "# A fresh note\n\nA short body.\n\n<!-- more -->\n\nThe rest.\n"
    )
    out = tmp_path / "out"
    result = mkdocs_build(project_copy, out)
    assert result.returncode == 0, result.stderr
    assert (out / "blog" / "a-fresh-note" / "index.html").is_file()
    assert "a-fresh-note/" in (out / "blog" / "index.html").read_text()
    assert "a-fresh-note" in (out / "feed_rss_created.xml").read_text()
    assert "a-fresh-note/" in (out / "blog" / "category" / "workflow" / "index.html").read_text()


def test_a_category_outside_the_allow_list_fails_the_build(project_copy: Path, tmp_path: Path):
    post = next((project_copy / "posts").glob("*.md"))
    post.write_text(post.read_text().replace("categories:\n", "categories:\n  - Gossip\n", 1))
    result = mkdocs_build(project_copy, tmp_path / "out")
    assert result.returncode != 0
    assert "Gossip" in result.stdout + result.stderr


def test_the_allow_list_comes_from_one_file():
    pub = load_publication(ROOT)
    assert pub.categories == ("Technique", "Troubleshooting", "Pricing", "Integration",
                              "Prompting", "Use case", "Comparison", "Workflow")
    for post in POSTS:
        assert set(post.categories) <= set(pub.categories)


def test_three_posts_are_featured():
    assert sum(p.featured for p in POSTS) == 3


def test_serve_reloads_when_a_post_changes(project_copy: Path):
    page = "/blog/production-render-queue/"
    with mkdocs_serve(project_copy) as served:
        served.get(page, until="Production Render Queue")
        post = project_copy / "posts" / "production-render-queue.md"
        post.write_text(post.read_text().replace(
            "\n# Integrating Seedance 2.0 Into a Production Render Queue\n",
            "\n# Integrating Seedance 2.0 Into a Production Render Queue, revised\n", 1))
        served.get(page, until="Production Render Queue, revised", timeout=60)


def test_every_category_the_publication_lists_has_a_published_post():
    categories = load_publication(ROOT).categories
    used = {c for post in POSTS if not post.draft for c in post.categories}
    assert set(categories) <= used, f"categories with no post: {set(categories) - used}"

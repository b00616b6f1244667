"""The blog index in a browser: sort, category and keyword filters, URL state.

Expected lists come from the posts themselves (seedpress.content), never
from numbers written here.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from seedpress.pages.data import load_site_data
from support import ROOT

pytestmark = pytest.mark.browser

POSTS = [p for p in load_site_data(ROOT).posts if not p.draft]
ITEMS = "#sp-post-list > li.sp-post"


def slug_of(category: str) -> str:
    return category.lower().replace(" ", "-")


def visible_slugs(page) -> list[str]:
    """The posts a reader sees, top to bottom, by the slug in their link."""
    hrefs = page.eval_on_selector_all(
        ITEMS + ":not([hidden]) .sp-post__title a", "links => links.map(a => a.href)")
    return [urlsplit(h).path.rstrip("/").rsplit("/", 1)[-1] for h in hrefs]


def query(tab) -> dict[str, list[str]]:
    return parse_qs(urlsplit(tab.page.url).query)


def test_without_javascript_the_index_is_the_plain_list(open_tab):
    tab = open_tab(javascript=False)
    page = tab.open("blog/")
    assert not page.is_visible("#sp-blog-filter")
    assert set(visible_slugs(page)) == {p.slug for p in POSTS}
    # newest created first, as the blog plugin orders it (ties keep any order)
    dates = page.eval_on_selector_all(ITEMS, "els => els.map(e => e.dataset.created)")
    assert dates == sorted(dates, reverse=True)
    tab.watch.assert_clean("blog index without JavaScript")


def test_every_post_carries_its_dates_and_categories(tab):
    page = tab.open("blog/")
    rows = page.eval_on_selector_all(ITEMS, """els => els.map(e => ({
        href: e.querySelector('.sp-post__title a').href, created: e.dataset.created,
        updated: e.dataset.updated, categories: e.dataset.categories}))""")
    seen = {urlsplit(r["href"]).path.rstrip("/").rsplit("/", 1)[-1]: r for r in rows}
    for post in POSTS:
        row = seen[post.slug]
        assert row["created"] == post.created.isoformat(), post.slug
        assert row["updated"] == post.updated.isoformat(), post.slug
        assert row["categories"].split() == [slug_of(c) for c in post.categories], post.slug


def test_sorting_by_updated_reorders_and_lands_in_the_url(tab):
    page = tab.open("blog/")
    assert page.is_visible("#sp-blog-filter")
    before = visible_slugs(page)
    created = [next(p for p in POSTS if p.slug == s).created for s in before]
    assert created == sorted(created, reverse=True)

    page.select_option("#sp-filter-sort", "updated")
    shown = visible_slugs(page)
    updated = [next(p for p in POSTS if p.slug == s).updated for s in shown]
    assert updated == sorted(updated, reverse=True)
    assert query(tab)["sort"] == ["updated"]
    # updated in another order than written (the guides share their days, so the
    # page is given one): the list follows the update days
    page.select_option("#sp-filter-sort", "created")
    page.eval_on_selector_all(ITEMS, """els => els.forEach((e, i) =>
        e.dataset.updated = '2026-12-' + String(10 + i).padStart(2, '0'))""")
    page.select_option("#sp-filter-sort", "updated")
    assert visible_slugs(page) == list(reversed(before))

    page.select_option("#sp-filter-sort", "created")
    created = [next(p for p in POSTS if p.slug == s).created for s in visible_slugs(page)]
    assert created == sorted(created, reverse=True)
    assert "sort" not in query(tab)
    tab.watch.assert_clean("sorting")


def test_a_category_chip_shows_only_that_category(tab):
    counts: dict[str, int] = {}
    for post in POSTS:
        for c in post.categories:
            counts[c] = counts.get(c, 0) + 1
    category = max(sorted(counts), key=lambda c: counts[c])  # the busiest, for a real test
    expected = {p.slug for p in POSTS if category in p.categories}
    assert 0 < len(expected) < len(POSTS)

    page = tab.open("blog/")
    page.get_by_role("radio", name=category, exact=True).check()
    assert set(visible_slugs(page)) == expected
    assert query(tab)["category"] == [slug_of(category)]
    status = page.text_content("#sp-blog-count")
    assert f"{len(expected)} of {len(POSTS)}" in status

    page.get_by_role("radio", name="All", exact=True).check()
    assert set(visible_slugs(page)) == {p.slug for p in POSTS}
    assert "category" not in query(tab)
    tab.watch.assert_clean("category filter")


def keyword_case():
    """A word that some, but not all, posts carry in title or description."""
    words: dict[str, set[str]] = {}
    for post in POSTS:
        text = f"{post.title} {post.description}".lower()
        for word in set(re.findall(r"[a-z]{5,}", text)):
            words.setdefault(word, set()).add(post.slug)
    word = max(sorted(words), key=lambda w: (1 < len(words[w]) < len(POSTS), len(words[w])))
    return word, words[word]


def test_keyword_filter_matches_title_and_description(tab):
    word, expected = keyword_case()
    assert len(expected) < len(POSTS)
    page = tab.open("blog/")
    page.fill("#sp-filter-q", word.upper())
    assert set(visible_slugs(page)) == expected
    assert query(tab)["keyword"] == [word.upper()]

    # several words must all match
    page.fill("#sp-filter-q", f"{word} zzqxv")
    assert visible_slugs(page) == []
    assert page.is_visible("#sp-blog-empty")
    page.click("#sp-blog-filter button[type=reset]")
    page.wait_for_function("() => !new URLSearchParams(location.search).has('keyword')")
    assert set(visible_slugs(page)) == {p.slug for p in POSTS}
    assert not page.is_visible("#sp-blog-empty")
    tab.watch.assert_clean("keyword filter")


def test_a_shared_url_restores_the_view(tab):
    word, with_word = keyword_case()
    post = next(p for p in POSTS if p.slug in with_word)
    category = post.categories[0]
    expected = {p.slug for p in POSTS if p.slug in with_word and category in p.categories}
    page = tab.open(f"blog/?keyword={word}&category={slug_of(category)}&sort=updated")
    assert page.input_value("#sp-filter-q") == word
    # the theme's own search dialog stays shut (it opens for a ?q= in the URL)
    assert not page.is_checked("#__search")
    assert page.input_value("#sp-filter-sort") == "updated"
    assert page.get_by_role("radio", name=category, exact=True).is_checked()
    shown = visible_slugs(page)
    assert set(shown) == expected
    updated = [next(p for p in POSTS if p.slug == s).updated for s in shown]
    assert updated == sorted(updated, reverse=True)

    page.reload()
    assert set(visible_slugs(page)) == expected
    tab.watch.assert_clean("shared URL")


def test_an_unknown_category_in_the_url_shows_everything(tab):
    page = tab.open("blog/?category=no-such-thing")
    assert set(visible_slugs(page)) == {p.slug for p in POSTS}
    assert page.get_by_role("radio", name="All", exact=True).is_checked()


def test_featured_posts_show_their_cover(tab):
    page = tab.open("blog/")
    covers = page.eval_on_selector_all(
        ITEMS + " img.sp-post__cover",
        "imgs => imgs.map(i => ({src: i.currentSrc || i.src, w: i.naturalWidth}))")
    expected = {p.meta["cover"].rsplit("/", 1)[-1]
                for p in POSTS if p.featured and p.meta.get("cover")}
    assert {urlsplit(c["src"]).path.rsplit("/", 1)[-1] for c in covers} == expected
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function(
        "() => [...document.querySelectorAll('img.sp-post__cover')].every(i => i.complete)")
    broken = page.eval_on_selector_all(
        ITEMS + " img.sp-post__cover", "imgs => imgs.filter(i => !i.naturalWidth).map(i => i.src)")
    assert broken == []
    tab.watch.assert_clean("covers")

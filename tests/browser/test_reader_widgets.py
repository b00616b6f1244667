"""What a reader does on the other pages: search, FAQ, estimator, gallery.

The hooks are the ones agreed between the pages' authors: the estimator is
form#estimator with #estimator-result; gallery clips are figure.sp-clip with
a <video preload="none">; FAQ entries are <details> elements.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from seedpress.content.posts import strip_code
from seedpress.pages.data import load_site_data
from support import ROOT

pytestmark = pytest.mark.browser

POSTS = [p for p in load_site_data(ROOT).posts if not p.draft]


def body_only_word() -> tuple[str, str]:
    """(word, slug): a word in exactly one post's prose, in neither its title
    nor its description, so only full-text search can find that post."""
    counts: Counter[str] = Counter()
    words_of: dict[str, set[str]] = {}
    for post in POSTS:
        prose = re.sub(r"\{\{.*?\}\}|`[^`]*`|<[^>]+>|\([^)]*\)", " ", strip_code(post.body))
        words = set(re.findall(r"\b[a-z]{8,}\b", prose))
        words -= set(re.findall(r"[a-z]+", f"{post.title} {post.description}".lower()))
        words_of[post.slug] = words
        counts.update(words)
    for post in sorted(POSTS, key=lambda p: p.slug):
        unique = sorted(w for w in words_of[post.slug] if counts[w] == 1)
        if unique:
            return unique[0], post.slug
    pytest.fail("no post has a word of its own in its body")


#: Each engine's own search: Material's box in the header, or Zensical's dialog
#: (opened from a button; Playwright's CSS selectors reach into its shadow root).
SEARCH = {
    "mkdocs": {"open": "input.md-search__input", "input": "input.md-search__input",
               "result": ".md-search-result__item a"},
    "zensical": {"open": ".md-search__button",
                 "input": 'dialog[aria-label="Search"] input[type="text"]',
                 "result": '[role="listbox"] a[role="option"]'},
}


def test_site_search_finds_a_guide_by_a_word_from_its_body(tab, engine):
    word, slug = body_only_word()
    ui = SEARCH[engine]
    page = tab.open("", wait="networkidle")
    page.click(ui["open"])
    page.locator(ui["input"]).click()
    page.keyboard.type(word)
    # results for the first letters show while the rest is typed: wait for the word's own
    try:
        page.locator(f'{ui["result"]}[href*="blog/{slug}"]').first.wait_for(timeout=10_000)
    except PlaywrightTimeout:
        pass  # the assertion below says what the search showed instead
    hrefs = page.eval_on_selector_all(ui["result"], "as => as.map(a => a.href)")
    paths = [urlsplit(h).path for h in hrefs]
    assert any(p.rstrip("/").endswith(f"blog/{slug}") for p in paths), (word, slug, paths)
    tab.watch.assert_clean("search")


def test_faq_entries_open_and_show_their_answer(tab):
    page = tab.open("faq/")
    entries = page.locator("article details")
    count = entries.count()
    assert count >= 10, f"the FAQ shows {count} entries"
    for i in range(count):
        entry = entries.nth(i)
        assert not entry.evaluate("d => d.open")
        answer = entry.locator(":scope > :not(summary)").first
        assert not answer.is_visible()
        entry.locator("summary").click()
        assert entry.evaluate("d => d.open"), f"entry {i + 1} did not open"
        assert answer.is_visible()
        assert len(answer.inner_text().strip()) > 40
    tab.watch.assert_clean("FAQ")


def test_the_estimator_updates_its_result(tab):
    from seedpress.content.pricing import load_pricing
    from seedpress.pricing import format_total, quote

    model = load_pricing(ROOT)
    page = tab.open("pricing/")
    form = page.locator("form#estimator")
    result = page.locator("#estimator-result")
    before = result.inner_text()

    form.locator("[name=duration]").fill("10")
    form.locator("[name=duration]").dispatch_event("change")
    form.locator("[name=tier]").select_option("fast")
    form.locator("[name=resolution]").select_option("480p")
    form.locator("[name=aspect_ratio]").select_option("9:16")
    expected = format_total(quote(model, "bytedance/seedance-2.0/fast/text-to-video",
                                  10, "480p", "9:16").cost_usd)
    page.wait_for_function(
        "([sel, want]) => document.querySelector(sel).textContent.includes(want)",
        arg=["#estimator-result", expected])
    after = result.inner_text()
    assert after != before
    assert expected in after
    tab.watch.assert_clean("estimator")


def test_gallery_fetches_no_video_until_play_and_then_plays(tab):
    page = tab.open("gallery/", wait="networkidle")
    clips = page.locator("figure.sp-clip")
    assert clips.count() >= 1
    videos = page.locator("figure.sp-clip video")
    assert videos.count() == clips.count()
    for i in range(videos.count()):
        assert videos.nth(i).get_attribute("preload") == "none"
        assert videos.nth(i).get_attribute("poster")
    # scrolling the whole page past every clip fetches posters, never a film
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    assert tab.watch.fetched(".mp4") == [], "an MP4 was fetched before anyone pressed play"

    video = videos.first
    video.scroll_into_view_if_needed()
    video.focus()
    page.keyboard.press("Space")  # a reader pressing play on the focused player
    page.wait_for_function(
        "v => !v.paused && v.currentTime > 0.3", arg=video.element_handle(), timeout=15_000)
    assert tab.watch.fetched(".mp4"), "playing did not fetch the clip"
    tab.watch.assert_clean("gallery")

"""Post pages say when they were last reviewed; stale ones warn under `mkdocs serve` only."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import pytest
from seedpress.content import load_publication
from seedpress.pages.data import load_site_data
from seedpress.site.reviewed import long_date
from support import BIN, ROOT, mkdocs_serve

#: builds whole sites, renders through the fake fal server or runs every fault
pytestmark = pytest.mark.slow

POSTS = load_site_data(ROOT).posts
MAX_AGE = load_publication(ROOT).max_age_days

#: A day on which every post is past the max age.
LATE = max(p.reviewed for p in POSTS) + dt.timedelta(days=MAX_AGE + 30)


def epoch(day: dt.date) -> str:
    return str(int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC).timestamp()))


def test_every_post_page_says_when_it_was_last_reviewed(built_site: Path):
    for post in POSTS:
        html = (built_site / "blog" / post.slug / "index.html").read_text()
        note = re.search(r'<p class="sp-reviewed">Last reviewed <time datetime="([0-9-]+)">'
                         r"([^<]+)</time>: every fact on it checked against this site's "
                         r"record of fal's pages \(the rules page names the source of each "
                         r"rule; it and the pricing page date the limits and rates\) and the "
                         r"other sources it names</p>", html)
        assert note, post.slug
        assert note.group(1) == post.reviewed.isoformat()
        assert note.group(2) == long_date(post.reviewed)
        # right under the title, before the first paragraph of the post
        title_end = html.index("</h1>", html.index("<article")) + len("</h1>")
        assert html[title_end:note.start()].strip() == "", "the note is not right under the title"
    index = (built_site / "blog" / "index.html").read_text()
    assert "sp-reviewed" not in index, "the review line leaked into the blog index excerpts"


def test_long_date_reads_like_a_date():
    assert long_date(dt.date(2026, 11, 4)) == "November 4, 2026"


def test_a_production_build_never_shows_the_stale_warning(project_copy: Path, tmp_path: Path):
    out = tmp_path / "out"
    env = dict(os.environ, SOURCE_DATE_EPOCH=epoch(LATE))
    result = subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(out)],
                            cwd=project_copy, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    pages = list((out / "blog").rglob("index.html"))
    assert len(pages) > len(POSTS)
    for post in POSTS:
        text = (out / "blog" / post.slug / "index.html").read_text()
        assert f'Last reviewed <time datetime="{post.reviewed.isoformat()}">' in text
    for page in pages:
        text = page.read_text()
        assert "sp-stale" not in text and "Past its review date" not in text, page


def test_mkdocs_serve_warns_on_a_stale_post_only(project_copy: Path):
    stale, fresh = POSTS[0], POSTS[1]
    fresh_path = project_copy / "posts" / fresh.path.name
    # the fresh post was reviewed on the late day; every other one is past the max age
    text = fresh_path.read_text()
    fresh_path.write_text(text.replace(f"reviewed: {fresh.reviewed.isoformat()}",
                                       f"reviewed: {LATE.isoformat()}", 1))
    env = dict(os.environ, SOURCE_DATE_EPOCH=epoch(LATE))
    with mkdocs_serve(project_copy, "--no-livereload", env=env) as served:
        stale_html = served.get(f"/blog/{stale.slug}/", timeout=180)
        fresh_html = served.get(f"/blog/{fresh.slug}/")
        index_html = served.get("/blog/")
    days = (LATE - stale.reviewed).days
    warning = re.search(r'<div class="admonition warning sp-stale"[^>]*>.*?</div>',
                        stale_html, re.S)
    assert warning, "no stale warning on a post past the max age"
    assert f"last reviewed {days} days ago" in warning.group(0)
    assert f"more than the {MAX_AGE} days" in warning.group(0)
    assert f"seedpress review posts/{stale.path.name}" in warning.group(0)
    assert stale_html.index("</h1>") < warning.start()
    assert "sp-stale" not in fresh_html
    assert f'<time datetime="{LATE.isoformat()}">' in fresh_html
    assert "sp-stale" not in index_html

"""Where a reader goes next: "Read next" under each guide, and the footer's order.

Computed at build time by the generation stage, so both engines show the
same links:

- **Read next**: every guide ends with two or three related guides, ranked
  by what they share: categories first, then a link between the two, then
  the subjects they keep returning to (their most frequent keywords). Never
  the guide itself, never one guide twice.
- **Footer order**: within the blog the footer's previous and next links
  follow the blog's dates (the guide written before this one, the one written
  after), and outside it the top level of the navigation (the FAQ's
  "previous" is the blog, not an archive page).
"""

from __future__ import annotations

import datetime as dt
import heapq
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from ..content.posts import Post
from ..content.yaml_text import front_matter_lines
from ..pages.data import SiteData
from ..pages.home import keyword_counts
from ..pages.settings import Settings

#: how many guides "Read next" lists, at most and at least (when as many exist)
READ_NEXT = 3
#: the subjects of a post: its most frequent keywords
SUBJECT_WORDS = 15
_LINK = re.compile(r"\]\(([\w.-]+\.md)(?:#[^)]*)?\)")


@dataclass(frozen=True)
class Link:
    url: str
    title: str


def _subjects(post: Post) -> list[str]:
    return [w for w, _ in keyword_counts([post]).most_common(SUBJECT_WORDS)]


def _bits(items, index: dict[str, int]) -> int:
    """A set of words as an int with one bit per word (counted with bit_count)."""
    mask = 0
    for item in items:
        mask |= 1 << index.setdefault(item, len(index))
    return mask


def related(posts: list[Post], limit: int = READ_NEXT) -> dict[Path, list[Post]]:
    """For each published post, the ``limit`` posts that share most with it.

    The score is 3 for each shared category, 2 for a link either way and up to
    1 for the shared subjects (their share of SUBJECT_WORDS); ties go to the
    newer post, then to the slug. Every pair is scored, as integers (the score
    times SUBJECT_WORDS) over bit masks, so a thousand posts take well under
    a second.
    """
    published = [p for p in posts if not p.draft]
    words: dict[str, int] = {}
    cats = [_bits(p.categories, words) for p in published]
    subjects = [_bits(_subjects(p), words) for p in published]
    names = [p.path.name for p in published]
    links = [set(_LINK.findall(p.body)) for p in published]
    dates = [(p.created or p.updated) for p in published]
    order = [(-(d.toordinal() if d else 0), p.slug)
             for d, p in zip(dates, published, strict=True)]
    cat_weight, link_weight = 3 * SUBJECT_WORDS, 2 * SUBJECT_WORDS
    out: dict[Path, list[Post]] = {}
    for i, post in enumerate(published):
        cat, subject, name, linked = cats[i], subjects[i], names[i], links[i]
        scored = []
        for j in range(len(published)):
            if j == i:
                continue
            score = cat_weight * (cat & cats[j]).bit_count() \
                + (subject & subjects[j]).bit_count()
            if names[j] in linked or name in links[j]:
                score += link_weight
            scored.append((-score, order[j], j))
        out[post.path] = [published[j] for _, _, j in heapq.nsmallest(limit, scored)]
    return out


def read_next_front_matter(post: Post, picks: list[Post], settings: Settings) -> list[str]:
    """Front matter lines the theme prints as "Read next" under ``post``
    (``sp_read_next``: each pick's URL from the post's own, its title and
    description as plain text); [] when there is nothing to read next.

    The section is the theme's, not the post's Markdown, so the search
    index, the table of contents and the blog's listings (which convert each
    post's Markdown again for every listing it appears in) do not carry it.
    """
    if not picks:
        return []
    def post_url(p: Post) -> str:
        return settings.post_url(p.slug, p.path.name, p.created)

    here = post_url(post)
    value = [{"url": relative_url(post_url(pick), here), "title": " ".join(pick.title.split()),
              "description": " ".join((pick.description or "").split())} for pick in picks]
    return front_matter_lines("sp_read_next", value)


def page_url(uri: str) -> str:
    """A docs page's URL under directory URLs (index.md is its folder)."""
    if uri == "index.md":
        return ""
    if uri.endswith("/index.md"):
        return uri[: -len("index.md")]
    return uri[:-3] + "/"


def relative_url(target: str, page: str) -> str:
    """The link from the page at URL ``page`` to the URL ``target`` (both
    site-relative, directory URLs)."""
    rel = posixpath.relpath(target or ".", page.rstrip("/") or ".")
    return "./" if rel == "." else rel.rstrip("/") + "/"


def footer_links(data: SiteData, nav: list[tuple[str, str]]
                 ) -> dict[str, tuple[Link | None, Link | None]]:
    """Tree uri -> (previous, next), links relative to that page, for every
    published post (by date: the guide written before, the one after) and
    every page of the navigation (in its order)."""
    out: dict[str, tuple[Link | None, Link | None]] = {}

    def chain(items: list[tuple[str, str, str]]) -> None:
        for i, (uri, url, _) in enumerate(items):
            near = [items[i - 1] if i > 0 else None,
                    items[i + 1] if i + 1 < len(items) else None]
            out[uri] = tuple(Link(relative_url(n[1], url), n[2]) if n else None
                             for n in near)  # type: ignore[assignment]

    dated = sorted((p for p in data.posts if not p.draft),
                   key=lambda p: (p.created or p.updated or dt.date.min, p.slug))
    chain([(data.post_uri(p.path), data.post_url(p), p.title) for p in dated])
    chain([(uri, page_url(uri), title) for uri, title in nav])
    return out


def footer_front_matter(links: tuple[Link | None, Link | None]) -> list[str]:
    """Front matter lines the theme's footer reads (``sp_footer``)."""
    value = {name: ({"url": link.url, "title": link.title} if link else None)
             for name, link in zip(("previous", "next"), links, strict=True)}
    return front_matter_lines("sp_footer", value)

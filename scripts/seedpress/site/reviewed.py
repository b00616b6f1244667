"""The review line on each post page, and the stale warning shown while serving.

Every post page says when it was last reviewed (``date.reviewed``, the day
someone checked every fact on it against its sources); a post with no review
recorded says when it was updated, and that no review is recorded. While an
editor runs ``make serve`` (mkdocs' ``serve`` command), a post past
``max_age_days`` also carries a warning admonition at the top; a production
build (``mkdocs build``) never shows it.
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape

from ..content import Post

#: the first level-one heading line (ATX), outside code blocks in practice
_TITLE = re.compile(r"^# [^\n]*$", re.M)


def long_date(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def reviewed_note(post: Post) -> str:
    day = post.reviewed
    if day is None:
        return ""
    when = f'<time datetime="{day.isoformat()}">{long_date(day)}</time>'
    if not post.front.review_marked:  # never claim a review nobody recorded
        return f'<p class="sp-reviewed">Updated {when}; no review recorded yet</p>'
    # what a review is (docs/editors.md): every fact on the page checked against the data
    # the site records from fal (not fal's live pages: drift does that) and the other
    # sources the page names
    return (f'<p class="sp-reviewed">Last reviewed {when}: every fact on it checked against '
            "this site's record of fal's pages (the rules page names the source of each rule; it "
            "and the pricing page date the limits and rates) and the other sources it names</p>")


def stale_warning(post: Post, today: dt.date, max_age_days: int) -> str:
    days = post.age(today, max_age_days).days
    path = escape(f"posts/{post.path.name}")
    age = "has no review date" if days is None else f"was last reviewed {days} days ago"
    return (
        '<div class="admonition warning sp-stale" role="note">'
        '<p class="admonition-title">Past its review date</p>'
        f"<p>This post {age}, more than the {max_age_days} days a dated guide may go "
        "unchecked. Read it against today's facts, then run "
        f"<code>seedpress review {path}</code>. Only <code>make serve</code> shows this "
        "warning; the published site does not.</p></div>"
    )


def markdown_note(post: Post, *, today: dt.date, max_age_days: int, serving: bool) -> str:
    """The review line (and, serving, the stale warning) as raw HTML blocks."""
    extra = reviewed_note(post)
    if serving and post.age(today, max_age_days).stale:
        extra += "\n\n" + stale_warning(post, today, max_age_days)
    return extra


def after_title(markdown: str, note: str) -> str:
    """``markdown`` with ``note`` as its own block after the first ``# `` title
    (or first, when there is none)."""
    if not note:
        return markdown
    m = _TITLE.search(markdown)
    if m is None:
        return f"{note}\n\n{markdown}"
    return f"{markdown[:m.end()]}\n\n{note}\n{markdown[m.end():]}"

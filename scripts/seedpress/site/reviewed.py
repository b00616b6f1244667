"""The review line on each post page, and the stale warning shown while serving.

Every post page says when it was last reviewed (``date.updated``). While an
editor runs ``make serve`` (mkdocs' ``serve`` command), a post past
``max_age_days`` also carries a warning admonition at the top; a production
build (``mkdocs build``) never shows it.
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape

from ..content import Post
from ..editorial import days_since_update, is_stale

_AFTER_TITLE = re.compile(r"(<h1\b[^>]*>.*?</h1>)", re.S)


def long_date(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def reviewed_note(post: Post) -> str:
    if post.updated is None:
        return ""
    day = post.updated
    return (f'<p class="sp-reviewed">Last reviewed '
            f'<time datetime="{day.isoformat()}">{long_date(day)}</time></p>')


def stale_warning(post: Post, today: dt.date, max_age_days: int) -> str:
    days = days_since_update(post, today)
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


def decorate(html: str, post: Post, *, today: dt.date, max_age_days: int,
             serving: bool) -> str:
    """``html`` of a post page with the review line (and, serving, the warning) added."""
    extra = reviewed_note(post)
    if serving and is_stale(post, today, max_age_days):
        extra += stale_warning(post, today, max_age_days)
    if not extra:
        return html
    if _AFTER_TITLE.search(html):
        return _AFTER_TITLE.sub(lambda m: m.group(1) + extra, html, count=1)
    return extra + html

"""SP201..SP205: post dates and the ``verified`` dates of data files.

A post's date is written as the blog plugin allows: ``date: 2026-05-01`` or
``date: {created: ..., updated: ...}``. Dates must be real days, not in the
future (drafts excepted), ``updated`` not before ``created``, and the newest
not older than the maximum age.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..content import LineDict, LineList
from ..content.posts import Post
from ..content.source import InvalidDate
from .context import Context
from .source import Source

#: keys of a data file whose date says when its figures were last checked
VERIFIED_KEYS = ("verified", "verified_on", "last_verified")


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def _judge(src: Source, ctx: Context, value: Any, line: int, what: str,
           draft: bool = False) -> dt.date | None:
    """A date value: report SP202/SP203 and return it when it is a real date."""
    if isinstance(value, InvalidDate):
        src.add(line, 1, "SP202", f"{what} {str(value)!r} is not a real calendar date")
        return None
    date = _as_date(value)
    if date is None:
        src.add(line, 1, "SP202", f"{what} must be a date written YYYY-MM-DD, got {value!r}")
        return None
    if date > ctx.today and not draft:
        src.add(line, 1, "SP203", f"{what} {date} is in the future (today is {ctx.today})")
    return date


def _stale(src: Source, ctx: Context, newest: dt.date, line: int, what: str) -> None:
    if newest < ctx.stale_before():
        age = (ctx.today - newest).days
        src.add(line, 1, "SP205", f"{what} {newest} is {age} days old, over the limit of "
                f"{ctx.max_age_days} days")


def check_post(src: Source, post: Post, ctx: Context) -> None:
    meta = post.meta
    draft = meta.get("draft") is True
    if "date" not in meta or meta.get("date") is None:
        src.add(meta.line, 1, "SP201", "no creation date: add date.created (YYYY-MM-DD)")
        return
    raw = meta["date"]
    line = meta.line_of("date")
    if isinstance(raw, dict):
        if raw.get("created") is None:
            src.add(line, 1, "SP201", "date has no 'created' entry")
            return
        dates = {key: _judge(src, ctx, value, raw.line_of(key), f"date.{key}", draft)
                 for key, value in raw.items() if value is not None}
        created, updated = dates.get("created"), dates.get("updated")
        if created and updated and updated < created:
            src.add(raw.line_of("updated"), 1, "SP204",
                    f"date.updated {updated} is before date.created {created}")
        real = [(d, raw.line_of(k)) for k, d in dates.items() if d is not None]
    else:
        date = _judge(src, ctx, raw, line, "date", draft)
        real = [(date, line)] if date else []
    if real and not draft:
        newest, where = max(real)
        _stale(src, ctx, newest, where, "the newest date")


def check_data(src: Source, data: Any, ctx: Context) -> None:
    """Impossible dates anywhere in a YAML file, and its ``verified`` dates."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, LineDict):
            for key, value in node.items():
                line = node.line_of(key)
                if key in VERIFIED_KEYS:
                    date = _judge(src, ctx, value, line, str(key))
                    if date:
                        _stale(src, ctx, date, line, f"{key}")
                elif isinstance(value, InvalidDate):
                    src.add(line, 1, "SP202", f"{key}: {str(value)!r} is not a real calendar date")
                else:
                    stack.append(value)
        elif isinstance(node, LineList):
            for i, value in enumerate(node):
                if isinstance(value, InvalidDate):
                    src.add(node.line_of(i), 1, "SP202",
                            f"{str(value)!r} is not a real calendar date")
                else:
                    stack.append(value)

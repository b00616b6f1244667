"""SP202, SP203, SP205 for data files: their ``verified`` dates, and impossible dates;
SP206 for posts: a review date older than a fact the post prints.

The schemas of the publication's own data files judge their dates when they
load (SP202, SP203); post dates belong to the post model
(:func:`seedpress.content.posts.validate_post`). What is left for the check:
a data file whose ``verified`` date is older than the maximum age is stale
(SP205), and in a YAML file with no schema of ours every impossible date is
reported (SP202). A ``verified`` date in the future is a claim nobody can
have made yet (SP203).

A post says when it was last reviewed (``date.reviewed``, else
``date.updated``): the day someone checked every fact on it against the
sources. It cannot have been checked before the facts it prints were: a
post whose computed names (a price, a limit, a field figure, or a rule that
prints one) read a fact verified later than that day is reported at the
date's line (SP206). Which facts a post prints is found by rendering its
computed names while :mod:`seedpress.pages.facts` records what they read.
"""

from __future__ import annotations

from typing import Any

from .. import clock, codes
from ..content import LineDict, LineList, Post
from ..content.schema import as_date
from ..content.source import InvalidDate
from ..pages import facts
from ..pages.render import PAGE_ENV, has_template, skeleton
from .context import Context
from .source import Source

#: keys of a data file whose date says when its figures were last checked
VERIFIED_KEYS = ("verified", "verified_on", "last_verified")


def check_data(src: Source, data: Any, ctx: Context, *, schema_known: bool) -> None:
    """Stale ``verified`` dates anywhere in a YAML file; with no schema of ours,
    impossible dates too."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, LineDict):
            for key, value in node.items():
                line = node.line_of(key)
                if key in VERIFIED_KEYS and (day := as_date(value)) is not None:
                    if day > ctx.today:
                        src.add(line, 1, codes.FUTURE_DATE, f"{key} {day} is in the future "
                                f"(today is {ctx.today})")
                    elif (age := clock.age(day, ctx.today, ctx.max_age_days)).stale:
                        src.add(line, 1, codes.STALE, f"{key} {day} is {age.days} days old, "
                                f"over the limit of {ctx.max_age_days} days")
                elif isinstance(value, InvalidDate):
                    if not schema_known:
                        src.add(line, 1, codes.BAD_DATE,
                                f"{key}: {str(value)!r} is not a real calendar date")
                else:
                    stack.append(value)
        elif isinstance(node, LineList):
            for i, value in enumerate(node):
                if isinstance(value, InvalidDate):
                    if not schema_known:
                        src.add(node.line_of(i), 1, codes.BAD_DATE,
                                f"{str(value)!r} is not a real calendar date")
                else:
                    stack.append(value)


def printed_facts(body: str, ctx: Context) -> frozenset:
    """The facts a page body prints: its template constructs rendered with the
    build's names while :func:`seedpress.pages.facts.recording` watches (one
    render per distinct set of constructs in a run). A page whose names fail
    to render prints nothing yet: SP008 reports it, and the build stops."""
    if not has_template(body):
        return frozenset()
    key = skeleton(body)
    cache = ctx.printed_facts
    if key not in cache:
        with facts.recording() as found:
            try:
                PAGE_ENV.from_string(key).render(**ctx.names)
            except Exception:  # noqa: BLE001 - SP008 reports it at its line
                found = set()
        cache[key] = frozenset(found)
    return cache[key]


def check_post(src: Source, post: Post, ctx: Context) -> None:
    """SP206: the post's review date against the facts it prints."""
    reviewed = post.reviewed
    if reviewed is None:
        return
    newer = sorted((f for f in printed_facts(post.body, ctx) if f.verified > reviewed),
                   key=lambda f: (f.verified, f.what))
    if not newer:
        return
    which = next((k for k in ("reviewed", "updated", "created")
                  if isinstance(post.meta.get("date"), LineDict) and k in post.meta["date"]),
                 "created")
    shown = "; ".join(f"{f.what} ({f.source}, verified {f.verified})" for f in newer)
    src.add(post.date_line(which), 1, codes.REVIEWED_BEFORE_FACTS,
            f"the post says it was last reviewed on {reviewed} (date.{which}), before what it "
            f"prints was verified: {shown}; read it against them, then `seedpress review` it")

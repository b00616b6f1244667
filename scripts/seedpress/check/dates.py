"""SP202, SP203, SP205 for data files: their ``verified`` dates, and impossible dates.

The schemas of the publication's own data files judge their dates when they
load (SP202, SP203); post dates belong to the post model
(:func:`seedpress.content.posts.validate_post`). What is left for the check:
a data file whose ``verified`` date is older than the maximum age is stale
(SP205), and in a YAML file with no schema of ours every impossible date is
reported (SP202). A ``verified`` date in the future is a claim nobody can
have made yet (SP203).
"""

from __future__ import annotations

from typing import Any

from .. import codes
from ..content import LineDict, LineList
from ..content.schema import as_date
from ..content.source import InvalidDate
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
                    elif day < ctx.stale_before():
                        age = (ctx.today - day).days
                        src.add(line, 1, codes.STALE, f"{key} {day} is {age} days old, over "
                                f"the limit of {ctx.max_age_days} days")
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

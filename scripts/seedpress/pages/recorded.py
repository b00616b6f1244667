"""The one phrase for when a data file's figures came from fal, and when they were last
found unchanged there (``seedpress drift --stamp``)."""

from __future__ import annotations

import datetime as dt


def recorded_on(values_since: dt.date, verified: dt.date) -> str:
    """"2026-11-24", the day the values were written into our data, or with a later
    check against fal's pages, "2026-11-24 (found unchanged there on 2026-12-10)"."""
    text = values_since.isoformat()
    if verified > values_since:
        text += f" (found unchanged there on {verified.isoformat()})"
    return text

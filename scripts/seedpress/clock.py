"""The one place that decides what "today" is.

Order: an explicit value (``--today``), else ``SOURCE_DATE_EPOCH``, else the
clock. Tests pin ``SOURCE_DATE_EPOCH`` or pass the value explicitly.
"""

from __future__ import annotations

import datetime as dt
import os


class BadDate(ValueError):
    """A date given by a person that is not an ISO date."""


def parse_iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as err:
        raise BadDate(f"not a calendar date in YYYY-MM-DD form: {text!r}") from err


def today(explicit: str | dt.date | None = None) -> dt.date:
    if isinstance(explicit, dt.date):
        return explicit
    if explicit:
        return parse_iso_date(explicit)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        except ValueError as err:
            raise BadDate(f"SOURCE_DATE_EPOCH is not a whole number of seconds: {epoch!r}") from err
    return dt.date.today()

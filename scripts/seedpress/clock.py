"""The one place that decides what "today" is.

Order: an explicit value (``--today``), else ``SOURCE_DATE_EPOCH``, else the
clock. Tests pin ``SOURCE_DATE_EPOCH`` or pass the value explicitly.

Beside it, :func:`age`: how old a dated thing is on that day, and whether it
is past its maximum age, decided once for posts, data files, field figures
and gallery renders.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from .errors import UsageError


def parse_iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as err:
        raise UsageError(f"not a calendar date in YYYY-MM-DD form: {text!r}") from err


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
            raise UsageError("SOURCE_DATE_EPOCH is not a whole number of seconds: "
                             f"{epoch!r}") from err
    return dt.date.today()


@dataclass(frozen=True)
class Age:
    """How old a dated thing is on a day, and whether that is past its maximum age."""

    #: the day it was last checked (None: it has no date, so it is past any age)
    since: dt.date | None
    days: int | None
    max_age_days: int

    @property
    def stale(self) -> bool:
        return self.days is None or self.days > self.max_age_days


def age(since: dt.date | None, today: dt.date, max_age_days: int) -> Age:
    """The one rule of staleness: a thing last checked on ``since`` is stale on
    ``today`` when more than ``max_age_days`` days lie between them (a post's
    review, a data file's ``verified``, a field figure's date, a gallery render)."""
    days = (today - since).days if since is not None else None
    return Age(since, days, max_age_days)

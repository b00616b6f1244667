"""Which facts a page prints, found by watching its computed names render.

Every computed name reads its data through :func:`seedpress.pages.computed.model`,
and a figure of the field through ``field(...)``; while :func:`recording` is
open, each read is noted as a :class:`Fact` with the day it was verified
(a data file's ``changed:``, else its ``verified:``; a field figure's own
``date:``). A rule
included with ``{{ rule(...) }}`` renders its own names, so its facts are
noted too. Nothing here knows which pages print what: a page prints the
facts its names read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Fact:
    #: what it is, as a message names it: "the limits", "Veo 3.1's price_1080p"
    what: str
    #: the data file it comes from
    source: str
    #: the day it took the value it has (a data file's ``changed:``, else its
    #: ``verified:``): a review on or after it has read what the page prints
    verified: dt.date


_RECORDING: ContextVar[set[Fact] | None] = ContextVar("seedpress_facts", default=None)


def _file(path: Any) -> str:
    path = Path(path) if path else None
    return f"data/{path.name}" if path is not None else "data"


def note_model(name: str, found: Any) -> None:
    """A computed name read the model ``name``: a fact when it carries a
    ``verified`` date (prices, limits), dated by when its values last changed
    (a stamp that found them the same moves ``verified`` only)."""
    facts = _RECORDING.get()
    if facts is None:
        return
    verified = getattr(found, "values_since", None) or getattr(found, "verified", None)
    if isinstance(verified, dt.date):
        facts.add(Fact(f"the {name}", _file(getattr(found, "path", None)), verified))


def note_figure(model_name: str, key: str, figure: Any, path: Any = None) -> None:
    """``field(...)`` printed one figure of the field, dated on its own."""
    facts = _RECORDING.get()
    if facts is None:
        return
    day = getattr(figure, "since", None) or getattr(figure, "date", None)
    if isinstance(day, dt.date):
        facts.add(Fact(f"{model_name}'s {key}", _file(path), day))


@contextlib.contextmanager
def recording() -> Iterator[set[Fact]]:
    """Collect the facts read inside the block (nested recordings each see all)."""
    outer = _RECORDING.get()
    facts: set[Fact] = set()
    token = _RECORDING.set(facts)
    try:
        yield facts
    finally:
        _RECORDING.reset(token)
        if outer is not None:
            outer.update(facts)

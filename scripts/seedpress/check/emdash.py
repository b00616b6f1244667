"""SP101 to SP104: every em dash :mod:`seedpress.content.dashes` finds, reported where it is."""

from __future__ import annotations

from .. import codes
from ..content.dashes import EM_DASH, find
from .source import Source


def _name(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def check(src: Source) -> None:
    text = src.text or ""
    for m in find(text, built_suffix=src.suffix if src.built else None):
        found = m.group()
        if src.built:
            what = "character" if found == EM_DASH else (
                _name(found) if len(found) == 1 else found)
            src.add_at(m.start(), codes.EM_DASH_BUILT,
                       f"em dash in the built site ({what}): a reader sees it here")
        elif found == EM_DASH:
            src.add_at(m.start(), codes.EM_DASH, "em dash (U+2014): use a comma, colon, "
                       "parentheses or a hyphen")
        elif len(found) == 1:
            src.add_at(m.start(), codes.EM_DASH_LOOKALIKE, f"a dash that reads as an em dash "
                       f"({_name(found)}): use a comma, colon, parentheses or a hyphen")
        else:
            src.add_at(m.start(), codes.EM_DASH_ENTITY, f"em dash written as the entity {found}")

"""SP101 to SP104: the em dash, as a character, an HTML entity or a look-alike, and its fix.

The characters are written here only as escapes, and the entities only as
pieces of a pattern, so this file passes its own rule.
"""

from __future__ import annotations

import re

from .. import codes
from .source import Source

EM_DASH = "\u2014"
#: dashes that read as an em dash: horizontal bar, two-em and three-em dashes,
#: small em dash, vertical em dash (presentation form)
LOOKALIKES = "\u2015\u2e3a\u2e3b\ufe58\ufe31"
_ENTITY = "&(?:mdash|#0*8212|#[xX]0*2014);"
#: the character, a look-alike, or an HTML entity for the em dash
PATTERN = re.compile(f"[{EM_DASH}{LOOKALIKES}]|{_ENTITY}")
#: what --fix replaces: the dash with the spaces around it on its line
FIX_PATTERN = re.compile(f"[ \t]*(?:[{EM_DASH}{LOOKALIKES}]|{_ENTITY})[ \t]*")


def _name(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def check(src: Source) -> None:
    text = src.text or ""
    if "&" not in text and not any(ch in text for ch in EM_DASH + LOOKALIKES):
        return
    for m in PATTERN.finditer(text):
        found = m.group()
        if src.built:
            what = "character" if found == EM_DASH else (
                _name(found) if len(found) == 1 else found)
            src.add_at(m.start(), codes.EM_DASH_BUILT, f"em dash in the built page ({what})")
        elif found == EM_DASH:
            src.add_at(m.start(), codes.EM_DASH, "em dash (U+2014): use a comma, colon, "
                       "parentheses or a hyphen")
        elif len(found) == 1:
            src.add_at(m.start(), codes.EM_DASH_LOOKALIKE, f"a dash that reads as an em dash "
                       f"({_name(found)}): use a comma, colon, parentheses or a hyphen")
        else:
            src.add_at(m.start(), codes.EM_DASH_ENTITY, f"em dash written as the entity {found}")


def fix_text(text: str, replacement: str) -> tuple[str, int]:
    """``text`` with every em dash replaced; returns the new text and the count."""
    def sub(m: re.Match) -> str:
        # At the start of a line keep the indentation and drop a leading separator.
        if m.start() == 0 or m.string[m.start() - 1] in "\r\n":
            return m.group()[: len(m.group()) - len(m.group().lstrip(" \t"))]
        return replacement
    return FIX_PATTERN.subn(sub, text)


def fixed_bytes(raw: bytes, replacement: str) -> tuple[bytes, int]:
    """The bytes of a UTF-8 file with its em dashes replaced (BOM and line endings
    kept) and the count; the same bytes and 0 when there is nothing to fix."""
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw[3:].decode("utf-8") if bom else raw.decode("utf-8")
    new, count = fix_text(text, replacement)
    if not count:
        return raw, 0
    return (b"\xef\xbb\xbf" if bom else b"") + new.encode("utf-8"), count

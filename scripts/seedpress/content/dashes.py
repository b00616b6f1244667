"""The em dash, as a character, an HTML entity or a dash that reads as one: found once.

The characters are written here only as escapes, and the entities only as
pieces of a pattern, so this file passes its own rule. In a built site a
JSON string, a script or a style sheet may also carry the dash as an escape
(a backslash, u and 2014 in JSON and JavaScript; a backslash and 2014 in
CSS), which a reader sees as the character.

The ship check reports each one :func:`find` finds (SP101 to SP104),
``new-post`` refuses a title or description that holds one, ``--fix``
rewrites them (:func:`fixed_bytes`), and the home page prints
:func:`publication_count`, the same count over every file the check reads.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ContentError, UsageError
from .files import source_files
from .source import decode_text

EM_DASH = "\u2014"
#: dashes that read as an em dash: horizontal bar, two-em and three-em dashes,
#: small em dash, vertical em dash (presentation form)
LOOKALIKES = "\u2015\u2e3a\u2e3b\ufe58\ufe31"
#: every character that is, or reads as, an em dash
DASHES = EM_DASH + LOOKALIKES
_ENTITY = "&(?:mdash|#0*8212|#[xX]0*2014);"
#: the character, a look-alike, or an HTML entity for the em dash
PATTERN = re.compile(f"[{DASHES}]|{_ENTITY}")
#: the escapes of a built JSON file, script or style sheet
_ESCAPE = r"\\u2014|\\u\{2014\}|\\2014(?![0-9a-fA-F])"
BUILT_PATTERN = re.compile(f"[{DASHES}]|{_ENTITY}|{_ESCAPE}")
#: suffixes of built files whose escapes are read as the character
_ESCAPING = {".json", ".js", ".mjs", ".css"}
#: what --fix replaces: the dash with the spaces around it on its line
FIX_PATTERN = re.compile(f"[ \t]*(?:[{DASHES}]|{_ENTITY})[ \t]*")


def find(text: str, *, built_suffix: str | None = None) -> list[re.Match]:
    """Every em dash of ``text`` (the character, an entity, a look-alike; in a
    built JSON file, script or style sheet, an escape too)."""
    escapes = built_suffix in _ESCAPING
    if "&" not in text and not any(ch in text for ch in DASHES) \
            and not (escapes and "\\" in text):
        return []
    return list((BUILT_PATTERN if escapes else PATTERN).finditer(text))


def count(text: str, *, built_suffix: str | None = None) -> int:
    """How many em dashes the check finds in ``text``."""
    return len(find(text, built_suffix=built_suffix))


def publication_count(root: Path) -> int:
    """The em dashes the check finds in every source file it reads by default
    (posts, pages, data, the gallery, the templates, mkdocs.yml): the figure
    the home page prints."""
    try:
        paths = source_files(Path(root))
    except UsageError:
        return 0
    total = 0
    for path in paths:
        try:
            total += count(decode_text(path.read_bytes(), path))
        except ContentError:
            continue  # not UTF-8 or not text: the check says so (SP001, SP010)
    return total


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

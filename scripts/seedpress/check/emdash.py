"""SP101, SP102, SP103: the em dash, as a character or an HTML entity, and its fix.

The character is written here only as an escape, and the entities only as
pieces of a pattern, so this file passes its own rule.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from .source import Source

EM_DASH = "\u2014"
#: the character, or an HTML entity for it (named, decimal, hexadecimal)
PATTERN = re.compile("\u2014|&(?:mdash|#0*8212|#[xX]0*2014);")
#: what --fix replaces: the dash with the spaces around it on its line
FIX_PATTERN = re.compile("[ \t]*(?:\u2014|&(?:mdash|#0*8212|#[xX]0*2014);)[ \t]*")


def check(src: Source) -> None:
    text = src.text or ""
    if EM_DASH not in text and "&" not in text:
        return
    for m in PATTERN.finditer(text):
        if src.built:
            src.add_at(m.start(), "SP103", "em dash in the built page "
                       f"({'character' if m.group() == EM_DASH else m.group()})")
        elif m.group() == EM_DASH:
            src.add_at(m.start(), "SP101", "em dash (U+2014): use a comma, colon, "
                       "parentheses or a hyphen")
        else:
            src.add_at(m.start(), "SP102", f"em dash written as the entity {m.group()}")


def fix_text(text: str, replacement: str) -> tuple[str, int]:
    """``text`` with every em dash replaced; returns the new text and the count."""
    def sub(m: re.Match) -> str:
        # At the start of a line keep the indentation and drop a leading separator.
        if m.start() == 0 or m.string[m.start() - 1] in "\r\n":
            return m.group()[: len(m.group()) - len(m.group().lstrip(" \t"))]
        return replacement
    return FIX_PATTERN.subn(sub, text)


def fix_file(path: Path, replacement: str) -> int:
    """Rewrite the em dashes of ``path`` atomically; BOM and line endings are kept.

    Returns the number of replacements (0 leaves the file untouched).
    """
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw[3:].decode("utf-8") if bom else raw.decode("utf-8")
    new, count = fix_text(text, replacement)
    if not count:
        return 0
    data = (b"\xef\xbb\xbf" if bom else b"") + new.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if Path(tmp).read_bytes() != data:
            raise OSError(f"could not verify the rewritten {path}")
        os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count

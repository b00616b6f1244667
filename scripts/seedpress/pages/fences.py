"""SP011: a code block whose fence is never closed.

Python-Markdown, with the superfences extension both engines use, turns a
block into code only when a closing fence follows: the same characters, as
many as opened it (no more, no fewer), at the same indentation. A block that
never closes, or that a line indented less than its fence cuts short, is
left as text: the reader sees the fence and the code as plain paragraphs,
and neither engine says a word. This finds it at the line that opens it,
with a cheap scan of lines (no Markdown conversion), as superfences reads
them; tests/test_editor_mistakes.py holds the scan to the real extension.
"""

from __future__ import annotations

import functools
import re

from .. import codes
from ..diagnostics import Diagnostic
from .render import Origin

#: an opening fence after the line's indentation or blockquote markers: three or
#: more backticks (with no backtick after them) or tildes, then the info string
_OPEN = re.compile(r"(`{3,})[^`]*$|(~{3,}).*$")
#: a line that may open or close a block, found without reading every line
_CANDIDATE = re.compile(r"^[ \t>]*(?:`{3,}|~{3,})", re.M)
_PREFIX = " \t>"
TAB = 4


def _indent(line: str) -> tuple[str, str]:
    """(the line's indentation and blockquote markers, the rest)."""
    i = 0
    while i < len(line) and line[i] in _PREFIX:
        i += 1
    return line[:i], line[i:]


def _width(prefix: str) -> int:
    return len(prefix.expandtabs(TAB))


@functools.lru_cache(maxsize=32)
def _closing(fence: str) -> re.Pattern:
    """A line that closes a block opened by ``fence`` at the left margin."""
    return re.compile("^" + re.escape(fence) + r"[ \t]*$", re.M)


def _scan_block(lines: list[str], i: int, width: int, quoted: bool, fence: str
                ) -> tuple[int | None, int | None]:
    """Read the block opened on ``lines[i]``, as superfences does: (the line that
    closes it, or None; the line indented less than the fence that cuts it, or None)."""
    end = re.compile(re.escape(fence) + r"[ \t]*$")
    for j in range(i + 1, len(lines)):
        line = lines[j]
        if not line.strip(_PREFIX):
            continue
        if quoted:
            if end.match(_indent(line)[1]):
                return j, None
            continue
        inner = line.expandtabs(TAB)
        lead = len(inner) - len(inner.lstrip(" "))
        if lead < width:
            return None, j
        if lead == width and end.match(inner[width:]):
            return j, None
    return None, None


def unclosed_fence(text: str) -> tuple[int, int, str, int | None] | None:
    """The first fenced block of ``text`` that is not closed: (its line, its column,
    the fence line as written, the line that cut it short or None when it runs to
    the end), or None when every block closes.

    Only the lines that hold a fence are looked at, except in a block indented
    (in a list, say) or quoted, where every line must keep the fence's indentation."""
    if "```" not in text and "~~~" not in text:
        return None
    pos, lines = 0, None
    while True:
        m = _CANDIDATE.search(text, pos)
        if m is None:
            return None
        start = m.start()
        stop = text.find("\n", start)
        stop = len(text) if stop < 0 else stop
        prefix, rest = _indent(text[start:stop])
        opened = _OPEN.match(rest)
        if opened is None:
            pos = stop + 1
            continue
        fence = opened.group(1) or opened.group(2)
        number = text.count("\n", 0, start)  # 0-based line of the fence
        width, quoted = _width(prefix), ">" in prefix
        if width == 0 and not quoted:  # at the left margin: only a closing line matters
            close = _closing(fence).search(text, stop + 1) if stop < len(text) else None
            if close is None:
                return number + 1, 1, text[start:stop].strip(), None
            pos = close.end() + 1
            continue
        if lines is None:
            lines = text.split("\n")
        closed, cut = _scan_block(lines, number, width, quoted, fence)
        if closed is None:
            return (number + 1, len(prefix) + 1, lines[number].strip(),
                    None if cut is None else cut + 1)
        pos = sum(len(line) + 1 for line in lines[:closed + 1])


def fence_findings(text: str, origin: Origin) -> list[Diagnostic]:
    """SP011 for the first code block of ``text`` that never closes."""
    found = unclosed_fence(text)
    if found is None:
        return []
    line, column, opening, cut = found
    fence = re.match(r"[`~]+", opening).group()
    why = (f"line {origin.place(cut, 1)[0]} is indented less than the fence, which ends the "
           "block there" if cut is not None else "it runs to the end of the page")
    message = (f"this {opening} block is never closed ({why}): the page would show the fence "
               f"and the code as plain paragraphs; close it with a line of {fence} "
               "at the fence's indentation")
    line, column = origin.place(line, column, opening)
    return [Diagnostic(origin.path, line, column, codes.UNCLOSED_FENCE.code, message,
                       codes.UNCLOSED_FENCE.severity)]

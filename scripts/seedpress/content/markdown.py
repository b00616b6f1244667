"""Which parts of a Markdown file are prose: code, comments and template spans masked.

Masking replaces a span's characters with spaces (newlines kept), so offsets
into the masked text are offsets into the file and line/column stay right.
"""

from __future__ import annotations

import re

_FENCE_OPEN = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


_NOT_NEWLINE = re.compile(r"[^\n]")


def _blanked(m: re.Match) -> str:
    return _NOT_NEWLINE.sub(" ", m.group())


def code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of fenced code blocks, fences included."""
    spans = []
    offset = 0
    open_at = -1
    fence = ""
    for line in text.split("\n"):
        m = _FENCE_OPEN.match(line)
        if open_at < 0:
            if m:
                open_at, fence = offset, m.group(1)
        elif m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
                and not line[m.end():].strip():
            spans.append((open_at, offset + len(line)))
            open_at = -1
        offset += len(line) + 1
    if open_at >= 0:
        spans.append((open_at, len(text)))
    return spans


def markdown_prose(text: str) -> str:
    """The text with fenced code, inline code, templates and comments blanked."""
    if "`" not in text and "{" not in text and "<!--" not in text:
        return text
    if "```" in text or "~~~" in text:
        pieces, last = [], 0
        for start, end in code_spans(text):
            pieces += [text[last:start], _NOT_NEWLINE.sub(" ", text[start:end])]
            last = end
        text = "".join(pieces) + text[last:]
    for pattern in (_TEMPLATE, _COMMENT, _INLINE_CODE):
        text = pattern.sub(_blanked, text)
    return text


def without_templates(text: str) -> str:
    if "{" not in text:
        return text
    return _TEMPLATE.sub(_blanked, text)

"""SP502: relative links in Markdown must point at a file the site has.

MkDocs' strict build stops on a relative link (with a file extension) whose
target is not among the documentation files; this finds the same links
first, with the line and column where the editor wrote them. Links are
resolved as in the build tree: a post is ``blog/posts/<file>``, so a post
links to another post by its file name and to a page as ``../../page.md``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection
from urllib.parse import unquote, urlsplit

from .. import codes
from ..content.markdown import markdown_prose
from ..content.schema import nearest
from ..diagnostics import Diagnostic
from .render import Origin, Positions

_INLINE = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*(<[^>\n]*>|[^)\s]+)"
                     r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_REFERENCE = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)", re.M)


def _targets(text: str) -> list[tuple[int, str]]:
    prose = markdown_prose(text)
    found = [(m.start(1), m.group(1)) for m in _INLINE.finditer(prose)]
    found += [(m.start(1), m.group(1)) for m in _REFERENCE.finditer(prose)]
    return sorted(found)


def resolve(page_uri: str, url: str) -> str | None:
    """The docs-relative file a relative link with an extension points at, or None
    when the build does not look it up (external, absolute, anchor-only, no
    extension)."""
    url = url.strip("<>")
    scheme, netloc, path, _query, _anchor = urlsplit(url)
    if scheme or netloc or url.startswith(("/", "\\")) or not path:
        return None
    path = unquote(path)
    if not posixpath.splitext(path)[-1]:
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_uri), path))


def link_findings(text: str, page_uri: str, known: Collection[str], origin: Origin
                  ) -> list[Diagnostic]:
    """A finding for each relative link in ``text`` (a page at ``page_uri`` of the
    build tree) whose target is not in ``known``."""
    if "](" not in text and "]:" not in text:
        return []
    pos = Positions(text)
    out = []
    for offset, url in _targets(text):
        target = resolve(page_uri, url)
        if target is None or target in known:
            continue
        near = nearest(posixpath.basename(target), [posixpath.basename(k) for k in known
                                                    if k.endswith(posixpath.splitext(target)[1])])
        hint = ""
        if near:
            match = next(k for k in known if posixpath.basename(k) == near)
            rel = posixpath.relpath(match, posixpath.dirname(page_uri) or ".")
            hint = f"; did you mean '{rel}'?"
        line, column = pos.at(offset)
        line, column = origin.place(line, column, url)
        out.append(Diagnostic(origin.path, line, column, codes.BROKEN_LINK.code,
                              f"link to {url.strip('<>')!r}: the site has no {target}{hint}",
                              codes.BROKEN_LINK.severity))
    return out

"""SP502 and SP503: relative links in Markdown must point at a file the site
has, and a link's ``#fragment`` at an id that page has.

MkDocs' strict build stops on a relative link (with a file extension) whose
target is not among the documentation files; this finds the same links
first, with the line and column where the editor wrote them. Links are
resolved as in the build tree: a post is ``blog/posts/<file>``, so a post
links to another post by its file name and to a page as ``../../page.md``.

Zensical's strict build also stops on a link to a heading its page does not
have (MkDocs only logs it, and the reader lands at the top of the page), so
the stage judges fragments too. A page's ids are found as the engines make
them: its Markdown, computed names rendered, converted with the
``markdown_extensions`` of mkdocs.yml (the table of contents' heading slugs,
``{ #id }`` from attr_list, footnotes, raw HTML), once per page and only for
pages some link points into.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Collection
from typing import Any
from urllib.parse import unquote, urlsplit

from .. import codes
from ..content.markdown import markdown_prose
from ..content.schema import nearest
from ..diagnostics import Diagnostic
from .render import Origin, Positions

_INLINE = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*(<[^>\n]*>|[^)\s]+)"
                     r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_REFERENCE = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)", re.M)


#: a relative link to a file (a path with an extension), found cheaply first
_NOT_RELATIVE = r"(?![A-Za-z][\w+.-]*:|[/\\#])"
_LINK_HINT = re.compile(
    rf"\]\(\s*<?{_NOT_RELATIVE}[^)\s>#?]*\.\w|\]\(\s*<{_NOT_RELATIVE}[^>\n#?]*\.\w"
    rf"|^[ ]{{0,3}}\[[^\]\n]+\]:[ \t]*<?{_NOT_RELATIVE}[^\s>#?]*\.\w"
    rf"|^[ ]{{0,3}}\[[^\]\n]+\]:[ \t]*<{_NOT_RELATIVE}[^>\n#?]*\.\w", re.M)


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
    if not _LINK_HINT.search(text):
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


# -- fragments (SP503) ----------------------------------------------------------

#: a link whose URL has a "#": what anchor_findings looks at, found cheaply first
_FRAGMENT_HINT = re.compile(r"\]\(\s*<?[^)\s#]*#|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?[^\s#]*#", re.M)
_IDS = re.compile(r"""<[A-Za-z][^>]*?\s(?:id|name)\s*=\s*["']([^"']+)["']""")


def markdown_settings(config: dict[str, Any]) -> tuple[list[str], dict[str, dict]]:
    """The extensions and their options from a config's ``markdown_extensions``
    (MkDocs' form: a name, or a mapping of one name to its options)."""
    names: list[str] = []
    options: dict[str, dict] = {}
    entries = config.get("markdown_extensions") if isinstance(config, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, str):
            names.append(entry)
        elif isinstance(entry, dict) and len(entry) == 1:
            name, opts = next(iter(entry.items()))
            names.append(str(name))
            if isinstance(opts, dict):
                options[str(name)] = opts
    return names, options


class PageAnchors:
    """The ids each page of the tree has, found the first time a link points into it.

    ``body`` gives a page's Markdown with its computed names rendered (None when
    the tree has no such page, or it does not render: that is reported on its
    own)."""

    def __init__(self, body: Callable[[str], str | None], config: dict[str, Any]):
        self._body = body
        self._settings = markdown_settings(config)
        self._ids: dict[str, frozenset[str] | None] = {}
        self._md: Any = None

    def ids(self, uri: str) -> frozenset[str] | None:
        if uri not in self._ids:
            text = self._body(uri)
            self._ids[uri] = None if text is None else self._convert(text)
        return self._ids[uri]

    def ids_of_text(self, text: str) -> frozenset[str] | None:
        """The ids of a page given as rendered Markdown (one outside the tree)."""
        key = "\0" + text
        if key not in self._ids:
            self._ids[key] = self._convert(text)
        return self._ids[key]

    def _convert(self, text: str) -> frozenset[str] | None:
        import markdown

        names, options = self._settings
        try:
            if self._md is None:  # one converter for every page, reset between them
                self._md = markdown.Markdown(extensions=names, extension_configs=options)
            html = self._md.reset().convert(text)
        except (ImportError, AttributeError, TypeError, KeyError, ValueError):
            return None  # an extension the config names badly: the engine says so
        return frozenset(_IDS.findall(html))


def _fragment_target(page_uri: str, url: str) -> tuple[str, str] | None:
    """(the page a link with a fragment points into, the fragment), or None."""
    url = url.strip("<>")
    if "#" not in url:
        return None
    before, _, fragment = url.partition("#")
    fragment = unquote(fragment)
    if not fragment:
        return None
    if not before:
        return page_uri, fragment
    target = resolve(page_uri, before)
    if target is None or not target.endswith(".md"):
        return None
    return target, fragment


def anchor_findings(text: str, page_uri: str, anchors: PageAnchors, origin: Origin,
                    own: Callable[[], str | None] | None = None) -> list[Diagnostic]:
    """A finding for each link in ``text`` (a page at ``page_uri``) whose
    ``#fragment`` names no id of the page it points into. ``own`` gives this
    page's rendered Markdown when it is not a page of the tree (a file the
    ship check was pointed at)."""
    if not _FRAGMENT_HINT.search(text):
        return []
    pos: Positions | None = None
    out = []
    for offset, url in _targets(text):
        found = _fragment_target(page_uri, url)
        if found is None:
            continue
        target, fragment = found
        ids = None
        if target == page_uri and own is not None:
            mine = own()
            ids = anchors.ids_of_text(mine) if mine is not None else None
        if ids is None:
            ids = anchors.ids(target)
        if ids is None or fragment in ids:
            continue
        near = nearest(fragment, sorted(ids))
        hint = f"; did you mean '#{near}'?" if near else ""
        pos = pos or Positions(text)
        line, column = pos.at(offset)
        line, column = origin.place(line, column, url)
        where = "this page" if target == page_uri else target
        out.append(Diagnostic(origin.path, line, column, codes.BROKEN_ANCHOR.code,
                              f"link to {url.strip('<>')!r}: {where} has no heading or id "
                              f"'{fragment}'{hint}", codes.BROKEN_ANCHOR.severity))
    return out

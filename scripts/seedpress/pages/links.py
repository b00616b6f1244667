"""SP502, SP503 and SP504: relative links in Markdown must point at a file the
site has, a link's ``#fragment`` at an id that page has, and a link written
as an address from the root of the host (``/blog/slug/``) at a page the site
has at that address.

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

Neither engine checks a link that starts with ``/``: MkDocs notes it and
leaves it, Zensical says nothing. The site is published under the path of
``site_url`` (``/seedpress/``), so ``/blog/slug/`` leads off the site, a 404
for readers. :func:`absolute_findings` judges such links against the
addresses the site's pages and files will have (:class:`SiteAddresses`) and
names the relative link to write, which the build checks and rewrites.
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
from ..content.source import Positions
from ..diagnostics import Diagnostic
from .render import Origin
from .settings import Settings

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


#: where the blog's posts are in the build tree (the blog plugin's blog_dir + "posts")
_POSTS = "blog/posts/"
#: files beside a post that the build publishes with it (see generate.post_assets)
MEDIA_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".mp4", ".webm")


def _where_files_go(target: str, page_uri: str) -> str:
    """What to do about a file (not a page) the site does not have."""
    name = posixpath.basename(target)
    if page_uri.startswith(_POSTS):
        beside = posixpath.relpath(target, posixpath.dirname(page_uri))
        if beside.startswith("../"):
            beside = f"img/{name}"
        assets = posixpath.relpath(f"assets/{name}", posixpath.dirname(page_uri))
        return (f"; put the file beside the post (posts/{beside}, linked as {beside}) or "
                f"under docs/assets/ (linked as {assets}); only images and videos beside "
                f"posts are published ({', '.join(s[1:] for s in MEDIA_SUFFIXES)})")
    return f"; files go under docs/ (images in docs/assets/, linked as " \
           f"{posixpath.relpath(f'assets/{name}', posixpath.dirname(page_uri) or '.')})"


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
        elif not target.endswith(".md"):
            hint = _where_files_go(target, page_uri)
        line, column = pos.at(offset)
        line, column = origin.place(line, column, url)
        out.append(Diagnostic(origin.path, line, column, codes.BROKEN_LINK.code,
                              f"link to {url.strip('<>')!r}: the site has no {target}{hint}",
                              codes.BROKEN_LINK.severity))
    return out


# -- addresses from the root of the host (SP504) -------------------------------------

#: a link whose URL starts with one "/": what absolute_findings looks at, found cheaply
_ABSOLUTE_HINT = re.compile(r"\]\(\s*<?/(?!/)|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?/(?!/)"
                            r"|(?:href|src)\s*=\s*[\"']/(?!/)", re.M)
_HTML_URL = re.compile(r"""(?:href|src)\s*=\s*(["'])(/(?!/)[^"'\s]*)\1""")


class SiteAddresses:
    """Every address the built site answers, from its root path (``site_url``'s),
    and the file of the build tree each one is made from (None for the pages the
    blog generates: categories, archive years, feeds)."""

    def __init__(self, base: str, addresses: dict[str, str | None],
                 lenient: tuple[str, ...] = ()):
        #: the site's path on its host, "/seedpress/" (always ends with "/")
        self.base = base
        self.addresses = addresses
        #: address prefixes whose pages cannot be listed (paginated listings)
        self.lenient = lenient

    def find(self, address: str) -> tuple[bool, str | None]:
        """(whether the site has ``address``, given relative to the base; its file)."""
        candidates = [address]
        if address.endswith("index.html"):
            candidates.append(address[:-len("index.html")])
        elif not address.endswith("/") and not posixpath.splitext(address)[1]:
            candidates.append(address + "/")
        for candidate in candidates:
            if candidate in self.addresses:
                return True, self.addresses[candidate]
            if self.lenient and candidate.startswith(self.lenient):
                return True, None
        return False, None


def page_address(uri: str, directory_urls: bool = True) -> str:
    """The address (from the site's root path) of the page made from ``uri``."""
    stem = uri[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-len("index")]
    return stem + "/" if directory_urls else stem + ".html"


def site_addresses(settings: Settings, known: Collection[str],
                   posts: list[tuple[str, str, int | None, list[str]]]) -> SiteAddresses:
    """The addresses of a site with ``settings``, the build tree's files ``known``
    and its posts as (uri, slug, year created, categories)."""
    directory_urls = settings.directory_urls
    addresses: dict[str, str | None] = {}
    post_uris = {uri for uri, _, _, _ in posts}
    blog = settings.plugin("blog") is not None
    blog_dir = settings.blog_dir
    post_dir = settings.posts_uri + "/"
    for uri in known:
        if uri in post_uris:
            continue
        if uri.endswith(".md"):
            addresses[page_address(uri, directory_urls)] = uri
        elif blog and uri.startswith(post_dir):
            # the blog publishes files beside posts without the posts folder
            addresses[f"{blog_dir}/{uri[len(post_dir):]}"] = uri
        else:
            addresses[uri] = uri
    lenient: list[str] = []
    if blog:
        modelled = settings.post_urls_modelled
        years, categories = set(), set()
        for uri, slug, year, cats in posts:
            if modelled:
                addresses[settings.post_url(slug, uri)] = uri
            if year is not None:
                years.add(year)
            categories.update(cats)
        if not modelled:
            lenient.append(f"{blog_dir}/")
        if settings.blog.get("archive") is not False:
            for year in years:
                addresses[settings.archive_url(year)] = None
        if settings.blog.get("categories") is not False:
            for name in categories:
                addresses[settings.category_url(name)] = None
        lenient.append(f"{blog_dir}/page/")
    for name in settings.feed_files():
        addresses[name] = None
    for name in ("sitemap.xml", "sitemap.xml.gz", "404.html"):
        addresses[name] = None
    return SiteAddresses(settings.base_path, addresses, tuple(lenient))


def _absolute_targets(text: str) -> list[tuple[int, str, bool]]:
    """(offset, url, written in raw HTML) of every link that starts with one "/"."""
    found = [(o, u.strip("<>"), False) for o, u in _targets(text)]
    found += [(m.start(2), m.group(2), True) for m in _HTML_URL.finditer(markdown_prose(text))]
    return sorted((o, u, html) for o, u, html in found
                  if u.startswith("/") and not u.startswith("//"))


def absolute_findings(text: str, page_uri: str, addresses: SiteAddresses, origin: Origin
                      ) -> list[Diagnostic]:
    """A finding for each link in ``text`` (a page at ``page_uri``) written as an
    address from the root of the host that is not one of the site's, with the
    link to write instead."""
    if not _ABSOLUTE_HINT.search(text):
        return []
    pos = Positions(text)
    base = addresses.base
    here = posixpath.dirname(page_uri) or "."
    out = []
    for offset, url, html in _absolute_targets(text):
        path, _, fragment = url.partition("#")
        path = unquote(urlsplit(path).path)
        tail = f"#{fragment}" if fragment else ""
        inside = path.startswith(base) or path + "/" == base
        address = path[len(base):] if inside else path.lstrip("/")
        found, source = addresses.find(address)
        if found and inside:
            continue
        if found:
            write = posixpath.relpath(source, here) + tail if source else base + address + tail
            what = (f"{url!r} starts at the root of the host, but the site is published under "
                    f"{base}, so readers get a 404")
            if html and source:
                what += f"; write it as a Markdown link to the file instead: {write!r}"
            elif source:
                what += f"; link to the file instead: {write!r}"
            else:
                what += f"; write {write!r} instead"
        else:
            near = nearest(address, sorted(addresses.addresses))
            what = f"{url!r}: the site has no page at that address"
            what += (f" (it is published under {base}; a link from the root of the host is a "
                     "404 for readers)" if base != "/" else "")
            if near is not None:
                source = addresses.addresses[near]
                write = posixpath.relpath(source, here) + tail if source else base + near
                what += f"; did you mean {write!r}?"
        line, column = pos.at(offset)
        line, column = origin.place(line, column, url)
        out.append(Diagnostic(origin.path, line, column, codes.ABSOLUTE_LINK.code,
                              f"link to {what}", codes.ABSOLUTE_LINK.severity))
    return out


# -- fragments (SP503) ----------------------------------------------------------

#: a link whose URL has a "#": what anchor_findings looks at, found cheaply first
_FRAGMENT_HINT = re.compile(r"\]\(\s*<?[^)\s#]*#|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?[^\s#]*#", re.M)
_IDS = re.compile(r"""<[A-Za-z][^>]*?\s(?:id|name)\s*=\s*["']([^"']+)["']""")


class PageAnchors:
    """The ids each page of the tree has, found the first time a link points into it.

    ``body`` gives a page's Markdown with its computed names rendered (None when
    the tree has no such page, or it does not render: that is reported on its
    own)."""

    def __init__(self, body: Callable[[str], str | None], settings: Settings):
        self._body = body
        self._settings = settings.markdown_settings()
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

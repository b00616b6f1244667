"""The build tree's pages as the stage and the check read them: where each page and
file sits, what links may point at, and what would stop the build in one page.

A page of docs/ keeps its path; a post of posts/ sits under the blog's post
folder (``blog/posts/<file>``, :attr:`Settings.posts_uri`), with the images
beside it. The generation stage (:mod:`seedpress.site.generate`) lays the
tree out with these functions and the ship check resolves links with the
same ones (:func:`page_findings`: expressions, code blocks never closed,
links, addresses from the host's root, fragments), so whatever would stop
the build stops the check first, at the same line and column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content.pages import read_page
from ..content.posts import Post
from ..content.schema import Findings
from ..content.source import read_text
from ..diagnostics import Diagnostic, display_path
from ..errors import ContentError
from .data import SiteData
from .fences import fence_findings
from .links import (
    MEDIA_SUFFIXES,
    PageAnchors,
    SiteAddresses,
    absolute_findings,
    anchor_findings,
    link_findings,
    site_addresses,
)
from .render import Origin, RenderCache, render_text, template_findings

#: folders of docs/ that are not pages of their own
_SKIP_DIRS = {"__pycache__"}


@dataclass
class PageSource:
    """A Markdown file the stage turns into a page of the tree (a page of docs/ or a post)."""

    uri: str
    path: Path
    display: str
    text: str
    #: the front matter block as written (with its fences), "" when none
    front: str
    body: str
    body_line: int
    post: Post | None = None

    @property
    def origin(self) -> Origin:
        return Origin(self.display, self.body_line - 1)


def root_docs(path: Path, uri: str) -> Path:
    """The docs folder a page at ``uri`` was read from."""
    return Path(str(path)[: -len(uri)]) if str(path).endswith(uri) else path.parent


def read_source(path: Path, uri: str, root: Path, text: str | None = None,
                post: Post | None = None, findings: Findings | None = None) -> PageSource:
    """A page or post as a page of the tree; a page's front matter findings go
    to ``findings``."""
    text = read_text(path) if text is None else text
    display = display_path(path, root)
    if post is not None:
        lines = text.split("\n")
        front = "\n".join(lines[:post.body_line - 1]) + "\n"
        return PageSource(uri, path, display, text, front, post.body, post.body_line, post)
    f = findings if findings is not None else Findings(path, display=display)
    page = read_page(path, text, f, root_docs(path, uri))
    return PageSource(uri, path, display, text, page.front, page.body, page.body_line)


def page_sources(data: SiteData, problems: list[Diagnostic] | None = None) -> list[PageSource]:
    """docs/**/*.md and the published posts, as pages of the tree (findings in
    pages' front matter are added to ``problems``)."""
    docs = data.publication.docs_dir
    out: list[PageSource] = []
    for path in sorted(docs.rglob("*.md")):
        rel = path.relative_to(docs)
        if any(p in _SKIP_DIRS or p.startswith(".") for p in rel.parts[:-1]):
            continue
        uri = rel.as_posix()
        if uri.startswith(data.settings.posts_uri + "/"):
            continue  # posts come from posts/
        f = Findings(path, display=display_path(path, data.root))
        out.append(read_source(path, uri, data.root, findings=f))
        if problems is not None:
            problems.extend(f.items if f.blocking else [])
    for post in data.posts:
        uri = data.post_uri(post.path)
        out.append(read_source(post.path, uri, data.root, post.text, post))
    return out


def post_assets(data: SiteData) -> dict[str, Path]:
    """uri -> file, for every image and video in posts/ (``posts/img/boat.jpg`` is
    ``blog/posts/img/boat.jpg``, so a post links it as ``img/boat.jpg``)."""
    posts = data.publication.posts_dir
    if not posts.is_dir():
        return {}
    found = {}
    for path in sorted(posts.rglob("*")):
        rel = path.relative_to(posts)
        if path.suffix.lower() in MEDIA_SUFFIXES and path.is_file() \
                and not any(p.startswith(".") for p in rel.parts):
            found[f"{data.settings.posts_uri}/{rel.as_posix()}"] = path
    return found


def known_uris(data: SiteData, generated: list[str] = ()) -> set[str]:
    """Every file of the build tree a link may point at."""
    docs = data.publication.docs_dir
    found = {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()}
    found = {u for u in found if not u.startswith(data.settings.posts_uri + "/")}
    for post in data.posts:
        found.add(data.post_uri(post.path))
    found.update(post_assets(data))
    found.update(generated)
    return found


def addresses(data: SiteData, known: set[str]) -> SiteAddresses:
    """Where every page and file of the build tree is on the published site."""
    posts = [(data.post_uri(p.path), p.slug, p.created.year if p.created else None,
              p.categories) for p in data.posts if not p.draft]
    return site_addresses(data.settings, known, posts)


def page_findings(src: PageSource, names: dict[str, Any], known: set[str],
                  cache: RenderCache | None = None, anchors: PageAnchors | None = None,
                  site: SiteAddresses | None = None) -> list[Diagnostic]:
    """Everything this stage would stop on in one page, found without writing it:
    its template errors (by the renderer), a code block never closed, its broken
    links, addresses and fragments."""
    found = template_findings(src.body, names, src.origin, cache)
    found += fence_findings(src.body, src.origin)
    found += link_findings(src.body, src.uri, known, src.origin)
    if site is not None:
        found += absolute_findings(src.body, src.uri, site, src.origin)
    if anchors is not None:
        def own() -> str | None:
            try:
                return render_text(src.body, names, src.origin)
            except ContentError:
                return None

        found += anchor_findings(src.body, src.uri, anchors, src.origin, own)
    return found


def body_lookup(data: SiteData, names: dict[str, Any]) -> Callable[[str], str | None]:
    """uri -> that page's Markdown with its computed names rendered (None when
    the tree has no such page or it does not render, which is reported on its
    own); the pages are read when first asked for."""
    sources: dict[str, PageSource] = {}

    def body(uri: str) -> str | None:
        if not sources:
            sources.update((s.uri, s) for s in page_sources(data))
        src = sources.get(uri)
        if src is None:
            return None
        try:
            return render_text(src.body, names, src.origin)
        except ContentError:
            return None

    return body



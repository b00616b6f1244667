"""The generation stage: from posts/, docs/, data/ and gallery/ to a plain build tree.

In the spirit of Pelican's generators and writers, this is where every
page the reader sees is made, with no engine involved:

- every Markdown page of docs/ and every post of posts/ (under
  ``blog/posts/``), with its computed names rendered by the one renderer,
  and each post's "Last reviewed" line (and, while serving, its stale
  warning) under its title;
- the images and videos beside posts in posts/ (``posts/img/boat.jpg`` is
  ``blog/posts/img/boat.jpg`` of the tree, so a post shows it as
  ``img/boat.jpg``; both engines publish it at ``blog/img/boat.jpg``);
- the estimator's JSON, the site's CSS bundle;
- the settings the engines need from the data (the blog's category
  allow-list, the CSS list, what templates show: ``extra.seedpress``).

:func:`generate` returns that :class:`Tree`; the MkDocs hook serves it to
MkDocs as it builds (so ``mkdocs serve`` reloads on every change), and
:func:`write_tree` writes it with a config of its own for an engine that has
no hooks (Zensical). The ship check runs the same validators, the same
renderer and the same link rules (:func:`page_findings`: links, fragments,
addresses from the host's root, code blocks never closed), so it rejects
first whatever this stage would stop on, at the same line and column.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import clock
from ..content.pages import read_page
from ..content.posts import Post, has_post_front_matter
from ..content.schema import Findings
from ..content.source import read_text
from ..diagnostics import ContentError, Diagnostic, display_path
from . import pricing_markup, reading, reviewed, stylesheets
from .data import SiteData, gather
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
from .page_names import names_for_page, page_bases, page_names
from .render import Origin, RenderCache, render_text, template_findings

#: where posts sit in the build tree (the blog plugin's blog_dir + "posts")
POSTS_URI = "blog/posts"
#: folders of docs/ that are not pages of their own
_SKIP_DIRS = {"__pycache__"}


@dataclass
class Source:
    """A Markdown file the stage turns into a page of the tree."""

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


@dataclass
class Tree:
    root: Path
    docs_dir: Path
    #: uri -> generated Markdown, for every page and post
    pages: dict[str, str] = field(default_factory=dict)
    #: uri -> the file it was made from
    sources: dict[str, Path] = field(default_factory=dict)
    #: uri -> generated file that is not a page (JSON, CSS)
    files: dict[str, str] = field(default_factory=dict)
    #: the engine settings the data decides (merged into mkdocs.yml)
    extra_css: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    data: SiteData | None = None
    #: uri -> an image or video beside a post in posts/, published with it
    assets: dict[str, Path] = field(default_factory=dict)


def _display(path: Path, root: Path) -> str:
    return display_path(path, root)


def root_docs(path: Path, uri: str) -> Path:
    """The docs folder a page at ``uri`` was read from."""
    return Path(str(path)[: -len(uri)]) if str(path).endswith(uri) else path.parent


def read_source(path: Path, uri: str, root: Path, text: str | None = None,
                post: Post | None = None, findings: Findings | None = None) -> Source:
    """A page or post as a page of the tree; a page's front matter findings go
    to ``findings``."""
    text = read_text(path) if text is None else text
    display = _display(path, root)
    if post is not None:
        lines = text.split("\n")
        front = "\n".join(lines[:post.body_line - 1]) + "\n"
        return Source(uri, path, display, text, front, post.body, post.body_line, post)
    f = findings if findings is not None else Findings(path, display=display)
    page = read_page(path, text, f, root_docs(path, uri))
    return Source(uri, path, display, text, page.front, page.body, page.body_line)


def page_sources(data: SiteData, problems: list[Diagnostic] | None = None) -> list[Source]:
    """docs/**/*.md and the published posts, as pages of the tree (findings in
    pages' front matter are added to ``problems``)."""
    docs = data.publication.docs_dir
    out: list[Source] = []
    for path in sorted(docs.rglob("*.md")):
        rel = path.relative_to(docs)
        if any(p in _SKIP_DIRS or p.startswith(".") for p in rel.parts[:-1]):
            continue
        uri = rel.as_posix()
        if uri.startswith(POSTS_URI + "/"):
            continue  # posts come from posts/
        f = Findings(path, display=_display(path, data.root))
        out.append(read_source(path, uri, data.root, findings=f))
        if problems is not None:
            problems.extend(f.items if f.blocking else [])
    for post in data.posts:
        uri = f"{POSTS_URI}/{post.path.relative_to(data.publication.posts_dir).as_posix()}"
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
            found[f"{POSTS_URI}/{rel.as_posix()}"] = path
    return found


def known_uris(data: SiteData, generated: list[str] = ()) -> set[str]:
    """Every file of the build tree a link may point at."""
    docs = data.publication.docs_dir
    found = {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()}
    found = {u for u in found if not u.startswith(POSTS_URI + "/")}
    for post in data.posts:
        found.add(f"{POSTS_URI}/{post.path.relative_to(data.publication.posts_dir).as_posix()}")
    found.update(post_assets(data))
    found.update(generated)
    return found


def addresses(data: SiteData, known: set[str], config: dict[str, Any]) -> SiteAddresses:
    """Where every page and file of the build tree is on the published site."""
    posts = [(f"{POSTS_URI}/{p.path.relative_to(data.publication.posts_dir).as_posix()}",
              p.slug, p.created.year if p.created else None, p.categories)
             for p in data.posts if not p.draft]
    return site_addresses(config, known, posts)


def page_findings(src: Source, names: dict[str, Any], known: set[str],
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


def site_config(root: Path) -> dict[str, Any]:
    """mkdocs.yml of ``root`` as plain data ({} when missing or unreadable: the
    engine reports its own config's errors)."""
    config_path = root / "mkdocs.yml"
    if not config_path.is_file():
        return {}
    try:
        config = yaml.load(read_text(config_path), Loader=_ConfigLoader) or {}
    except (yaml.YAMLError, ContentError):
        return {}
    return config if isinstance(config, dict) else {}


def body_lookup(data: SiteData, names: dict[str, Any]) -> Callable[[str], str | None]:
    """uri -> that page's Markdown with its computed names rendered (None when
    the tree has no such page or it does not render, which is reported on its
    own); the pages are read when first asked for."""
    sources: dict[str, Source] = {}

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


#: the front matter key that tells templates where a post is edited (posts/...)
SOURCE_KEY = "sp_source"


def _front(src: Source, added: list[str]) -> str:
    """The source's front matter with ``added`` lines at its end."""
    if not added:
        return src.front
    if not src.front:
        return "\n".join(["---", *added, "---"]) + "\n"
    lines = src.front.rstrip("\n").split("\n")
    return "\n".join([*lines[:-1], *added, lines[-1]]) + "\n"


def _post_page(src: Source, body: str, data: SiteData, serving: bool, added: list[str]) -> str:
    """A post of the tree: its own front matter plus where it is edited (and
    what the theme prints around it: footer links, "Read next"), its body with
    the review line under the title."""
    post = src.post
    note = reviewed.markdown_note(post, today=data.today,
                                  max_age_days=data.publication.max_age_days, serving=serving)
    rel = post.path.relative_to(data.root).as_posix()
    body = reviewed.after_title(body, note)
    return _front(src, [f"{SOURCE_KEY}: {rel}", *added]) + body.rstrip("\n") + "\n"


def _title(src: Source) -> str:
    """A page's title as the engines take it: its front matter's, else its first heading."""
    lines = src.front.rstrip("\n").split("\n")
    try:
        meta = yaml.safe_load("\n".join(lines[1:-1])) if len(lines) > 2 else None
    except yaml.YAMLError:
        meta = None
    if isinstance(meta, dict) and isinstance(meta.get("title"), str):
        return meta["title"]
    heading = re.search(r"^#\s+(.+?)\s*#*\s*$", src.body, re.M)
    return heading.group(1) if heading else src.uri


def reading_order(data: SiteData, sources: list[Source]) -> dict[str, list[str]]:
    """uri -> the front matter lines of its footer links (posts by date, pages by
    the navigation of the root's mkdocs.yml)."""
    config = site_config(data.root)
    by_uri = {s.uri: s for s in sources}
    nav = [(uri, title or (_title(by_uri[uri]) if uri in by_uri else uri))
           for uri, title in reading.nav_pages(config)]
    links = reading.footer_links(data.posts, data.publication.posts_dir, POSTS_URI, nav)
    return {uri: reading.footer_front_matter(pair) for uri, pair in links.items()}


class _ConfigLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """mkdocs.yml with its !ENV and !relative tags read as plain values."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def site_extra(data: SiteData) -> dict[str, Any]:
    """What the theme's templates read from ``config.extra.seedpress``."""
    return {
        "categories": list(data.publication.categories),
        "repo_posts": "posts",
    }


def generate(root: Path, *, today: dt.date | None = None, serving: bool = False,
             extra_css: list[str] | None = None, engine: str = "mkdocs") -> Tree:
    """The build tree of the publication at ``root`` for ``engine`` (the two
    resolve relative URLs in raw HTML differently: see page_bases); raises one
    ContentError naming every finding the build stops on, in every file."""
    gathered = gather(root, today or clock.today())
    if gathered.blocking:
        raise ContentError(gathered.blocking)
    data = gathered.data
    tree = Tree(root=root, docs_dir=data.publication.docs_dir, data=data)
    config = site_config(root)
    data.site_url = str(config.get("site_url") or "")
    directory_urls = config.get("use_directory_urls", True) is not False
    names = page_names(data)
    problems: list[Diagnostic] = []

    pricing = data.models["pricing"]
    tree.files[pricing_markup.ESTIMATOR_JSON] = pricing_markup.estimator_json(pricing)
    css, bundle = stylesheets.plan(tree.docs_dir, list(extra_css or []))
    tree.extra_css = css
    if bundle is not None:
        tree.files[bundle.uri] = bundle.text

    from .faq_markup import answer_link_findings, fill

    faq, rules = data.models["faq"], data.models["rules"]
    for entry in faq.entries:
        try:
            fill(entry, names, faq)
        except ContentError as err:
            problems.extend(err.diagnostics)
    for item in rules.rules:
        try:
            names["rule"](item.id)
        except ContentError as err:
            problems.extend(err.diagnostics)
    nested = {display_path(faq.path), display_path(rules.path)}

    sources = page_sources(data, problems)
    known = known_uris(data, list(tree.files))
    config = site_config(root)
    site = addresses(data, known, config)
    tree.assets = post_assets(data)
    footers = reading_order(data, sources)
    picks = reading.related(data.posts)
    bodies: dict[str, str] = {}
    for src in sources:
        own = names_for_page(names, *page_bases(src.uri, engine, directory_urls))
        try:
            body = render_text(src.body, own, src.origin)
        except ContentError as err:
            problems.extend(d for d in err.diagnostics if d.path not in nested)
            continue
        problems.extend(fence_findings(src.body, src.origin))
        problems.extend(link_findings(src.body, src.uri, known, src.origin))
        problems.extend(absolute_findings(src.body, src.uri, site, src.origin))
        bodies[src.uri] = body
        added = footers.get(src.uri, [])
        if src.post:
            added = added + reading.read_next_front_matter(src.post,
                                                           picks.get(src.post.path, []))
            page = _post_page(src, body, data, serving, added)
        else:
            page = _front(src, added) + body
        tree.pages[src.uri] = page
        tree.sources[src.uri] = src.path
    anchors = PageAnchors(bodies.get, config)
    for src in sources:
        problems.extend(anchor_findings(src.body, src.uri, anchors, src.origin))
    problems.extend(answer_link_findings(faq, known, anchors, site))
    if problems:
        raise ContentError(sorted(problems, key=lambda d: (d.path, d.line, d.column)))
    tree.categories = list(data.publication.categories)
    tree.extra = {"seedpress": site_extra(data)}
    return tree


def _link_or_copy(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dest)
    except OSError:
        shutil.copy2(src, dest)


def write_tree(tree: Tree, out: Path) -> Path:
    """The tree as files under ``out/docs`` (static files of docs/ hard-linked or
    copied beside the generated pages); returns that folder."""
    docs_out = out / "docs"
    if docs_out.exists():
        shutil.rmtree(docs_out)
    for path in sorted(tree.docs_dir.rglob("*")):
        if not path.is_file():
            continue
        uri = path.relative_to(tree.docs_dir).as_posix()
        if uri in tree.pages or uri.startswith(POSTS_URI + "/"):
            continue
        _link_or_copy(path, docs_out / uri)
    for uri, path in tree.assets.items():
        _link_or_copy(path, docs_out / uri)
    for uri, text in {**tree.pages, **tree.files}.items():
        dest = docs_out / uri
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")
    return docs_out


__all__ = ["POSTS_URI", "Source", "Tree", "addresses", "generate", "has_post_front_matter",
           "page_findings", "page_sources", "post_assets", "read_source", "write_tree"]

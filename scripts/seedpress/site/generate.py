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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import clock
from ..diagnostics import Diagnostic, display_path
from ..errors import ContentError
from ..pages import pricing_markup
from ..pages.data import SiteData, gather
from ..pages.faq_markup import answer_link_findings, fill
from ..pages.fences import fence_findings
from ..pages.links import PageAnchors, absolute_findings, anchor_findings, link_findings
from ..pages.page_names import names_for_page, page_bases, page_names
from ..pages.render import render_text
from ..pages.settings import Settings
from ..pages.tree import PageSource, addresses, known_uris, page_sources, post_assets
from . import reading, reviewed, stylesheets


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


#: the front matter key that tells templates where a post is edited (posts/...)
SOURCE_KEY = "sp_source"


def _front(src: PageSource, added: list[str]) -> str:
    """The source's front matter with ``added`` lines at its end."""
    if not added:
        return src.front
    if not src.front:
        return "\n".join(["---", *added, "---"]) + "\n"
    lines = src.front.rstrip("\n").split("\n")
    return "\n".join([*lines[:-1], *added, lines[-1]]) + "\n"


def _post_page(src: PageSource, body: str, data: SiteData, serving: bool, added: list[str]) -> str:
    """A post of the tree: its own front matter plus where it is edited (and
    what the theme prints around it: footer links, "Read next"), its body with
    the review line under the title."""
    post = src.post
    note = reviewed.markdown_note(post, today=data.today,
                                  max_age_days=data.publication.max_age_days, serving=serving)
    rel = post.path.relative_to(data.root).as_posix()
    body = reviewed.after_title(body, note)
    return _front(src, [f"{SOURCE_KEY}: {rel}", *added]) + body.rstrip("\n") + "\n"


def _title(src: PageSource) -> str:
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


def reading_order(data: SiteData, sources: list[PageSource]) -> dict[str, list[str]]:
    """uri -> the front matter lines of its footer links (posts by date, pages by
    the navigation of the settings the build was given)."""
    by_uri = {s.uri: s for s in sources}
    nav = [(uri, title or (_title(by_uri[uri]) if uri in by_uri else uri))
           for uri, title in data.settings.nav_pages()]
    links = reading.footer_links(data, nav)
    return {uri: reading.footer_front_matter(pair) for uri, pair in links.items()}


def site_extra(data: SiteData) -> dict[str, Any]:
    """What the theme's templates read from ``config.extra.seedpress``."""
    return {
        "categories": list(data.publication.categories),
        "repo_posts": "posts",
    }


def generate(root: Path, *, today: dt.date | None = None, serving: bool = False,
             settings: Settings | None = None, engine: str = "mkdocs") -> Tree:
    """The build tree of the publication at ``root`` for ``engine`` (the two
    resolve relative URLs in raw HTML differently: see page_bases), laid out by
    ``settings`` (what MkDocs parsed, or ``root``'s mkdocs.yml); raises one
    ContentError naming every finding the build stops on, in every file."""
    gathered = gather(root, today or clock.today(), settings=settings)
    if gathered.blocking:
        raise ContentError(gathered.blocking)
    data = gathered.data
    settings = data.settings
    tree = Tree(root=root, docs_dir=data.publication.docs_dir, data=data)
    names = page_names(data)
    problems: list[Diagnostic] = []

    pricing = data.models["pricing"]
    tree.files[pricing_markup.ESTIMATOR_JSON] = pricing_markup.estimator_json(pricing)
    css, bundle = stylesheets.plan(tree.docs_dir, settings.extra_css)
    tree.extra_css = css
    if bundle is not None:
        tree.files[bundle.uri] = bundle.text

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
    site = addresses(data, known)
    tree.assets = post_assets(data)
    footers = reading_order(data, sources)
    picks = reading.related(data.posts)
    bodies: dict[str, str] = {}
    for src in sources:
        own = names_for_page(names, *page_bases(src.uri, engine, settings))
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
                                                           picks.get(src.post.path, []),
                                                           settings)
            page = _post_page(src, body, data, serving, added)
        else:
            page = _front(src, added) + body
        tree.pages[src.uri] = page
        tree.sources[src.uri] = src.path
    anchors = PageAnchors(bodies.get, settings)
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


def write_pages(pages: dict[str, str], folder: Path) -> None:
    """Generated files of the tree (uri -> text) under ``folder``: the one writer of
    the tree (the hook serves the pages from such a folder, Zensical builds one)."""
    for uri, text in pages.items():
        dest = folder / uri
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")


def write_tree(tree: Tree, out: Path) -> Path:
    """The tree as files under ``out/docs`` (static files of docs/ hard-linked or
    copied beside the generated pages); returns that folder."""
    docs_out = out / "docs"
    if docs_out.exists():
        shutil.rmtree(docs_out)
    posts_uri = tree.data.settings.posts_uri
    for path in sorted(tree.docs_dir.rglob("*")):
        if not path.is_file():
            continue
        uri = path.relative_to(tree.docs_dir).as_posix()
        if uri in tree.pages or uri.startswith(posts_uri + "/"):
            continue
        _link_or_copy(path, docs_out / uri)
    for uri, path in tree.assets.items():
        _link_or_copy(path, docs_out / uri)
    write_pages({**tree.pages, **tree.files}, docs_out)
    return docs_out


__all__ = ["Tree", "generate", "write_pages", "write_tree"]

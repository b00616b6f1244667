"""The ship check: which files, which rules, in which order.

``run(root, paths, ...)`` returns a :class:`Report`. Nothing here prints;
the command (seedpress.commands.check) formats the report.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from ..content.posts import Post, parse_post, post_files, split_front_matter
from ..content.source import parse_yaml
from ..diagnostics import ContentError, Diagnostic, display_path
from . import dates, emdash, endpoints, frontmatter, gallery, prices
from .context import Context, load_context
from .prose import markdown_prose, template_skeleton, without_templates
from .source import BINARY, HTML, TEXT, Source

#: what the whole publication is, when no path is given
DEFAULT_TARGETS = ("posts", "docs", "data", "gallery/clips.yml", "mkdocs.yml", "overrides")
_SKIP_DIRS = {".git", ".venv", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache",
              ".cache"}
#: parts of a built site that are not the site's own content: Material's bundled
#: JavaScript, CSS and fonts. The search index and the feeds are made from the
#: same pages; an em dash in them is already reported in the page's HTML, where
#: its line means something, so they are left out too.
SITE_SKIP_DIRS = {"assets", "search"}


@dataclass
class Report:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    #: em dashes replaced by --fix, per file shown
    fixed: dict[str, int] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not self.diagnostics


def _walk(folder: Path, suffixes: set[str]) -> Iterable[Path]:
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).parts
        if any(part in _SKIP_DIRS or part.startswith(".") or part.endswith(".egg-info")
               for part in rel[:-1]):
            continue
        if path.is_file() and path.suffix.lower() in suffixes:
            yield path


def _site_files(site: Path) -> Iterable[Path]:
    for path in sorted(site.rglob("*.html")):
        top = path.relative_to(site).parts[0]
        if top not in SITE_SKIP_DIRS:
            yield path


def collect(root: Path, paths: list[Path], site: Path | None) -> list[tuple[Path, bool]]:
    """(file, is built HTML) for every file to check, in a stable order."""
    targets: list[tuple[Path, bool]] = []
    seen: set[Path] = set()

    def add(path: Path, built: bool = False) -> None:
        if path not in seen:
            seen.add(path)
            targets.append((path, built))

    given = paths or [root / t for t in DEFAULT_TARGETS]
    for path in given:
        path = path.resolve()
        if path.is_dir():
            for p in _walk(path, TEXT):
                add(p)
        elif path.is_file():
            if path.suffix.lower() not in BINARY:
                add(path)
        elif paths:
            raise FileNotFoundError(path)
    if site is None and not paths and (root / "site").is_dir():
        site = root / "site"
    if site is not None:
        for p in _site_files(site.resolve()):
            add(p, built=True)
    return targets


# -- one file ---------------------------------------------------------------

def _template_syntax(src: Source, body: str, line_offset: int, ctx: Context) -> None:
    if "{{" not in body and "{%" not in body and "{#" not in body:
        return
    skeleton = template_skeleton(body)
    cache = ctx.template_verdicts
    if skeleton not in cache:
        cache[skeleton] = _template_error(skeleton)
    found = cache[skeleton]
    if found:
        src.add(found[0] + line_offset, 1, "SP008", f"template error: {found[1]}")


_JINJA = jinja2.Environment(autoescape=True)


def _template_error(skeleton: str) -> tuple[int, str] | None:
    """(line, message) of the first syntax error (cached per run: pages often
    share their expressions)."""
    try:
        _JINJA.parse(skeleton)
    except jinja2.TemplateSyntaxError as err:
        return err.lineno or 1, str(err.message)
    return None


def _check_markdown(src: Source, ctx: Context) -> Post | None:
    text = src.text or ""
    post = None
    body, body_line = text, 1
    if src.is_post or text.startswith("---"):
        try:
            if src.is_post:
                post = parse_post(src.path, text)
                body, body_line = post.body, post.body_line
            else:
                front, first, body, body_line = split_front_matter(text, src.display)
                if front.strip():
                    parse_yaml(front, src.display, line_offset=first - 1)
        except ContentError as err:
            src.extend(err)
            post = None
    if post is not None:
        dates.check_post(src, post, ctx)
        frontmatter.check_post(src, post, ctx)
    _template_syntax(src, body, body_line - 1, ctx)
    if "$" in text:
        prices.check(src, markdown_prose(text), ctx)
    endpoints.check(src, text, ctx)
    return post


def _schema_loader(path: Path) -> Callable[[Path], Any] | None:
    """The content loader of a data file (data/<name>.yml), when there is one."""
    if path.parent.name != "data":
        return None
    name = path.stem
    try:
        module = importlib.import_module(f"seedpress.content.{name}")
    except ImportError:
        return None
    return getattr(module, f"load_{name}", None)


def _check_yaml(src: Source, ctx: Context) -> None:
    text = src.text or ""
    try:
        data = parse_yaml(text, src.display)
    except ContentError as err:
        src.extend(err)
        data = None
    else:
        dates.check_data(src, data, ctx)
        loader = _schema_loader(src.path)
        if loader is not None:
            try:
                loader(src.path.parent.parent)
            except ContentError as err:
                src.extend(err)
        if gallery.is_clips_file(src.path):
            gallery.check(src, data, ctx)
    prices.check(src, without_templates(text), ctx)
    if not gallery.is_clips_file(src.path):  # there SP601 judges the endpoints
        endpoints.check(src, text, ctx)


def check_source(src: Source, ctx: Context) -> None:
    if src.error is not None:
        src.findings.append(Diagnostic(src.display, src.error.line, src.error.column,
                                       src.error.code, src.error.message))
        return
    text = src.text or ""
    emdash.check(src)
    if src.built:
        return
    if not text.strip():
        if src.is_markdown or src.is_yaml:
            src.add(1, 1, "SP002", "the file is empty")
        return
    if src.is_markdown:
        _check_markdown(src, ctx)
    elif src.is_yaml:
        _check_yaml(src, ctx)
    elif src.suffix in HTML:
        prices.check(src, without_templates(text), ctx)
        endpoints.check(src, text, ctx)
    else:
        endpoints.check(src, text, ctx)


def _seed_posts(ctx: Context, targets: list[tuple[Path, bool]]) -> None:
    """Register the repository's other posts, so a duplicate slug or title among
    the files given and the posts already published is caught."""
    posts_dir = ctx.publication.posts_dir.resolve()
    given = {p for p, _ in targets}
    inside = str(posts_dir) + os.sep
    if not posts_dir.is_dir() or not any(str(p).startswith(inside) for p in given):
        return
    for path in post_files(posts_dir):
        if path in given:
            continue
        try:
            post = parse_post(path)
        except ContentError:
            continue
        display = display_path(path, ctx.root)
        if isinstance(post.meta.get("slug"), str):
            ctx.slugs.setdefault(post.meta["slug"], f"{display}:{post.meta.line_of('slug')}")
        if isinstance(post.meta.get("title"), str):
            key = " ".join(post.meta["title"].lower().split())
            ctx.titles.setdefault(key, f"{display}:{post.meta.line_of('title')}")


class _Places:
    """Paths as findings show them: relative to the repository, else to the
    working directory, else absolute (``display_path`` without a resolve per file)."""

    def __init__(self, root: Path):
        self.bases = [str(root.resolve()) + os.sep, str(Path.cwd().resolve()) + os.sep]

    def display(self, path: Path) -> str:
        text = str(path)
        for base in self.bases:
            if text.startswith(base):
                return text[len(base):]
        return text


def run(root: Path, paths: list[Path] | None = None, *, today: dt.date,
        max_age_days: int | None = None, site: Path | None = None,
        fix: bool = False) -> Report:
    """Check ``paths`` (default: the whole publication) against ``root``'s configuration.

    Raises ContentError when the configuration itself cannot be loaded, and
    FileNotFoundError for a path that does not exist.
    """
    ctx = load_context(root, today, max_age_days)
    paths = list(paths or [])
    targets = collect(root, paths, site)
    if paths:
        _seed_posts(ctx, targets)
    report = Report(files=len(targets))
    places = _Places(root)
    for path, built in targets:
        display = places.display(path)
        src = Source.read(path, display, built=built)
        if fix and not built and src.text is not None and emdash.PATTERN.search(src.text):
            count = emdash.fix_file(path, ctx.publication.em_dash_replacement)
            if count:
                report.fixed[display] = count
                src = Source.read(path, display)
        check_source(src, ctx)
        report.diagnostics.extend(src.findings)
    report.diagnostics.sort(key=lambda d: (d.path, d.line, d.column, d.code))
    return report

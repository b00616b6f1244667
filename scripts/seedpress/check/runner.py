"""The ship check: which files, which rules, in which order.

``run(root, paths, ...)`` returns a :class:`Report`. Nothing here prints;
the command (seedpress.commands.check) formats the report.

What the check covers, and why a passing check means a passing build:

- every data file is read by the validator its loader uses (schemas are
  strict: unknown keys, finite numbers in range, real dates, unique ids);
- every page, post and FAQ answer has its computed names rendered by the
  build's renderer with the build's names, and its links resolved as the
  build tree lays them out; so has the code under snippets/ that guides
  include;
- then the editorial rules the build does not enforce: em dashes, stale and
  future dates, typed prices, unknown endpoints.

A built site is read (for em dashes a Markdown extension made, SP103) only
when ``site`` names one: a site/ folder left from an earlier build says
nothing about the sources as they are now, so it never adds findings or
files to a run by itself.

A Markdown file with post front matter is judged as a post wherever it
lives, and so is one of the publication with no front matter outside posts/
and docs/: the build publishes nothing else, so it can only be a post
(prose from outside the publication is judged as prose). A path that does
not exist, a folder with nothing to check, a NUL byte in a path or a
symlink leading out of the repository cannot be checked:
:class:`~seedpress.errors.UsageError` (exit 2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .. import codes
from ..content.authors import AUTHORS_FILE, validate_authors
from ..content.clips import validate_clips
from ..content.dashes import fixed_bytes
from ..content.faq import validate_faq
from ..content.field import validate_field
from ..content.files import HTML, SCHEMAS, inside, source_files
from ..content.limits import validate_limits
from ..content.markdown import markdown_prose, without_templates
from ..content.pages import read_page
from ..content.posts import has_post_front_matter, read_post, split_front_matter
from ..content.pricing import pricing_tiers, validate_pricing
from ..content.publication import validate_publication
from ..content.rules import validate_rules
from ..content.schema import Findings
from ..content.source import parse_yaml
from ..diagnostics import Diagnostic, Places
from ..errors import ContentError, UsageError
from ..gallery.manifest import validate_manifest
from ..pages.code_include import snippet_findings
from ..pages.faq_markup import answer_findings, answer_link_findings
from ..pages.limit_names import rule_findings
from ..pages.tree import PageSource, page_findings
from ..writer import ensure_writable, write_atomic
from . import claims, dates, emdash, endpoints, prices
from .context import Context, load_context
from .site_scan import site_files
from .source import Source


@dataclass
class Report:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    #: em dashes replaced by --fix, per file shown
    fixed: dict[str, int] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not self.diagnostics

    @property
    def fixable(self) -> int:
        """Findings that ``--fix`` would repair."""
        return sum(1 for d in self.diagnostics
                   if d.code in codes.CODES and codes.CODES[d.code].fixable)


def _site_files(site: Path, root: Path) -> Iterable[Path]:
    """Every file of the built site that carries words (:mod:`.site_scan`)."""
    docs = root / "docs"
    return site_files(site, docs if docs.is_dir() else None)


def collect(root: Path, paths: list[Path], site: Path | None) -> list[tuple[Path, bool]]:
    """(file, is built HTML) for every file to check, in a stable order."""
    root = root.resolve()
    targets = [(p, False) for p in source_files(root, paths)]
    if site is not None:  # a built site only when asked: site/ may be older than the sources
        seen = {p for p, _ in targets}
        targets += [(p, True) for p in _site_files(site.resolve(), root) if p not in seen]
    if not targets:
        raise UsageError("nothing to check: " + (", ".join(map(str, paths)) if paths else
                                                 f"no publication files under {root}"))
    return targets


# -- one file ---------------------------------------------------------------

def _page_uri(path: Path, ctx: Context) -> str:
    if inside(path, ctx.docs_dir):
        return path.relative_to(ctx.docs_dir).as_posix()
    return path.name


def _render(src: Source, body: str, body_line: int, uri: str, ctx: Context) -> None:
    """What the build would stop on in this page: its expressions and its links."""
    page = PageSource(uri, src.path, src.display, src.text or "", "", body, body_line)
    src.extend(page_findings(page, ctx.names, ctx.known_uris, ctx.render_cache, ctx.anchors,
                             ctx.addresses))


def _check_markdown(src: Source, ctx: Context) -> None:
    text = src.text or ""
    # the blog plugin's convention (a posts folder), or post front matter anywhere;
    # in the publication but outside posts/ and docs/, a file with no front matter
    # can only be a post (the build publishes nothing else), and is judged as one
    in_posts = src.path.parent.name == "posts" or inside(src.path, ctx.posts_dir)
    in_docs = src.path.parent.name == "docs" or inside(src.path, ctx.docs_dir)
    if not (in_posts or in_docs) and inside(src.path, ctx.root) \
            and not text.startswith("---"):
        in_posts = True
    meta = None
    if not in_posts and text.startswith("---"):
        try:
            front, first, _body, _line = split_front_matter(text, src.display)
            meta = parse_yaml(front, src.display, line_offset=first - 1)
        except ContentError:
            meta = None  # read_page below reports it
    if in_posts or has_post_front_matter(meta):
        known = ctx.findings_for(src.path)
        if known is not None:
            src.extend(known.items)
            post = ctx.data.post_for(src.path)
        else:
            post, f = read_post(src.path, ctx.posts, src.display, text)
            src.extend(f.items)
        if post is None:
            return
        dates.check_post(src, post, ctx)
        body, body_line = post.body, post.body_line
        uri = ctx.data.post_uri(src.path)
    else:
        f = Findings(src.path, display=src.display)
        page = read_page(src.path, text, f, ctx.docs_dir)  # scripts resolve as in docs/
        src.extend(f.items)
        body, body_line = page.body, page.body_line
        uri = _page_uri(src.path, ctx)
    _render(src, body, body_line, uri, ctx)
    prose = markdown_prose(text)  # read once by the price and the claim rules
    if "$" in text:
        prices.check(src, prose, ctx)
    claims.check(src, prose, ctx, markdown=False)
    endpoints.check(src, text, ctx)


def _schema_of(path: Path) -> str | None:
    if path.name == ".authors.yml" or path.as_posix().endswith(AUTHORS_FILE.as_posix()):
        return "authors"
    if path.name in SCHEMAS:
        return path.stem
    return None


def _validate(schema: str, data, text: str, src: Source, ctx: Context) -> Findings:
    """The file's findings from its schema's one validator, judged in this
    repository's context (the publication's own files were read once already)."""
    f = Findings(src.path, display=src.display)
    limits = ctx.limits
    if schema == "publication":
        validate_publication(data, f, ctx.root)
    elif schema == "pricing":
        validate_pricing(data, f, limits)
    elif schema == "limits":
        validate_limits(data, f, pricing_tiers(_raw_pricing(ctx)))
    elif schema == "faq":
        faq = validate_faq(data, f, text)
        if faq is not None:
            f.extend(_rendered_findings("faq", faq, ctx))
    elif schema == "field":
        validate_field(data, f, ctx.today)
    elif schema == "rules":
        rules = validate_rules(data, f, text)
        if rules is not None:
            f.extend(_rendered_findings("rules", rules, ctx))
    elif schema == "clips":
        validate_clips(data, f, limits)
    elif schema == "authors":
        validate_authors(data, f)
    return f


def _rendered_findings(schema: str, model, ctx: Context) -> list[Diagnostic]:
    """What the build would stop on when it renders the text of data/faq.yml
    (answers: expressions, links, fragments) or data/rules.yml (statements)."""
    if schema == "faq":
        return (answer_findings(model, ctx.names, ctx.render_cache)
                + answer_link_findings(model, ctx.known_uris, ctx.anchors, ctx.addresses))
    return rule_findings(model, ctx.names, ctx.render_cache)


def _raw_pricing(ctx: Context):
    pricing = ctx.pricing
    return {"tiers": {t: None for t in pricing.tiers}} if pricing is not None else None


def _check_yaml(src: Source, ctx: Context) -> None:
    text = src.text or ""
    schema = _schema_of(src.path)
    try:
        data = parse_yaml(text, src.display)
    except ContentError as err:
        src.extend(err)
        data = None
    if data is not None:
        dates.check_data(src, data, ctx, schema_known=schema is not None)
        if schema is not None:
            known = ctx.findings_for(src.path)
            if known is None:
                src.extend(_validate(schema, data, text, src, ctx).items)
            else:
                src.extend(known.items)
                model = ctx.data.models.get(schema)
                if schema in ("faq", "rules") and model is not None:
                    src.extend(_rendered_findings(schema, model, ctx))
    if src.path.name not in prices.COMPETITOR_FILES:
        prices.check(src, without_templates(text), ctx, yaml=True)
        claims.check(src, without_templates(text), ctx, markdown=False, yaml=True)
    if schema != "clips":  # there SP601 judges the endpoints
        endpoints.check(src, text, ctx)


def _check_json(src: Source, ctx: Context) -> None:
    if src.path.name == "manifest.json":
        known = ctx.findings_for(src.path)
        if known is not None:
            src.extend(known.items)
        else:
            f = Findings(src.path, display=src.display)
            validate_manifest(src.text or "", f, ctx.today)
            src.extend(f.items)
    endpoints.check(src, src.text or "", ctx)


def check_source(src: Source, ctx: Context) -> None:
    if src.error is not None:
        src.findings.append(src.error)
        return
    text = src.text or ""
    emdash.check(src)
    if src.built:
        return
    if not text.strip():
        if src.is_markdown or src.is_yaml:
            src.add(1, 1, codes.EMPTY, "the file is empty")
        return
    if src.is_markdown:
        _check_markdown(src, ctx)
    elif src.is_yaml:
        _check_yaml(src, ctx)
    elif src.suffix == ".json":
        _check_json(src, ctx)
    elif src.suffix in HTML:
        prices.check(src, without_templates(text), ctx)
        endpoints.check(src, text, ctx)
    elif inside(src.path, ctx.root / "snippets"):
        # code the guides include: its expressions and section markers, as the build reads them
        src.extend(snippet_findings(src.path, text, ctx.names, src.display, ctx.render_cache))
        endpoints.check(src, text, ctx)
    else:
        endpoints.check(src, text, ctx)


def _fix(targets: list[tuple[Path, bool]], replacement: str, places: Places
         ) -> dict[str, int]:
    """Replace the em dashes of every source file given, validating first that
    every file to change can be written, so a batch writes all or nothing."""
    plan: list[tuple[Path, bytes, int]] = []
    for path, built in targets:
        if built:
            continue
        raw = path.read_bytes()
        try:
            new, count = fixed_bytes(raw, replacement)
        except UnicodeDecodeError:
            continue  # reported as SP001; nothing to fix safely
        if count:
            plan.append((path, new, count))
    for path, _, _ in plan:
        ensure_writable(path)
    fixed = {}
    for path, new, count in plan:
        write_atomic(path, new)
        fixed[places.display(path, resolved=True)] = count
    return fixed


def run(root: Path, paths: list[Path] | None = None, *, today: dt.date,
        max_age_days: int | None = None, site: Path | None = None,
        fix: bool = False) -> Report:
    """Check ``paths`` (default: the whole publication) against ``root``'s configuration.

    Raises ContentError when data/publication.yml cannot be loaded,
    :class:`~seedpress.errors.UsageError` for paths that cannot be checked, and
    :class:`~seedpress.errors.WriteError` when ``fix`` cannot write a file
    (then nothing was written).
    """
    root = root.resolve()
    paths = list(paths or [])
    targets = collect(root, paths, site)
    ctx = load_context(root, today, max_age_days)
    places = Places(root)
    report = Report(files=len(targets))
    if fix:
        report.fixed = _fix(targets, ctx.publication.em_dash_replacement, places)
    for path, built in targets:
        src = Source.read(path, places.display(path, resolved=True), built=built)
        check_source(src, ctx)
        report.diagnostics.extend(src.findings)
    report.diagnostics.sort(key=lambda d: (d.path, d.line, d.column, d.code))
    return report


__all__ = ["Report", "collect", "run"]

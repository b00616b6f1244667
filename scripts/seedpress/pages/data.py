"""Everything the site's pages and templates read, loaded once per build.

:func:`gather` reads every source file of the publication through its one
validator and keeps each file's findings beside the models that loaded. The
build (:func:`load_site_data`) stops when any finding blocks it; the ship
check prints every finding and renders pages with whatever loaded. So the
two read the same files the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import clock, codes
from ..content import Post, Publication
from ..content.authors import AUTHORS_FILE, validate_authors
from ..content.clips import CLIPS_FILE, validate_clips
from ..content.faq import FAQ_FILE, validate_faq
from ..content.field import FIELD_FILE, validate_field
from ..content.files import inside
from ..content.limits import LIMITS_FILE, validate_limits
from ..content.posts import PostContext, post_files, read_post
from ..content.pricing import PRICING_FILE, pricing_tiers, validate_pricing
from ..content.publication import PUBLICATION_FILE, validate_publication
from ..content.rules import RULES_FILE, validate_rules
from ..content.schema import Findings
from ..content.source import read_text, read_yaml
from ..errors import BuildFailed, ContentError
from ..gallery.manifest import MANIFEST_FILE, Manifest, validate_manifest
from .settings import Settings
from .showcase import make_showcase


@dataclass
class SiteData:
    root: Path
    publication: Publication
    posts: list[Post]
    today: dt.date
    #: Further models keyed by name (limits, pricing, faq, field, gallery, authors).
    #: A model whose file did not load is absent.
    models: dict[str, Any] = field(default_factory=dict)
    #: mkdocs.yml, read once: the site's address, where the blog puts its posts
    settings: Settings = field(default_factory=Settings)

    _by_path: dict[Path, Post] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for post in self.posts:
            self._by_path.setdefault(post.path.resolve(), post)

    def post_for(self, path: str | Path) -> Post | None:
        """The post read from ``path``."""
        return self._by_path.get(Path(path).resolve())

    def post_uri(self, path: Path) -> str:
        """Where the post file at ``path`` sits in the build tree ("blog/posts/x.md");
        a file outside posts/ is placed there by its name."""
        posts_dir = self.publication.posts_dir
        rel = path.relative_to(posts_dir).as_posix() if inside(path, posts_dir) else path.name
        return f"{self.settings.posts_uri}/{rel}"

    def post_url(self, post: Post) -> str:
        """The post's address from the site's root, as the blog publishes it."""
        return self.settings.post_url(post.slug, post.path.name, post.created)


@dataclass
class Gathered:
    data: SiteData
    #: resolved path -> that file's findings (every file read, clean ones included)
    findings: dict[Path, Findings]
    #: what posts are judged against in this run (it remembers slugs and titles seen)
    posts: PostContext

    @property
    def blocking(self) -> list:
        out = []
        for f in self.findings.values():
            if f.blocking:
                out.extend(sorted(f.items, key=lambda d: (d.line, d.column)))
        return out


def _read(root: Path, rel: Path, found: dict[Path, Findings]) -> tuple[Any, str, Findings]:
    path = root / rel
    f = Findings(path)
    found[path.resolve()] = f
    try:
        data, text = read_yaml(path)
    except (ContentError, FileNotFoundError) as err:
        if isinstance(err, ContentError):
            f.absorb(err)
        else:
            f.add(codes.SCHEMA, 1, "the file is missing")
        return None, "", f
    return data, text, f


def site_settings(root: Path) -> Settings:
    """``root``'s mkdocs.yml; empty settings when it does not read (the engine, and
    the check's YAML rule, say why)."""
    try:
        return Settings.read(root / "mkdocs.yml")
    except BuildFailed:
        return Settings({}, root / "mkdocs.yml")


def gather(root: Path, today: dt.date, *,
           max_age_days: int | None = None, settings: Settings | None = None) -> Gathered:
    """Every file of the publication through its validator (raises ContentError
    only when data/publication.yml itself cannot be read). ``settings`` are the
    site's (default: ``root``'s mkdocs.yml)."""
    found: dict[Path, Findings] = {}
    models: dict[str, Any] = {}

    raw_pricing, _, f_pricing = _read(root, PRICING_FILE, found)
    raw_limits, _, f_limits = _read(root, LIMITS_FILE, found)
    limits = validate_limits(raw_limits, f_limits, pricing_tiers(raw_pricing)) \
        if raw_limits is not None else None
    pricing = validate_pricing(raw_pricing, f_pricing, limits) \
        if raw_pricing is not None else None
    if limits is not None:
        models["limits"] = limits
    if pricing is not None:
        models["pricing"] = pricing

    raw, text, f = _read(root, FAQ_FILE, found)
    faq = validate_faq(raw, f, text) if raw is not None else None
    if faq is not None:
        models["faq"] = faq
    raw, text, f = _read(root, RULES_FILE, found)
    rules = validate_rules(raw, f, text) if raw is not None else None
    if rules is not None:
        models["rules"] = rules
    raw, _, f = _read(root, FIELD_FILE, found)
    field_model = validate_field(raw, f, today) if raw is not None else None
    if field_model is not None and limits is not None:
        models["field"] = field_model.with_own_limits(limits)

    authors = None
    if (root / AUTHORS_FILE).is_file():
        raw, _, f = _read(root, AUTHORS_FILE, found)
        authors = validate_authors(raw, f) if raw is not None else None
        if authors is not None:
            models["authors"] = authors
    raw, _, f = _read(root, PUBLICATION_FILE, found)
    publication = validate_publication(raw, f, root, authors) if raw is not None else None
    if publication is None:
        raise ContentError(f.items)

    raw, _, f = _read(root, CLIPS_FILE, found)
    gallery = validate_clips(raw, f, limits) if raw is not None else None
    manifest_path = root / MANIFEST_FILE
    manifest = None
    if manifest_path.is_file():
        fm = Findings(manifest_path)
        found[manifest_path.resolve()] = fm
        try:
            manifest = validate_manifest(read_text(manifest_path), fm, today)
        except ContentError as err:
            fm.absorb(err)
    else:
        manifest = Manifest(manifest_path)
    if gallery is not None and pricing is not None and manifest is not None:
        models["gallery"] = make_showcase(gallery, manifest, pricing)

    context = PostContext(
        categories=publication.categories,
        authors=frozenset(authors) if authors is not None else None,
        docs_dir=publication.docs_dir, today=today,
        max_age_days=publication.max_age_days if max_age_days is None else max_age_days)
    posts: list[Post] = []
    for path in post_files(publication.posts_dir):
        post, f = read_post(path, context)
        found[path.resolve()] = f
        if post is not None and not f.blocking:
            posts.append(post)
    data = SiteData(root=root, publication=publication, posts=posts, today=today, models=models,
                    settings=settings if settings is not None else site_settings(root))
    return Gathered(data, found, context)


def load_site_data(root: Path, today: dt.date | None = None) -> SiteData:
    """The site's data for a build; raises ContentError naming every finding in
    every file that has one the build stops on."""
    gathered = gather(root, today or clock.today())
    if gathered.blocking:
        raise ContentError(gathered.blocking)
    return gathered.data

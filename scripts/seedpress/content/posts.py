"""Posts: Markdown files with YAML front matter, as the blog plugin reads them,
and the one validator of their front matter.

A file is judged as a post when it lives in ``posts/`` or when its front
matter carries the blog's own fields (``date``, ``categories`` or
``authors``), wherever it lives: the ship check's contract.

:func:`validate_post` holds every front matter rule (SP2xx dates, SP3xx
fields, SP009 unknown keys) and returns the post's typed :class:`PostMeta`.
The build's loader (:func:`seedpress.pages.data.gather`, through
:func:`read_post`), the ship check and the verbs all call it: the loader stops
on a finding that blocks the build (see ``blocks_build`` in
:mod:`seedpress.codes`), the check prints them all.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import clock, codes
from ..errors import ContentError
from . import schema
from .schema import Findings
from .skeleton import DESCRIPTION_PLACEHOLDER, SKELETON_PROMPTS, is_placeholder_cover
from .source import LineDict, as_date, error, parse_yaml, read_text
from .twins import MISSING, is_svg, twin_state

_FENCE = re.compile(r"^---[ \t]*$")
_END = re.compile(r"^(---|\.\.\.)[ \t]*$")

#: Front matter keys of a post: the blog plugin's (title and description are
#: the page's), and ours (featured, cover). Anything else is a typo.
POST_KEYS = ("title", "slug", "description", "date", "categories", "authors", "draft",
             "featured", "cover", "pin", "links", "readtime", "hide", "search", "status",
             "subtitle", "template")
REQUIRED = ("title", "slug", "description", "categories", "authors")
#: Keys that make front matter a post's, wherever the file lives.
POST_MARKERS = ("date", "categories", "authors")
#: created: first published here; updated: the last change a reader would notice;
#: reviewed: the day someone checked every fact on the page against its sources
DATE_KEYS = ("created", "updated", "reviewed")
DESCRIPTION_MIN = 50
DESCRIPTION_MAX = 170
#: The longest title a post may have: search results, feed readers, browser tabs and
#: link previews show about 60 to 70 characters and cut the rest.
TITLE_MAX = 70
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_BOOL_FIELDS = ("featured", "draft", "pin")

def cover_path(value: object) -> str | None:
    """A ``cover:`` as the path of a file under docs/ (its leading "/" dropped), or
    None when the post has none: the one way a cover is read."""
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().lstrip("/")


def title_key(title: str) -> str:
    """What makes two titles the same one (SP305, and what ``new-post`` refuses)."""
    return " ".join(title.casefold().split())


@dataclass(frozen=True)
class PostMeta:
    """A post's front matter, typed: what every stage reads of a post, read once.

    The values are what the front matter says where it says it well, and a
    plain default where it does not (the validator reports why): a title
    that is not text is "", a date that is not a date is None.
    """

    title: str
    slug: str
    description: str
    categories: tuple[str, ...]
    authors: tuple[str, ...]
    created: dt.date | None
    #: ``date.updated``, else ``created``
    updated: dt.date | None
    #: the day every fact on the page was last checked (``date.reviewed``; a post
    #: written before the field existed was read as reviewed at its newest date)
    reviewed: dt.date | None
    #: whether ``date.reviewed`` is written: only then does the page say "Last reviewed"
    review_marked: bool
    draft: bool
    featured: bool
    #: the cover's path under docs/ (None: no cover)
    cover: str | None

    @classmethod
    def read(cls, meta: LineDict, path: Path) -> PostMeta:
        def text(key: str) -> str:
            value = meta.get(key)
            return value if isinstance(value, str) else ""

        def names(key: str) -> tuple[str, ...]:
            value = meta.get(key)
            return tuple(str(v) for v in value) if isinstance(value, list) else ()

        date = meta.get("date")
        found = {}
        if isinstance(date, dict):
            found = {k: as_date(date.get(k)) for k in DATE_KEYS}
        else:
            found["created"] = as_date(date)
        created = found.get("created")
        updated = found.get("updated") or created
        newest = max((d for d in (created, found.get("updated")) if d), default=None)
        return cls(title=text("title"), slug=text("slug") or path.stem,
                   description=text("description"), categories=names("categories"),
                   authors=names("authors"), created=created, updated=updated,
                   reviewed=found.get("reviewed") or newest,
                   review_marked=found.get("reviewed") is not None,
                   draft=meta.get("draft") is True, featured=meta.get("featured") is True,
                   cover=cover_path(meta.get("cover")))


@dataclass
class Post:
    path: Path
    meta: LineDict
    body: str
    #: 1-based line number of the first body line in the file
    body_line: int
    text: str = field(repr=False)
    front: PostMeta = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.front = PostMeta.read(self.meta, self.path)

    @property
    def title(self) -> str:
        return self.front.title

    @property
    def slug(self) -> str:
        return self.front.slug

    @property
    def description(self) -> str:
        return self.front.description

    @property
    def categories(self) -> list[str]:
        return list(self.front.categories)

    @property
    def featured(self) -> bool:
        return self.front.featured

    @property
    def draft(self) -> bool:
        return self.front.draft

    @property
    def created(self) -> dt.date | None:
        return self.front.created

    @property
    def updated(self) -> dt.date | None:
        return self.front.updated

    @property
    def reviewed(self) -> dt.date | None:
        return self.front.reviewed

    def age(self, today: dt.date, max_age_days: int) -> clock.Age:
        """How long ago the post was last reviewed, by the one rule of staleness."""
        return clock.age(self.reviewed, today, max_age_days)

    def date_line(self, which: str) -> int:
        """The front matter line of ``date.<which>``, else of ``date``."""
        date = self.meta.get("date")
        if isinstance(date, LineDict) and which in date:
            return date.line_of(which)
        return self.meta.line_of("date") if "date" in self.meta else self.meta.line

    @property
    def words(self) -> int:
        return len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'.-]*", strip_code(self.body)))


def strip_code(markdown: str) -> str:
    """Markdown with fenced code blocks removed (for word counts and keywords)."""
    return re.sub(r"^(```|~~~).*?^\1[ \t]*$", "", markdown, flags=re.S | re.M)


def split_front_matter(text: str, path: str | Path) -> tuple[str, int, str, int]:
    """Return (front matter, its first line, body, body's first line)."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        raise error(path, 1, codes.NO_FRONT_MATTER,
                    "no front matter: the file must start with a '---' line")
    for i in range(1, len(lines)):
        if _END.match(lines[i]):
            return "\n".join(lines[1:i]), 2, "\n".join(lines[i + 1:]), i + 2
    raise error(path, 1, codes.NO_FRONT_MATTER, "front matter is not closed by a '---' line")


def parse_post(path: str | Path, text: str | None = None) -> Post:
    path = Path(path)
    if text is None:
        text = read_text(path)
    if not text.strip():
        raise error(path, 1, codes.EMPTY, "the file is empty")
    front, front_line, body, body_line = split_front_matter(text, path)
    meta = parse_yaml(front, path, line_offset=front_line - 1) if front.strip() else None
    if not isinstance(meta, dict):
        raise error(path, front_line, codes.FRONT_MATTER_SHAPE,
                    "front matter must be a YAML mapping of fields")
    return Post(path=path, meta=meta, body=body, body_line=body_line, text=text)


def has_post_front_matter(meta: object) -> bool:
    return isinstance(meta, dict) and any(k in meta for k in POST_MARKERS)


def post_files(posts_dir: Path) -> list[Path]:
    if not posts_dir.is_dir():
        return []
    return sorted(p for p in posts_dir.rglob("*.md") if p.is_file())


# -- the validator ---------------------------------------------------------------

@dataclass
class PostContext:
    """What posts are judged against: the publication's settings, its authors and
    today, and the slugs and titles seen so far in one run."""

    categories: tuple[str, ...]
    #: author ids of docs/blog/.authors.yml; None when that file is absent
    authors: frozenset[str] | None
    docs_dir: Path
    today: dt.date
    max_age_days: int
    #: slug and title -> "path:line" of the first post seen, across one run
    slugs: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)

    def remember(self, post: Post, display: str) -> None:
        """Register a post that is not itself judged, so duplicates of it are caught."""
        meta = post.meta
        if isinstance(meta.get("slug"), str):
            self.slugs.setdefault(meta["slug"], f"{display}:{meta.line_of('slug')}")
        if isinstance(meta.get("title"), str):
            self.titles.setdefault(title_key(meta["title"]),
                                   f"{display}:{meta.line_of('title')}")


def _string_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _dates(f: Findings, meta: LineDict, rules: PostContext, draft: bool) -> None:
    if meta.get("date") is None:
        f.add(codes.NO_DATE, meta.line_of("date") if "date" in meta else meta.line,
              "no creation date: add date.created (YYYY-MM-DD)")
        return
    raw = meta["date"]
    line = meta.line_of("date")
    future = None if draft else rules.today
    if isinstance(raw, LineDict):
        schema.unknown_keys(f, raw, DATE_KEYS, "date")
        if raw.get("created") is None:
            f.add(codes.NO_DATE, line, "date has no 'created' entry")
            return
        found = {key: schema.date_value(f, raw[key], raw.line_of(key), f"date.{key}",
                                        not_after=future)
                 for key in DATE_KEYS if raw.get(key) is not None}
        created = found.get("created")
        for key in ("updated", "reviewed"):
            later = found.get(key)
            if created and later and later < created:
                f.add(codes.UPDATED_FIRST, raw.line_of(key),
                      f"date.{key} {later} is before date.created {created}")
        real = [(d, raw.line_of(k)) for k, d in found.items() if d is not None]
        if found.get("reviewed") is not None:
            # a guide is as current as its last review, whatever changed since
            real = [(found["reviewed"], raw.line_of("reviewed"))]
    else:
        day = schema.date_value(f, raw, line, "date", not_after=future)
        real = [(day, line)] if day else []
    if real and not draft:
        newest, where = max(real)
        age = clock.age(newest, rules.today, rules.max_age_days)
        if age.stale:
            f.add(codes.STALE, where, f"the newest date {newest} is {age.days} days old, over "
                  f"the limit of {rules.max_age_days} days")


def validate_post(post: Post, rules: PostContext, f: Findings) -> PostMeta | None:
    """Every front matter finding of ``post`` into ``f``; the post's typed front
    matter, or None when a finding stops the build."""
    before = len(f.blocking)
    meta = post.meta
    schema.unknown_keys(f, meta, POST_KEYS)
    draft = meta.get("draft") is True
    _dates(f, meta, rules, draft)
    for key in REQUIRED:
        if meta.get(key) in (None, "", []):
            f.add(codes.MISSING_FIELD, meta.line_of(key) if key in meta else meta.line,
                  f"missing front matter field '{key}'")
    for key in ("title", "slug", "description", "cover"):
        if meta.get(key) is not None and not isinstance(meta[key], str):
            f.add(codes.FIELD_TYPE, meta.line_of(key), f"'{key}' must be text")
    for key in _BOOL_FIELDS:
        if key in meta and not isinstance(meta[key], bool):
            f.add(codes.FIELD_TYPE, meta.line_of(key), f"'{key}' must be true or false")
    for key in ("categories", "authors"):
        if meta.get(key) not in (None, []) and not _string_list(meta[key]):
            f.add(codes.FIELD_TYPE, meta.line_of(key), f"'{key}' must be a list of names")
    if "readtime" in meta:
        schema.check_number(f, meta["readtime"], meta.line_of("readtime"), "'readtime'",
                            lo=1, hi=600, whole=True)

    slug = meta.get("slug")
    if isinstance(slug, str) and slug and not SLUG.match(slug):
        f.add(codes.FIELD_TYPE, meta.line_of("slug"),
              f"slug {slug!r} must be lower-case letters and digits joined by hyphens")

    cats = meta.get("categories")
    if _string_list(cats):
        for i, cat in enumerate(cats):
            if cat not in rules.categories:
                hint = schema.did_you_mean(cat, rules.categories) or \
                    f" (allowed: {', '.join(rules.categories)})"
                f.add(codes.UNKNOWN_CATEGORY, cats.line_of(i), f"category {cat!r} is not "
                      f"allowed{hint}")

    authors = meta.get("authors")
    if rules.authors is not None and _string_list(authors):
        for i, author in enumerate(authors):
            if author not in rules.authors:
                f.add(codes.UNKNOWN_AUTHOR, authors.line_of(i), f"author {author!r} is not in "
                      f"docs/blog/.authors.yml{schema.did_you_mean(author, rules.authors)}")

    title = meta.get("title")
    if isinstance(title, str) and len(title.strip()) > TITLE_MAX:
        f.add(codes.TITLE_LENGTH, meta.line_of("title"),
              f"title is {len(title.strip())} characters; keep it to {TITLE_MAX} or fewer: "
              "search results, feed readers, browser tabs and link previews cut a longer "
              "one short (say the rest in the description)")

    desc = meta.get("description")
    if isinstance(desc, str) and desc.strip():
        n = len(desc.strip())
        if not DESCRIPTION_MIN <= n <= DESCRIPTION_MAX:
            f.add(codes.DESCRIPTION_LENGTH, meta.line_of("description"),
                  f"description is {n} characters; write {DESCRIPTION_MIN} to {DESCRIPTION_MAX}")
        if desc.strip() == DESCRIPTION_PLACEHOLDER:
            f.add(codes.SKELETON_LEFT, meta.line_of("description"),
                  "the description is still the new-post placeholder")
    for offset, line in enumerate(post.body.split("\n")):
        if line.strip() in SKELETON_PROMPTS:
            f.add(codes.SKELETON_LEFT, post.body_line + offset,
                  "an instruction from the new-post skeleton is still here")

    _cover(f, meta, post.front.cover, rules)
    _unique(f, meta, rules)
    return post.front if len(f.blocking) == before else None


def _cover(f: Findings, meta: LineDict, relative: str | None, rules: PostContext) -> None:
    if relative is None:
        return
    cover = meta["cover"]
    target = rules.docs_dir / relative
    inside = ".." not in Path(relative).parts
    if not inside or not target.is_file():
        f.add(codes.MISSING_COVER, meta.line_of("cover"),
              f"cover {cover!r} is not a file under docs/")
    elif is_svg(cover) and _placeholder(target):
        f.add(codes.SKELETON_LEFT, meta.line_of("cover"),
              f"cover {cover!r} is still the placeholder new-post wrote: replace "
              f"docs/{relative} with the post's own cover, then run `seedpress covers`")
    elif is_svg(cover) and (state := twin_state(target)):
        twin = cover.strip()[:-4] + ".png"
        why = (f"has no PNG twin ({twin}) for link previews" if state == MISSING
               else f"changed since its PNG twin ({twin}) was made")
        f.add(codes.COVER_TWIN, meta.line_of("cover"),
              f"SVG cover {cover!r} {why}; run `seedpress covers`")


def _placeholder(svg: Path) -> bool:
    try:
        return is_placeholder_cover(svg.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return False


def _unique(f: Findings, meta: LineDict, rules: PostContext) -> None:
    slug = meta.get("slug")
    if isinstance(slug, str) and slug:
        here = f"{f.display}:{meta.line_of('slug')}"
        first = rules.slugs.setdefault(slug, here)
        if first != here:
            f.add(codes.DUPLICATE_SLUG, meta.line_of("slug"),
                  f"slug {slug!r} is also used at {first}; one page would overwrite the other")
    title = meta.get("title")
    if isinstance(title, str) and title.strip():
        here = f"{f.display}:{meta.line_of('title')}"
        first = rules.titles.setdefault(title_key(title), here)
        if first != here:
            f.add(codes.DUPLICATE_TITLE, meta.line_of("title"), f"title is also used at {first}")


def read_post(path: Path, rules: PostContext, display: str | None = None,
              text: str | None = None) -> tuple[Post | None, Findings]:
    """Parse and validate one post: the post (None when it cannot be read) and its findings."""
    f = Findings(path, display=display)
    try:
        post = parse_post(path, text)
    except ContentError as err:
        f.absorb(err)
        return None, f
    validate_post(post, rules, f)
    return post, f

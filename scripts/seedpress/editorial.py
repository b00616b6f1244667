"""Editorial work on posts: start one, mark one reviewed, list the stale ones.

Plain functions that the ``seedpress new-post``, ``review`` and ``stale``
verbs call (and that tests call directly). "Today" always comes from
:func:`seedpress.clock.today`; every write is atomic (a temporary file in
the same folder, verified, then renamed), and a refusal writes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import codes
from .content import Publication, load_publication, load_yaml, parse_post
from .content.posts import (
    COVER_PLACEHOLDER_MARK,
    DESCRIPTION_PLACEHOLDER,
    SKELETON_PROMPTS,
    TITLE_MAX,
    Post,
    post_files,
)
from .content.schema import did_you_mean as _did_you_mean
from .content.source import as_date, error, read_text
from .diagnostics import ContentError
from .writer import ensure_writable, write_atomic

EM_DASH = "\u2014"
#: the longest slug new-post makes (it is a file name and the page's address)
SLUG_MAX = 80

class EditorialError(Exception):
    """A request an editor made that cannot be carried out; nothing was written."""


# -- names and suggestions ---------------------------------------------------

def slugify(title: str) -> str:
    """The URL slug of a title: ASCII lower case words joined by hyphens."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"['\u2019]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'X'?)`` for the closest choice, or an empty string."""
    return _did_you_mean(word, choices)


def known_authors(pub: Publication) -> list[str]:
    """Author ids from docs/blog/.authors.yml (the blog plugin's list)."""
    if not pub.authors_file.is_file():
        return []
    data = load_yaml(pub.authors_file)
    authors = data.get("authors") if isinstance(data, dict) else None
    return [str(a) for a in authors] if isinstance(authors, dict) else []


# -- writing files -------------------------------------------------------------

def _yaml_string(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _yaml_plain(text: str) -> str:
    """``text`` unquoted when YAML reads it back as the same string, else quoted."""
    plain = re.fullmatch(r"[A-Za-z][A-Za-z0-9 _.-]*[A-Za-z0-9]", text)
    return text if plain else _yaml_string(text)


# -- new-post --------------------------------------------------------------------

@dataclass(frozen=True)
class NewPost:
    path: Path
    slug: str
    cover: Path | None
    #: the PNG twin of the cover (for link previews), when it could be made
    cover_png: Path | None = None
    #: why there is a cover but no twin, for the editor to act on
    cover_note: str | None = None


def post_skeleton(*, title: str, slug: str, description: str, category: str, author: str,
                  today: dt.date, featured: bool, draft: bool) -> str:
    lines = [
        "---",
        f"title: {_yaml_string(title)}",
        f"slug: {slug}",
        f"description: {_yaml_string(description)}",
        "date:",
        f"  created: {today.isoformat()}",
        f"  updated: {today.isoformat()}",
        "categories:",
        f"  - {_yaml_plain(category)}",
        "authors:",
        f"  - {author}",
    ]
    if featured:
        lines += ["featured: true", f"cover: assets/covers/{slug}.svg"]
    if draft:
        lines.append("draft: true")
    lines += [
        "---",
        "",
        f"# {template_safe(title)}",
        "",
        SKELETON_PROMPTS[0],
        "guide and for whom it is written. This paragraph is the excerpt: the blog",
        "index and the feeds show everything above the marker below.",
        "",
        "<!-- more -->",
        "",
        "## Before you start",
        "",
        SKELETON_PROMPTS[1],
        "environment variable, and any file the steps use.",
        "",
        "## Steps",
        "",
        SKELETON_PROMPTS[2],
        "2. Put code in fenced blocks; the tests run every Python block.",
        "3. Write prices with the computed names described in the editors' guide,",
        "   never as typed figures.",
        "",
        "## What can go wrong",
        "",
        SKELETON_PROMPTS[3],
        "",
    ]
    return "\n".join(lines)


def template_safe(text: str) -> str:
    """``text`` as Markdown that renders to itself: a post's body is a template, so
    a title with ``{{``, ``{%`` or ``{#`` is wrapped in a raw block."""
    if "{{" in text or "{%" in text or "{#" in text:
        return "{% raw %}" + text + "{% endraw %}"
    return text


def cover_placeholder(title: str) -> str:
    """A plain SVG cover that names the post, for the writer to replace."""
    from xml.sax.saxutils import escape

    shown = title if len(title) <= 42 else title[:41].rstrip() + "..."
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" '
        'viewBox="0 0 1200 630" role="img" aria-label="' + escape(title, {'"': "&quot;"}) + '">\n'
        f"  <!-- {COVER_PLACEHOLDER_MARK}: written by seedpress new-post; replace this file "
        "with the post's cover -->\n"
        '  <rect width="1200" height="630" fill="#1d2a3a"/>\n'
        '  <text x="80" y="330" fill="#f4f1ea" font-family="sans-serif" font-size="48">'
        + escape(shown) + "</text>\n"
        "</svg>\n"
    )


def new_post(root: Path, title: str, category: str, *, author: str | None = None,
             featured: bool = False, draft: bool = False, description: str | None = None,
             slug: str | None = None, today: dt.date) -> NewPost:
    """Write ``posts/<slug>.md``; refuse (writing nothing) on any problem."""
    pub = load_publication(root)
    title = " ".join(title.split())
    if not title:
        raise EditorialError("the title is empty")
    for name, value in (("title", title), ("description", description or "")):
        if EM_DASH in value:
            raise EditorialError(f"the {name} contains an em dash (U+2014); "
                                 "use a comma, a colon or a hyphen instead")
    if category not in pub.categories:
        raise EditorialError(
            f"unknown category {category!r}{did_you_mean(category, pub.categories)}; "
            f"categories are listed in data/publication.yml: {', '.join(pub.categories)}")
    author = author or pub.default_author
    authors = known_authors(pub)
    if author not in authors:
        raise EditorialError(
            f"unknown author {author!r}{did_you_mean(author, authors)}; authors are listed in "
            f"docs/blog/.authors.yml: {', '.join(authors) or '(none)'}")
    slug = slugify(slug or title)
    if not slug:
        raise EditorialError(f"the title {title!r} has no letters or digits to make a slug from; "
                             "give one with --slug")
    if len(slug) > SLUG_MAX:
        raise EditorialError(f"the slug would be {len(slug)} characters (at most {SLUG_MAX}, "
                             "it is the page's address); give a shorter one with --slug")
    if len(title) > TITLE_MAX:
        raise EditorialError(f"the title is {len(title)} characters (at most {TITLE_MAX}: "
                             "search results, feed readers and link previews cut a longer one "
                             "short); say the rest in --description")
    path = pub.posts_dir / f"{slug}.md"
    if path.exists():
        raise EditorialError(f"posts/{slug}.md already exists; choose another title or --slug")
    for other in post_files(pub.posts_dir):
        try:
            post = parse_post(other)
        except ContentError:
            continue  # the ship check names what is wrong with it
        where = other.relative_to(root).as_posix()
        if post.slug == slug:
            raise EditorialError(f"the slug {slug!r} is already used by {where}; "
                                 "choose another title or --slug")
        if post.title.casefold() == title.casefold():
            raise EditorialError(f"the title {title!r} is already used by {where}; "
                                 "choose another title")
    cover = pub.docs_dir / "assets" / "covers" / f"{slug}.svg" if featured else None
    text = post_skeleton(
        title=title, slug=slug, category=category, author=author, today=today,
        featured=featured, draft=draft,
        description=description or DESCRIPTION_PLACEHOLDER,
    )

    def verify(tmp: Path) -> None:
        post = parse_post(path, read_text(tmp))
        if post.slug != slug or post.created != today or post.updated != today:
            raise EditorialError(f"posts/{slug}.md did not verify after writing; nothing written")
        from .site.render import Origin, template_findings

        broken = template_findings(post.body, {}, Origin(f"posts/{slug}.md", post.body_line - 1))
        syntax = [d for d in broken if d.message.startswith("template error")]
        if syntax:
            raise EditorialError(f"the new post would not build ({syntax[0].message}); "
                                 "nothing written")

    if cover is not None and cover.exists():
        cover = None
    ensure_writable(path)
    if cover is not None:
        ensure_writable(cover)
        write_atomic(cover, cover_placeholder(title).encode("utf-8"))
    try:
        write_atomic(path, text.encode("utf-8"), verify=verify)
    except BaseException:
        if cover is not None:
            cover.unlink(missing_ok=True)  # the cover belongs to a post that was not written
        raise
    png, note = _cover_twin(cover) if cover is not None else (None, None)
    return NewPost(path=path, slug=slug, cover=cover, cover_png=png, cover_note=note)


def _cover_twin(cover: Path) -> tuple[Path | None, str | None]:
    """The PNG twin of a new cover, or why it could not be made (the post stands)."""
    from . import covers
    from .gallery.media import MediaError

    missing = covers.tools_missing()
    if missing:
        return None, (f"{' and '.join(missing)} not installed, so the cover has no PNG twin "
                      "for link previews yet; install ffmpeg, then run `seedpress covers`")
    try:
        return covers.write_twin(cover), None
    except MediaError as err:
        return None, f"the cover's PNG twin could not be made ({err}); run `seedpress covers`"


# -- review -------------------------------------------------------------------------

@dataclass(frozen=True)
class Review:
    path: Path
    previous: dt.date | None
    today: dt.date
    #: the file's new bytes (None when it is already reviewed today)
    data: bytes | None = None
    verify: object = None

    @property
    def changed(self) -> bool:
        return self.previous != self.today


_SCALAR = r'("[^"]*"|\'[^\']*\'|[^\s#]+)'


def _split_keep_ends(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _eol(line: str, default: str) -> str:
    for end in ("\r\n", "\n", "\r"):
        if line.endswith(end):
            return end
    return default


def review(path: Path, *, today: dt.date) -> Review:
    """Set ``date.reviewed`` to ``today``, changing no other byte of the file."""
    done = plan_review(path, today=today)
    apply_review(done)
    return done


def apply_review(done: Review) -> None:
    if done.data is not None:
        write_atomic(done.path, done.data, verify=done.verify)


def plan_review(path: Path, *, today: dt.date) -> Review:
    """What reviewing ``path`` today changes, worked out and checked writable,
    without writing (so a batch can refuse before it writes anything).

    ``date.reviewed`` is the day someone checked every fact on the page against
    its sources; ``date.updated`` (the last change a reader would notice) is
    the editor's to move when they change the text. A plain ``date:
    YYYY-MM-DD`` becomes the ``created``/``reviewed`` mapping.
    """
    path = Path(path)
    if not path.is_file():
        raise EditorialError(f"{path}: no such post file")
    raw = path.read_bytes()
    post = parse_post(path)  # reports broken front matter with path:line
    created = post.created
    date_value = post.meta.get("date")
    if created is None:
        line = post.meta.line_of("date") if "date" in post.meta else post.meta.line
        raise error(path, line, codes.NO_DATE, "the post has no date.created to review against")
    if today < created:
        raise EditorialError(f"{path}: today ({today}) is before date.created ({created})")
    explicit = as_date(date_value.get("reviewed")) if isinstance(date_value, dict) else None
    if explicit == today:
        return Review(path=path, previous=explicit, today=today)

    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    text = raw[len(bom):].decode("utf-8")
    lines = _split_keep_ends(text)
    eol = _eol(lines[0], "\n") if lines else "\n"
    date_idx = post.meta.line_of("date") - 1
    date_line = lines[date_idx]
    indent = re.match(r"[ \t]*", date_line).group(0)

    block = isinstance(date_value, dict) and date_value.line_of("created") != date_idx + 1
    if block and "reviewed" in date_value:
        idx = date_value.line_of("reviewed") - 1
        old = lines[idx]
        new, n = re.subn(r"^(\s*reviewed\s*:[ \t]*)" + _SCALAR,
                         lambda m: m.group(1) + today.isoformat(), old, count=1)
        if not n:
            raise error(path, idx + 1, codes.BAD_DATE,
                        "cannot read the date.reviewed line to change it")
        lines[idx] = new
    elif block:
        # block mapping without reviewed: add it after its last date, same indent
        idx = max(date_value.line_of(k) for k in date_value) - 1
        child = re.match(r"[ \t]*", lines[idx]).group(0)
        lines.insert(idx + 1, f"{child}reviewed: {today.isoformat()}{_eol(lines[idx], eol)}")
    else:
        # plain `date: 2026-05-01` or a one-line flow mapping: write the block form
        end = _eol(date_line, eol)
        comment = re.search(r"[ \t]+#.*$", date_line.rstrip("\r\n"))
        lines[date_idx:date_idx + 1] = [
            f"{indent}date:{comment.group(0) if comment else ''}{end}",
            f"{indent}  created: {created.isoformat()}{end}",
            f"{indent}  reviewed: {today.isoformat()}{end}",
        ]
    new_text = "".join(lines)

    def verify(tmp: Path) -> None:
        again = parse_post(path, read_text(tmp))
        before = {k: v for k, v in post.meta.items() if k != "date"}
        after = {k: v for k, v in again.meta.items() if k != "date"}
        if again.reviewed != today or again.created != created or before != after \
                or again.body != post.body or (isinstance(date_value, dict)
                                               and again.updated != post.updated):
            raise EditorialError(f"{path}: the review edit did not verify; the file is unchanged")

    ensure_writable(path)
    return Review(path=path, previous=explicit, today=today,
                  data=bom + new_text.encode("utf-8"), verify=verify)


# -- stale -------------------------------------------------------------------------

@dataclass(frozen=True)
class Age:
    post: Post
    #: the day the post was last reviewed (date.reviewed, else date.updated)
    reviewed: dt.date | None
    days: int | None
    max_age_days: int

    @property
    def stale(self) -> bool:
        return self.days is None or self.days > self.max_age_days


def days_since_update(post: Post, today: dt.date) -> int | None:
    """Days since the post was last reviewed (``date.reviewed``, else ``date.updated``)."""
    return (today - post.reviewed).days if post.reviewed else None


def is_stale(post: Post, today: dt.date, max_age_days: int) -> bool:
    days = days_since_update(post, today)
    return days is None or days > max_age_days


def ages(root: Path, *, today: dt.date) -> list[Age]:
    """Every post by days since its last review, oldest first (undated ones first)."""
    pub = load_publication(root)
    rows = [Age(post=p, reviewed=p.reviewed, days=days_since_update(p, today),
                max_age_days=pub.max_age_days)
            for p in (parse_post(path) for path in post_files(pub.posts_dir))]
    return sorted(rows, key=lambda a: (a.days is not None, -(a.days or 0), a.post.slug))


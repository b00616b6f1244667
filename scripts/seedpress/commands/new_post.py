"""`seedpress new-post`: start a post in posts/ that the build accepts, or write nothing.

The title and the description are held to the rules the ship check will
judge the post by (the post validator's, and the em dashes of
:mod:`seedpress.content.dashes`), the new file is read back through the
post validator before it replaces anything, and a refusal writes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import clock, covers
from ..content import load_publication, parse_post
from ..content.authors import load_authors
from ..content.dashes import find as find_dashes
from ..content.posts import TITLE_MAX, PostContext, post_files, read_post, title_key
from ..content.schema import did_you_mean
from ..content.skeleton import DESCRIPTION_PLACEHOLDER, SKELETON_PROMPTS
from ..content.slugs import slugify
from ..content.source import read_text
from ..content.yaml_text import plain, quoted
from ..diagnostics import display_path
from ..errors import ContentError, UsageError
from ..pages.render import Origin, template_findings
from ..writer import ensure_writable, write_atomic
from . import add_root, add_today, root_of

#: the longest slug new-post makes (it is a file name and the page's address)
SLUG_MAX = 80


def refused(message: str) -> UsageError:
    return UsageError(f"{message}; nothing was written")


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
        f"title: {quoted(title)}",
        f"slug: {slug}",
        f"description: {quoted(description)}",
        "date:",
        f"  created: {today.isoformat()}",
        f"  updated: {today.isoformat()}",
        "categories:",
        f"  - {plain(category)}",
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


def new_post(root: Path, title: str, category: str, *, author: str | None = None,
             featured: bool = False, draft: bool = False, description: str | None = None,
             slug: str | None = None, today: dt.date) -> NewPost:
    """Write ``posts/<slug>.md``; refuse (writing nothing) on any problem."""
    pub = load_publication(root)
    title = " ".join(title.split())
    if not title:
        raise refused("the title is empty")
    for name, value in (("title", title), ("description", description or "")):
        dashes = find_dashes(value)
        if dashes:
            raise refused(f"the {name} contains an em dash or a dash that reads as one "
                          f"({dashes[0].group()!r}); use a comma, a colon or a hyphen instead")
    if category not in pub.categories:
        raise refused(
            f"unknown category {category!r}{did_you_mean(category, pub.categories)}; "
            f"categories are listed in data/publication.yml: {', '.join(pub.categories)}")
    author = author or pub.default_author
    authors = load_authors(root)
    if author not in authors:
        raise refused(
            f"unknown author {author!r}{did_you_mean(author, authors)}; authors are listed in "
            f"docs/blog/.authors.yml: {', '.join(authors) or '(none)'}")
    slug = slugify(slug or title)
    if not slug:
        raise refused(f"the title {title!r} has no letters or digits to make a slug from; "
                      "give one with --slug")
    if len(slug) > SLUG_MAX:
        raise refused(f"the slug would be {len(slug)} characters (at most {SLUG_MAX}, "
                      "it is the page's address); give a shorter one with --slug")
    if len(title) > TITLE_MAX:
        raise refused(f"the title is {len(title)} characters (at most {TITLE_MAX}: "
                      "search results, feed readers and link previews cut a longer one "
                      "short); say the rest in --description")
    path = pub.posts_dir / f"{slug}.md"
    if path.exists():
        raise refused(f"posts/{slug}.md already exists; choose another title or --slug")
    context = PostContext(categories=pub.categories, authors=frozenset(authors),
                          docs_dir=pub.docs_dir, today=today, max_age_days=pub.max_age_days)
    for other in post_files(pub.posts_dir):
        try:
            post = parse_post(other)
        except ContentError:
            continue  # the ship check names what is wrong with it
        where = display_path(other, root)
        if post.slug == slug:
            raise refused(f"the slug {slug!r} is already used by {where}; "
                          "choose another title or --slug")
        if title_key(post.title) == title_key(title):
            raise refused(f"the title {title!r} is already used by {where}; "
                          "choose another title")
        context.remember(post, where)
    cover = pub.docs_dir / "assets" / "covers" / f"{slug}.svg" if featured else None
    text = post_skeleton(
        title=title, slug=slug, category=category, author=author, today=today,
        featured=featured, draft=draft,
        description=description or DESCRIPTION_PLACEHOLDER,
    )
    shown = f"posts/{slug}.md"

    def verify(tmp: Path) -> None:
        post, found = read_post(path, context, shown, read_text(tmp))
        if post is None or post.slug != slug or post.created != today \
                or post.updated != today:
            raise refused(f"{shown} did not verify after writing; nothing written")
        stops = found.blocking + [
            d for d in template_findings(post.body, {}, Origin(shown, post.body_line - 1))
            if d.message.startswith("template error")]
        if stops:
            raise refused(f"the new post would not build ({stops[0].message}); nothing written")

    if cover is not None and cover.exists():
        cover = None
    ensure_writable(path)
    if cover is not None:
        ensure_writable(cover)
        write_atomic(cover, covers.placeholder_svg(title).encode("utf-8"))
    try:
        write_atomic(path, text.encode("utf-8"), verify=verify)
    except BaseException:
        if cover is not None:
            cover.unlink(missing_ok=True)  # the cover belongs to a post that was not written
        raise
    png, note = covers.twin_or_note(cover) if cover is not None else (None, None)
    return NewPost(path=path, slug=slug, cover=cover, cover_png=png, cover_note=note)


def run(args: argparse.Namespace) -> int:
    root = root_of(args)
    made = new_post(root, args.title, args.category, author=args.author,
                    featured=args.featured, draft=args.draft, description=args.description,
                    slug=args.slug, today=clock.today(args.today))
    print(f"wrote {display_path(made.path, root)}")
    if made.cover is not None:
        print(f"wrote {display_path(made.cover, root)} (a plain placeholder cover: replace it)")
    if made.cover_png is not None:
        print(f"wrote {display_path(made.cover_png, root)} (its PNG twin for link previews; "
              "run `seedpress covers` after you replace the SVG)")
    if made.cover_note:
        print(f"warning: {made.cover_note}", file=sys.stderr)
    todo = "write the body" if args.description else \
        "replace the placeholder description and write the body"
    if made.cover is not None:
        todo += ", put the post's cover in place of the placeholder"
    print(f"next: {todo}, preview with `make serve`, then run `make check`")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "new-post", help="start a post in posts/ with full front matter",
        description="Write posts/<slug>.md with front matter (created and updated set to "
                    "today) and a skeleton to fill. Refuses, writing nothing, when the slug "
                    "is taken or the category or author is unknown.")
    p.add_argument("title", help="the post's title, in quotes")
    p.add_argument("--category", required=True, help="one category from data/publication.yml")
    p.add_argument("--author", help="author id from docs/blog/.authors.yml "
                                    "(default: default_author in data/publication.yml)")
    p.add_argument("--featured", action="store_true",
                   help="feature it on the home page (adds a cover to replace)")
    p.add_argument("--draft", action="store_true", help="keep it out of production builds")
    p.add_argument("--description", help="the one-sentence description (else a placeholder)")
    p.add_argument("--slug", help="the URL slug (default: made from the title)")
    add_today(p)
    add_root(p)
    p.set_defaults(func=run)

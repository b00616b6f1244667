"""SP301..SP310: a post's front matter, as the blog plugin and our pages need it."""

from __future__ import annotations

import difflib
import re

from ..content.posts import Post
from ..covers import MISSING, is_svg, twin_state
from ..editorial import DESCRIPTION_PLACEHOLDER, SKELETON_PROMPTS
from .context import Context
from .source import Source

REQUIRED = ("title", "slug", "description", "categories", "authors")
DESCRIPTION_MIN = 50
DESCRIPTION_MAX = 170
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TEXT_FIELDS = ("title", "slug", "description", "cover")
_BOOL_FIELDS = ("featured", "draft", "pin")


def _string_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def check_post(src: Source, post: Post, ctx: Context) -> None:
    meta = post.meta
    for key in REQUIRED:
        if meta.get(key) in (None, "", []):
            src.add(meta.line, 1, "SP301", f"missing front matter field '{key}'")
    for key in _TEXT_FIELDS:
        if key in meta and meta[key] is not None and not isinstance(meta[key], str):
            src.add(meta.line_of(key), 1, "SP302", f"'{key}' must be text")
    for key in _BOOL_FIELDS:
        if key in meta and not isinstance(meta[key], bool):
            src.add(meta.line_of(key), 1, "SP302", f"'{key}' must be true or false")
    for key in ("categories", "authors"):
        if meta.get(key) not in (None, []) and not _string_list(meta[key]):
            src.add(meta.line_of(key), 1, "SP302", f"'{key}' must be a list of names")

    slug = meta.get("slug")
    if isinstance(slug, str) and slug and not SLUG.match(slug):
        src.add(meta.line_of("slug"), 1, "SP302",
                f"slug {slug!r} must be lower-case letters and digits joined by hyphens")

    cats = meta.get("categories")
    if _string_list(cats):
        allowed = ctx.publication.categories
        for i, cat in enumerate(cats):
            if cat not in allowed:
                near = difflib.get_close_matches(cat, allowed, n=1, cutoff=0.6) or [
                    a for a in allowed if a.lower() == cat.lower()]
                hint = f"; did you mean {near[0]!r}?" if near else \
                    f" (allowed: {', '.join(allowed)})"
                src.add(cats.line_of(i), 1, "SP303", f"category {cat!r} is not allowed{hint}")

    authors = meta.get("authors")
    if ctx.authors is not None and _string_list(authors):
        for i, author in enumerate(authors):
            if author not in ctx.authors:
                src.add(authors.line_of(i), 1, "SP307",
                        f"author {author!r} is not in docs/blog/.authors.yml")

    desc = meta.get("description")
    if isinstance(desc, str) and desc.strip():
        n = len(desc.strip())
        if not DESCRIPTION_MIN <= n <= DESCRIPTION_MAX:
            src.add(meta.line_of("description"), 1, "SP306",
                    f"description is {n} characters; write {DESCRIPTION_MIN} to "
                    f"{DESCRIPTION_MAX}")

    if isinstance(desc, str) and desc.strip() == DESCRIPTION_PLACEHOLDER:
        src.add(meta.line_of("description"), 1, "SP310",
                "the description is still the new-post placeholder")
    for offset, line in enumerate(post.body.split("\n")):
        if line.strip() in SKELETON_PROMPTS:
            src.add(post.body_line + offset, 1, "SP310",
                    "an instruction from the new-post skeleton is still here")

    cover = meta.get("cover")
    if isinstance(cover, str) and cover.strip():
        target = ctx.publication.docs_dir / cover.strip().lstrip("/")
        if not target.is_file():
            src.add(meta.line_of("cover"), 1, "SP308", f"cover {cover!r} is not a file under docs/")
        elif is_svg(cover) and (state := twin_state(target)):
            twin = cover.strip()[:-4] + ".png"
            why = (f"has no PNG twin ({twin}) for link previews" if state == MISSING
                   else f"changed since its PNG twin ({twin}) was made")
            src.add(meta.line_of("cover"), 1, "SP309",
                    f"SVG cover {cover!r} {why}; run `seedpress covers`")

    here = f"{src.display}:{meta.line_of('slug')}"
    if isinstance(slug, str) and slug:
        first = ctx.slugs.setdefault(slug, here)
        if first != here:
            src.add(meta.line_of("slug"), 1, "SP304", f"slug {slug!r} is also used at {first}")
    title = meta.get("title")
    if isinstance(title, str) and title.strip():
        key = " ".join(title.lower().split())
        here = f"{src.display}:{meta.line_of('title')}"
        first = ctx.titles.setdefault(key, here)
        if first != here:
            src.add(meta.line_of("title"), 1, "SP305", f"title is also used at {first}")

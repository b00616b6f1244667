"""`seedpress stale`: every post by days since its last review, oldest first.

A post's age is decided by :func:`seedpress.clock.age`, the rule SP205
applies too, so the list and the ship check agree: a draft is not published,
so it is never stale (it is listed apart), and a post whose age cannot be
known (an impossible date, front matter that does not read) stops the verb
at its line (exit 2), as it stops the build, instead of being listed
without a date.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .. import clock
from ..content import load_publication
from ..content.authors import load_authors
from ..content.posts import Post, PostContext, post_files, read_post
from ..diagnostics import display_path
from ..errors import ContentError
from . import add_root, add_today, root_of

#: the families of findings that leave a post's age unknown: reading (SP0) and dates (SP2)
AGE_FAMILIES = ("SP0", "SP2")


@dataclass(frozen=True)
class Row:
    post: Post
    age: clock.Age

    @property
    def reviewed(self) -> dt.date | None:
        return self.age.since

    @property
    def days(self) -> int | None:
        return self.age.days

    @property
    def stale(self) -> bool:
        return self.age.stale


def read_posts(root: Path, today: dt.date) -> tuple[list[Post], int]:
    """Every post of ``root`` through the post validator, and the maximum age;
    raises ContentError naming every finding that leaves a post's age unknown (a
    post that does not read, a date that is missing or not a date): the build
    stops on those too. What else is wrong with a post is the check's to say."""
    pub = load_publication(root)
    context = PostContext(categories=pub.categories, authors=frozenset(load_authors(root)),
                          docs_dir=pub.docs_dir, today=today, max_age_days=pub.max_age_days)
    posts, blocking = [], []
    for path in post_files(pub.posts_dir):
        post, found = read_post(path, context, display_path(path, root))
        blocking += [d for d in found.blocking if d.code[:3] in AGE_FAMILIES]
        if post is not None:
            posts.append(post)
    if blocking:
        raise ContentError(blocking)
    return posts, pub.max_age_days


def rows_of(posts: list[Post], today: dt.date, max_age_days: int) -> list[Row]:
    """The published posts by days since their last review, oldest first."""
    rows = [Row(p, p.age(today, max_age_days)) for p in posts if not p.draft]
    return sorted(rows, key=lambda r: (r.days is not None, -(r.days or 0), r.post.slug))


def ages(root: Path, *, today: dt.date) -> list[Row]:
    """Every published post by days since its last review, oldest first."""
    posts, max_age = read_posts(root, today)
    return rows_of(posts, today, max_age)


def run(args: argparse.Namespace) -> int:
    root = root_of(args)
    today = clock.today(args.today)
    posts, max_age = read_posts(root, today)
    if not posts:
        print("no posts")
        return 0
    rows, drafts = rows_of(posts, today, max_age), [p for p in posts if p.draft]
    print(f"{'days':>5}  {'reviewed':<10}  post")
    marked = False
    for row in rows:
        if not row.stale and not marked:
            print(f"{'':>5}  {'':<10}  --- max age: {max_age} days (data/publication.yml) ---")
            marked = True
        days = "?" if row.days is None else str(row.days)
        reviewed = row.reviewed.isoformat() if row.reviewed else "no date"
        note = f"  STALE: over {max_age} days, run `seedpress review`" if row.stale else ""
        print(f"{days:>5}  {reviewed:<10}  {display_path(row.post.path, root)}{note}")
    if not marked:
        print(f"{'':>5}  {'':<10}  --- max age: {max_age} days (data/publication.yml) ---")
    for post in drafts:
        print(f"{'':>5}  {'draft':<10}  {display_path(post.path, root)}  (not published, "
              "so not judged by age)")
    stale = sum(r.stale for r in rows)
    print(f"{stale} of {len(rows)} posts past the max age of {max_age} days.")
    return 1 if (stale and args.fail) else 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "stale", help="list posts by days since their last review, oldest first",
        description="Every post by days since date.reviewed (else date.updated), oldest "
                    "first; those past max_age_days in data/publication.yml are marked. "
                    "Drafts are listed apart: they are not published, so not judged by age.")
    p.add_argument("--fail", action="store_true", help="exit 1 when any post is stale")
    add_today(p)
    add_root(p)
    p.set_defaults(func=run)

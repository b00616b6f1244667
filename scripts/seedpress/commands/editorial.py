"""`seedpress new-post`, `seedpress review` and `seedpress stale`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import clock, editorial, project_root
from ..cli import UsageError


def _root(args: argparse.Namespace) -> Path:
    root = Path(args.root).resolve() if args.root else project_root()
    if not (root / "data" / "publication.yml").is_file():
        raise UsageError(f"{root} is not a seedpress project (no data/publication.yml)")
    return root


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--today", metavar="YYYY-MM-DD",
                        help="the date to use as today "
                             "(default: SOURCE_DATE_EPOCH, else the clock)")
    parser.add_argument("--root", help=argparse.SUPPRESS)


def run_new_post(args: argparse.Namespace) -> int:
    root = _root(args)
    try:
        made = editorial.new_post(
            root, args.title, args.category, author=args.author, featured=args.featured,
            draft=args.draft, description=args.description, slug=args.slug,
            today=clock.today(args.today))
    except editorial.EditorialError as err:
        raise UsageError(f"{err}; nothing was written") from None
    print(f"wrote {_shown(made.path, root)}")
    if made.cover is not None:
        print(f"wrote {_shown(made.cover, root)} (a plain placeholder cover: replace it)")
    if made.cover_png is not None:
        print(f"wrote {_shown(made.cover_png, root)} (its PNG twin for link previews; "
              "run `seedpress covers` after you replace the SVG)")
    if made.cover_note:
        print(f"warning: {made.cover_note}", file=sys.stderr)
    todo = "write the body" if args.description else \
        "replace the placeholder description and write the body"
    if made.cover is not None:
        todo += ", put the post's cover in place of the placeholder"
    print(f"next: {todo}, preview with `make serve`, then run `make check`")
    return 0


def run_review(args: argparse.Namespace) -> int:
    """Every post is read, checked and made ready first; only when all of them can
    be reviewed is any written, so a bad path in a batch changes nothing."""
    root = _root(args)
    today = clock.today(args.today)
    plans = []
    for name in args.paths:
        path = Path(name)
        if not path.is_absolute() and (root / path).exists():
            path = root / path  # paths are relative to the project, as `make` runs it
        try:
            plans.append(editorial.plan_review(path, today=today))
        except editorial.EditorialError as err:
            raise UsageError(f"{err}; nothing was written") from None
    for done in plans:
        editorial.apply_review(done)
        shown = _shown(done.path, root)
        if done.changed:
            was = done.previous.isoformat() if done.previous else "not set"
            print(f"{shown}: reviewed {today} (date.reviewed was {was})")
        else:
            print(f"{shown}: already reviewed {today}, unchanged")
    return 0


def run_stale(args: argparse.Namespace) -> int:
    root = _root(args)
    rows = editorial.ages(root, today=clock.today(args.today))
    if not rows:
        print("no posts")
        return 0
    max_age = rows[0].max_age_days
    print(f"{'days':>5}  {'reviewed':<10}  post")
    marked = False
    for row in rows:
        if not row.stale and not marked:
            print(f"{'':>5}  {'':<10}  --- max age: {max_age} days (data/publication.yml) ---")
            marked = True
        days = "?" if row.days is None else str(row.days)
        reviewed = row.reviewed.isoformat() if row.reviewed else "no date"
        note = f"  STALE: over {max_age} days, run `seedpress review`" if row.stale else ""
        print(f"{days:>5}  {reviewed:<10}  {_shown(row.post.path, root)}{note}")
    if not marked:
        print(f"{'':>5}  {'':<10}  --- max age: {max_age} days (data/publication.yml) ---")
    stale = sum(r.stale for r in rows)
    print(f"{stale} of {len(rows)} posts past the max age of {max_age} days.")
    return 1 if (stale and args.fail) else 0


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
    _common(p)
    p.set_defaults(func=run_new_post)

    p = sub.add_parser(
        "review", help="mark posts reviewed today (sets date.reviewed)",
        description="Set date.reviewed to today in each post, changing nothing else in the "
                    "file. Do it after checking every fact on the page against its sources; "
                    "move date.updated yourself when you change what a reader sees.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="post files, e.g. posts/x.md")
    _common(p)
    p.set_defaults(func=run_review)

    p = sub.add_parser(
        "stale", help="list posts by days since their last review, oldest first",
        description="Every post by days since date.reviewed (else date.updated), oldest "
                    "first; those past "
                    "max_age_days in data/publication.yml are marked.")
    p.add_argument("--fail", action="store_true", help="exit 1 when any post is stale")
    _common(p)
    p.set_defaults(func=run_stale)

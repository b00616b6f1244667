"""`seedpress covers [--check]`: PNG twins of SVG covers, for link previews."""

from __future__ import annotations

import argparse
import sys

from .. import covers
from ..content.twins import twin_state
from ..diagnostics import display_path
from ..errors import MediaError, UsageError
from . import add_root, root_of


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "covers", help="make the PNG twin of every SVG cover (link previews need PNG)",
        description="For every post whose cover is an SVG under docs/, write its PNG twin "
                    "(same path, .png, 1200x630) when it is missing or was made from an "
                    "older SVG. With --check, write nothing: exit 1 listing the twins to "
                    "make. Needs ffmpeg (with librsvg) to write.")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 when a twin is missing or stale")
    add_root(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    root = root_of(args)
    found, skipped = covers.svg_covers(root)
    for note in skipped:
        print(f"note: {note}", file=sys.stderr)
    todo = [(c, state) for c in found if (state := twin_state(c.svg))]
    if args.check:
        for cover, state in todo:
            print(f"{display_path(cover.png, root)}: {state} PNG twin of "
                  f"{display_path(cover.svg, root)}")
        if todo:
            print(f"{len(todo)} of {len(found)} {_n(len(found), 'cover twin')} to make: "
                  "run `seedpress covers`")
            return 1
        every = "its PNG twin" if len(found) == 1 else "every PNG twin"
        print(f"{len(found)} {_n(len(found), 'SVG cover')}, {every} up to date")
        return 0
    if todo and (missing := covers.tools_missing()):
        raise UsageError(f"{' and '.join(missing)} not installed (Debian: apt-get install "
                         f"ffmpeg); {len(todo)} {_n(len(todo), 'cover twin')} not written")
    failed = 0
    for cover, state in todo:
        try:
            png = covers.write_twin(cover.svg)
        except MediaError as err:
            failed += 1
            print(f"{display_path(cover.svg, root)}: {err}; its twin is unchanged", file=sys.stderr)
            continue
        size = png.stat().st_size / 1024
        print(f"wrote {display_path(png, root)} ({state} before, 1200x630, {size:.0f} KB)")
    made = len(todo) - failed
    print(f"{len(found)} {_n(len(found), 'SVG cover')}: {made} {_n(made, 'twin')} written, "
          f"{len(found) - len(todo)} already up to date"
          + (f", {failed} failed" if failed else ""))
    return 1 if failed else 0


def _n(count: int, noun: str) -> str:
    """``noun`` as ``count`` of them is written: 1 twin, 2 twins, 0 twins."""
    return noun if count == 1 else noun + "s"

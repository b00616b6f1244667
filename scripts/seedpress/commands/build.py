"""`seedpress build`: the strict production build, swapped into place only when it succeeded."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import BuildFailed
from ..site.build import ENGINES, build
from . import add_root, root_of


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build", help="the strict build into site/, all or nothing",
        description="Build the site with the engine given (default mkdocs) into a temporary "
                    "folder, and swap it into place only when the build succeeded: a failed "
                    "or interrupted build leaves the previous site whole. Exit 0 built, 1 the "
                    "build failed (the engine says why), 2 could not start.")
    p.add_argument("--engine", choices=ENGINES, default="mkdocs",
                   help="mkdocs (Material for MkDocs, the default) or zensical (its successor)")
    p.add_argument("--clean", action="store_true",
                   help="zensical: drop its cache first, for a cold build")
    p.add_argument("--site-dir", type=Path, default=None, metavar="DIR",
                   help="where the site goes (default: site/ of the publication)")
    add_root(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    root = root_of(args, needs=None)
    target = args.site_dir or root / "site"
    try:
        built = build(root, target, args.engine, clean=args.clean)
    except BuildFailed as err:
        if str(err):
            print(str(err), file=sys.stderr)
        print(f"seedpress build: the {args.engine} build failed; {target} is unchanged",
              file=sys.stderr)
        return 1
    print(f"built {built.site} with {built.engine}")
    return 0

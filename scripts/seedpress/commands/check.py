"""`seedpress check`: the ship check over the publication or the paths given."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import clock
from ..check import run
from ..diagnostics import render, summary
from ..errors import UsageError
from . import add_root, add_today, root_of

FORMATS = ("text", "json", "github")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check", help="the ship check: em dashes, dates, front matter, prices, endpoints",
        description="Check the publication (or the files and folders given) and print "
                    "one line per finding. Exit 0 clean, 1 findings, 2 could not run. "
                    "The codes are explained in docs/ship-check.md. The check runs the build's own "
                    "validators and renderer, so a passing check means a passing build.")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="files or folders to check (default: the whole publication)")
    add_today(p, "the day to judge dates against")
    p.add_argument("--max-age-days", type=int, metavar="N",
                   help="the maximum age of a dated page (default: data/publication.yml)")
    p.add_argument("--format", choices=FORMATS, default="text", help="output format")
    p.add_argument("--site", type=Path, metavar="DIR",
                   help="also check a built site for em dashes the build made, e.g. --site "
                        "site after `make build` (without it, only the sources are judged)")
    p.add_argument("--fix", action="store_true",
                   help="replace em dashes (and dashes that read as one) in source files "
                        "with the configured replacement; every file is checked writable "
                        "before any is changed")
    add_root(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    root = root_of(args, needs=None)
    if args.max_age_days is not None and args.max_age_days <= 0:
        raise UsageError("--max-age-days must be a positive number of days")
    if args.site is not None and not args.site.is_dir():
        raise UsageError(f"--site {args.site}: no such folder")
    today = clock.today(args.today)
    report = run(root, args.paths, today=today, max_age_days=args.max_age_days,
                 site=args.site, fix=args.fix)
    for path, count in sorted(report.fixed.items()):
        s = "" if count == 1 else "es"
        print(f"{path}: fixed {count} em dash{s}", file=sys.stderr)
    if args.format == "text":
        if report.diagnostics:
            print(render(report.diagnostics, "text"))
        print(summary(report.diagnostics, report.files, report.fixable))
    else:
        out = render(report.diagnostics, args.format)
        if out:
            print(out)
        if args.format == "github":
            print(summary(report.diagnostics, report.files, report.fixable), file=sys.stderr)
    return 1 if report.diagnostics else 0

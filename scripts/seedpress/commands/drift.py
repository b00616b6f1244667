"""`seedpress drift`: compare fal's model pages with the data, and stamp it when they agree."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .. import clock
from ..diagnostics import render
from ..drift import fetch as F
from ..drift.run import Report, run
from ..drift.stamp import stamp
from ..errors import UsageError
from ..writer import write_atomic
from . import add_root, add_today, root_of

FORMATS = ("text", "json", "github")
#: where ETags and pages are kept between runs, under the project
CACHE_DIR = Path(".seedpress") / "drift-cache"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "drift", help="compare fal's model pages (schema and price) with the data",
        description="Read the llms.txt page fal publishes for each Seedance 2.0 endpoint and "
                    "for the Seedance 1.5 Pro endpoint the site prices (one request each, no "
                    "key), and compare its input fields and pricing paragraph with "
                    "data/limits.yml, data/pricing.yml and the request builder. One line per "
                    "difference, at the data line it contradicts, naming the pages that "
                    "print that fact. Exit 0 in sync, 1 drift found, 2 could not judge "
                    "(network down, a page missing, not llms.txt, or laid out differently).")
    p.add_argument("--base-url", metavar="URL",
                   help=f"where the pages are: <URL>/<endpoint-id>/llms.txt (default: "
                        f"${F.BASE_URL_ENV}, else {F.DEFAULT_BASE_URL})")
    p.add_argument("--format", choices=FORMATS, default="text", help="output format")
    p.add_argument("--json", action="store_const", const="json", dest="format",
                   help="the same as --format json")
    p.add_argument("--stamp", action="store_true",
                   help="when everything agrees, record today as the verified date of "
                        "data/limits.yml and data/pricing.yml (nothing else changes)")
    p.add_argument("--report", type=Path, metavar="FILE",
                   help="also write the JSON report to FILE (for CI)")
    add_today(p, "the day to stamp and judge dates against")
    p.add_argument("--timeout", type=float, default=F.TIMEOUT_S, metavar="S",
                   help=f"seconds to wait for each page (default {F.TIMEOUT_S:g})")
    p.add_argument("--cache-dir", type=Path, metavar="DIR",
                   help=f"where ETags and pages are kept between runs (default {CACHE_DIR})")
    add_root(p)
    p.set_defaults(func=main)


def _summary(report: Report) -> str:
    total = len(report.pages)
    judged = [p for p in report.pages if p.state in ("in_sync", "drift")]
    cached = sum(p.from_cache for p in judged)
    n = len(report.diagnostics)
    if report.status == "in_sync":
        note = f", {cached} unchanged since the last run" if cached else ""
        return f"In sync: all {total} pages of fal agree with the data{note}."
    if report.status == "drift":
        drifted = sum(p.state == "drift" for p in report.pages)
        found = f"Found {n} difference{'s' if n != 1 else ''}"
        if not drifted:  # an accepted entry that no page needs any more
            return f"{found} between fal's pages and the data."
        return f"{found} on {drifted} of {total} pages of fal."
    unjudged = sum(p.state == "unjudged" for p in report.pages)
    what = (f"Could not judge {unjudged} of {total} pages" if unjudged
            else "Could not judge every fact the data holds")
    return (f"{what} ({n} finding{'s' if n != 1 else ''} in all): nothing is in sync until "
            "everything is judged.")


def main(args: argparse.Namespace) -> int:
    root = root_of(args, needs="data/limits.yml")
    base = args.base_url or os.environ.get(F.BASE_URL_ENV, "").strip() or F.DEFAULT_BASE_URL
    problem = F.check_base_url(base)
    if problem:
        raise UsageError(f"--base-url: {problem}")
    if not args.timeout > 0 or args.timeout > 600:
        raise UsageError("--timeout must be more than 0 and at most 600 seconds")
    today = clock.today(args.today)
    cache = args.cache_dir if args.cache_dir is not None else root / CACHE_DIR
    report = run(root, base_url=base, today=today, cache_dir=cache, timeout=args.timeout)

    if args.format == "json":
        print(json.dumps(report.as_json(), indent=2))
    elif report.diagnostics:
        print(render(report.diagnostics, args.format))
    if report.status == "unreachable":
        print(f"seedpress drift: {report.failure}", file=sys.stderr)
        if args.format == "github":
            print(f"::error title=seedpress drift::{report.failure}")
    else:
        print(_summary(report), file=sys.stdout if args.format == "text" else sys.stderr)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)

    if args.stamp:
        if report.status == "in_sync":
            for s in stamp(root, today):
                if s.changed:
                    print(f"{s.path.as_posix()}: verified {s.previous} -> {today}",
                          file=sys.stderr)
                else:
                    print(f"{s.path.as_posix()}: already verified {today}", file=sys.stderr)
        else:
            print("not stamped: fal's pages and the data do not agree, or not every page "
                  "was judged", file=sys.stderr)
    if args.report is not None:
        write_atomic(args.report, json.dumps(report.as_json(), indent=2) + "\n")
    return report.exit_code

"""`seedpress review`: mark posts reviewed today, changing no other byte of them.

Every post is read, checked and made ready first; only when all of them can
be reviewed is any written, so a bad path in a batch changes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from .. import clock, codes
from ..content import parse_post
from ..content.source import as_date, error, read_text
from ..diagnostics import display_path
from ..errors import UsageError
from ..writer import ensure_writable, write_atomic
from . import add_root, add_today, root_of


def refused(message: str) -> UsageError:
    return UsageError(f"{message}; nothing was written")


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
        raise refused(f"{path}: no such post file")
    raw = path.read_bytes()
    post = parse_post(path)  # reports broken front matter with path:line
    created = post.created
    date_value = post.meta.get("date")
    if created is None:
        line = post.meta.line_of("date") if "date" in post.meta else post.meta.line
        raise error(path, line, codes.NO_DATE, "the post has no date.created to review against")
    if today < created:
        raise refused(f"{path}: today ({today}) is before date.created ({created})")
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
            raise refused(f"{path}: the review edit did not verify; the file is unchanged")

    ensure_writable(path)
    return Review(path=path, previous=explicit, today=today,
                  data=bom + new_text.encode("utf-8"), verify=verify)


def run(args: argparse.Namespace) -> int:
    """Every post is read, checked and made ready first; only when all of them can
    be reviewed is any written, so a bad path in a batch changes nothing."""
    root = root_of(args)
    today = clock.today(args.today)
    plans = []
    for name in args.paths:
        path = Path(name)
        if not path.is_absolute() and (root / path).exists():
            path = root / path  # paths are relative to the project, as `make` runs it
        plans.append(plan_review(path, today=today))
    for done in plans:
        apply_review(done)
        shown = display_path(done.path, root)
        if done.changed:
            was = done.previous.isoformat() if done.previous else "not set"
            print(f"{shown}: reviewed {today} (date.reviewed was {was})")
        else:
            print(f"{shown}: already reviewed {today}, unchanged")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "review", help="mark posts reviewed today (sets date.reviewed)",
        description="Set date.reviewed to today in each post, changing nothing else in the "
                    "file. Do it after checking every fact on the page against its sources; "
                    "move date.updated yourself when you change what a reader sees.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="post files, e.g. posts/x.md")
    add_today(p)
    add_root(p)
    p.set_defaults(func=run)

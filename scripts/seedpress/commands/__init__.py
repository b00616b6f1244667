"""One module per verb of the `seedpress` command (see seedpress.cli), and what they share:
the hidden ``--root`` option, ``--today``, and finding the publication."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import project_root
from ..errors import UsageError


def add_root(parser: argparse.ArgumentParser) -> None:
    """``--root DIR``: the publication to work on (tests and tools; hidden)."""
    parser.add_argument("--root", type=Path, default=None, help=argparse.SUPPRESS)


def add_today(parser: argparse.ArgumentParser, what: str = "the date to use as today") -> None:
    parser.add_argument("--today", metavar="YYYY-MM-DD",
                        help=f"{what} (default: SOURCE_DATE_EPOCH, else the clock)")


def root_of(args: argparse.Namespace, needs: str | None = "data/publication.yml") -> Path:
    """The publication a verb works on (``--root``, else the folder it runs in);
    with ``needs``, refused unless that file is there."""
    root = (Path(args.root) if args.root else project_root()).resolve()
    if needs is not None and not (root / needs).is_file():
        raise UsageError(f"{root} is not a seedpress project (no {needs})")
    return root

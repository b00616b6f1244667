"""`seedpress <verb>`: argument parsing and exit codes only.

Each verb lives in a module of ``seedpress.commands`` that exposes
``register(subparsers)``; the parser it adds sets ``func`` to a callable
taking the parsed arguments and returning an exit code.

Exit codes: 0 success, 1 findings or a failed run, 2 could not run (bad
arguments, bad configuration). Mistakes by people print a message naming
the file and line, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .clock import BadDate
from .diagnostics import ContentError
from .writer import WriteError

#: Modules of seedpress.commands, one per verb (or family of verbs).
COMMAND_MODULES: tuple[str, ...] = ("editorial", "check", "build", "gallery", "price", "covers",
                                   "drift")


class UsageError(Exception):
    """A command was asked for something it cannot do; exit 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="seedpress", description="The seedpress publication toolkit.")
    sub = parser.add_subparsers(dest="verb", metavar="VERB")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(f"seedpress.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    verb = "seedpress"
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        verb = f"seedpress {args.verb}"
        return int(args.func(args) or 0)
    except ContentError as err:
        print(str(err), file=sys.stderr)
        return 2
    except (UsageError, BadDate, WriteError) as err:
        print(f"{verb}: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        # a file that cannot be read or written: say which and why, no traceback
        where = f"{err.filename}: " if getattr(err, "filename", None) else ""
        print(f"{verb}: {where}{err.strerror or err}", file=sys.stderr)
        return 2
    except ValueError as err:
        if "null byte" not in str(err):
            raise
        print(f"{verb}: a path or argument cannot contain a NUL byte", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{verb}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

"""`seedpress <verb>`: argument parsing and exit codes only.

Each verb lives in a module of ``seedpress.commands`` that exposes
``register(subparsers)``; the parser it adds sets ``func`` to a callable
taking the parsed arguments and returning an exit code.

Exit codes: 0 success, 1 findings or a failed run, 2 could not run (bad
arguments, bad configuration), 130 interrupted, 141 output closed early (a
pager or ``head`` stopped reading). Mistakes by people print a message
naming the file and line, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from .errors import ContentError, SeedpressError, UsageError

#: Modules of seedpress.commands, one per verb (or family of verbs).
COMMAND_MODULES: tuple[str, ...] = ("new_post", "review", "stale", "check", "build", "gallery",
                                   "price", "covers", "drift")


#: What every verb's exit code means (also in README.md, docs/editors.md and
#: docs/ship-check.md, held to each other by tests/test_verbs.py).
EXIT_CODES = """\
exit codes (every verb):
  0    success: clean, nothing found
  1    findings, or a failed build or render
  2    could not run: a mistyped option, a path or a configuration it cannot use
  130  interrupted (Ctrl-C)
  141  its reader stopped early (`seedpress check | head`)

Through make (`make check`, `make build`), make prints the command's own code
in its last line ("make: *** [...] Error 1") and exits 2 itself for any failed
recipe, whatever that code was."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="seedpress", description="The seedpress publication toolkit.",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="verb", metavar="VERB")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(f"seedpress.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    verb = "seedpress"
    argv = sys.argv[1:] if argv is None else argv
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        verb = f"seedpress {args.verb}"
        if any("\x00" in arg for arg in argv):
            raise UsageError("a path or argument cannot contain a NUL byte")
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe is reported here, not at exit
        return code
    except BrokenPipeError:
        # the reader stopped (`seedpress check | head`): end quietly, as a shell
        # tool killed by SIGPIPE does, and let nothing write to the pipe again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except ContentError as err:
        print(str(err), file=sys.stderr)
        return err.exit_code
    except SeedpressError as err:
        print(f"{verb}: {err}", file=sys.stderr)
        return err.exit_code
    except OSError as err:
        # a file that cannot be read or written: say which and why, no traceback
        where = f"{err.filename}: " if getattr(err, "filename", None) else ""
        print(f"{verb}: {where}{err.strerror or err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{verb}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

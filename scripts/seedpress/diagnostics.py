"""One diagnostic type for the whole project, and its reporters.

Text output looks like ruff's: ``path:line:col: CODE message``.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    column: int
    code: str
    message: str
    severity: str = "error"

    def text(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.code} {self.message}"

    def github(self) -> str:
        """A GitHub annotation at the finding's severity: ``error`` for what stops
        the build, ``warning`` for what only the check stops on."""
        level = "error" if self.severity == "error" else "warning"
        msg = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return (
            f"::{level} file={self.path},line={self.line},col={self.column},"
            f"title={self.code}::{msg}"
        )


class Places:
    """Paths as people read them: relative to ``root`` (the repository) when inside
    it, else to the working directory, else as given. The one way seedpress shows
    a path; a run that shows many paths keeps one (the bases are resolved once)."""

    def __init__(self, root: Path | None = None):
        bases = [root, Path.cwd()] if root is not None else [Path.cwd()]
        self.bases = [str(_resolved(str(b))) + os.sep for b in bases]

    def display(self, path: str | Path, *, resolved: bool = False) -> str:
        """``path`` as people read it (``resolved``: it is absolute and resolved
        already, so no file system call is made)."""
        p = Path(path)
        try:
            text = str(p if resolved else p.resolve())
        except OSError:
            return str(path)
        for base in self.bases:
            if text.startswith(base):
                return text[len(base):]
        return str(path)


def display_path(path: str | Path, root: Path | None = None) -> str:
    """A path as people read it: relative to ``root`` (or the cwd) when inside it."""
    return Places(root).display(path)


@functools.lru_cache(maxsize=64)
def _resolved(base: str) -> Path:
    """A base folder resolved once (paths are shown for every file of a run)."""
    return Path(base).resolve()


def render(diagnostics: Iterable[Diagnostic], fmt: str = "text") -> str:
    items = sorted(diagnostics, key=lambda d: (d.path, d.line, d.column, d.code))
    if fmt == "json":
        return json.dumps([asdict(d) for d in items], indent=2)
    if fmt == "github":
        return "\n".join(d.github() for d in items)
    return "\n".join(d.text() for d in items)


def summary(diagnostics: list[Diagnostic], files: int, fixable: int = 0) -> str:
    n = len(diagnostics)
    if not n:
        return f"All checks passed ({files} files)."
    s = "" if n == 1 else "s"
    stops = sum(1 for d in diagnostics if d.severity == "error")
    parts = [f"{stops} {'stops' if stops == 1 else 'stop'} the build" if stops
             else "none stops the build"]
    parts.append(f"{fixable} fixable with --fix" if fixable else "none fixable with --fix")
    return f"Found {n} problem{s} in {files} files ({', '.join(parts)})."

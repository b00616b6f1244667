"""One build of the site, all or nothing: a new site/ only when the build succeeded.

The engine writes into a temporary folder beside the target; only a build
that finished is swapped in (the old folder renamed aside, the new one
renamed into place, the old one removed). A failed or interrupted build
leaves the previous site whole, and a partial one never sits where the
ship check or a web server would read it.

The engine runs as its own process (``python -m mkdocs``), so this module
does not import it: the hook stays the only place mkdocs is imported.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ENGINES = ("mkdocs",)


class BuildFailed(Exception):
    """The engine stopped; its own output says why. The target was not touched."""


@dataclass(frozen=True)
class Built:
    site: Path
    engine: str


def _swap(new: Path, target: Path) -> None:
    old = None
    if target.exists() or target.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.rmdir(old)
        os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        if old is not None:
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def engine_command(engine: str, root: Path, out: Path) -> list[str]:
    if engine == "mkdocs":
        return [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
                str(root / "mkdocs.yml"), "--site-dir", str(out)]
    raise ValueError(f"unknown engine {engine!r} (one of {', '.join(ENGINES)})")


def build(root: Path, target: Path, engine: str = "mkdocs", *, quiet: bool = False) -> Built:
    """Build the site of ``root`` into ``target`` atomically."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
        result = subprocess.run(engine_command(engine, root, work), cwd=root, env=env,
                                stdout=subprocess.PIPE if quiet else None,
                                stderr=subprocess.STDOUT if quiet else None, text=True)
        if result.returncode != 0:
            raise BuildFailed(result.stdout or "" if quiet else "")
        _swap(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return Built(target, engine)

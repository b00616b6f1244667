"""What the tests share: the repository, the one "today", copies and clones of the
publication, real builds, servers, and the ways a test runs the command.

Test modules import these (``from support import ROOT, TODAY``); no test module
imports another, and ``conftest`` only holds fixtures and hooks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from seedpress.cli import main

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

#: The one "today" of the test suite (tests never read the clock).
TODAY = dt.date(2026, 12, 5)

_SKIP_ANYWHERE = {".venv", ".git", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache",
                  ".seedpress"}
_SKIP_AT_TOP = {"site", "site-zensical", "artifacts"}


def _ignore(directory: str, names: list[str]) -> set[str]:
    skip = {n for n in names if n in _SKIP_ANYWHERE}
    if Path(directory).resolve() == ROOT:
        skip |= {n for n in names if n in _SKIP_AT_TOP}
    if Path(directory).name == "bench":
        skip |= {n for n in names if n == ".work"}
    return skip


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_tool(name: str) -> str:
    """The path of a system tool; skip without it, but fail under CI=true."""
    path = shutil.which(name)
    if path:
        return path
    msg = f"{name} is not installed (Debian: apt-get install {name}); run `make sysdeps`"
    if in_ci():
        pytest.fail(msg)
    pytest.skip(msg)


def copy_repo(dest: Path) -> Path:
    """A working copy of the publication that a test may change."""
    shutil.copytree(ROOT, dest, ignore=_ignore, symlinks=True)
    return dest


def fresh_clone(dest: Path) -> Path:
    """What a new editor has after `git clone` and `make setup`: the repository as a
    git checkout of one commit (no site/, no caches) and a ``.venv`` whose programs
    are this environment's, with `make setup`'s stamp newer than pyproject.toml, so
    the Makefile's verbs and ``.venv/bin/seedpress`` run as written. The package
    itself is this checkout's; every verb works on the folder it runs in."""
    copy_repo(dest)
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org",
           "-c", "init.defaultBranch=main"]
    for argv in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "clone"]):
        subprocess.run([*git, *argv], cwd=dest, check=True, capture_output=True, timeout=120)
    venv = dest / ".venv"
    (venv / "bin").mkdir(parents=True)
    for program in BIN.iterdir():
        (venv / "bin" / program.name).symlink_to(program)
    real = BIN.parent
    shutil.copy(real / "pyvenv.cfg", venv / "pyvenv.cfg")
    (venv / "lib").symlink_to(real / "lib")
    (venv / ".seedpress-installed").touch()
    return dest


def mkdocs_build(project: Path, out: Path) -> subprocess.CompletedProcess:
    """The real strict build of ``project`` into ``out``."""
    return subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(out)],
        cwd=project, capture_output=True, text=True, timeout=600,
    )


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    """A running `mkdocs serve` of a project: its base URL and a page fetcher."""

    def __init__(self, proc: subprocess.Popen, base: str):
        self.proc, self.base = proc, base

    def get(self, path: str, *, until: str | None = None, timeout: float = 120) -> str:
        """The page at ``path`` once it answers (and contains ``until``, if given)."""
        import time
        import urllib.error
        import urllib.request

        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                pytest.fail(f"mkdocs serve exited early:\n{self.proc.stdout.read()}")
            try:
                with urllib.request.urlopen(self.base + path, timeout=5) as resp:
                    text = resp.read().decode("utf-8")
                if until is None or until in text:
                    return text
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"mkdocs serve did not serve {path!r}"
                            + (f" with {until!r}" if until else "") + " in time")
            time.sleep(0.3)


@contextlib.contextmanager
def mkdocs_serve(project: Path, *args: str, env: dict | None = None):
    """`mkdocs serve` of ``project`` on a free loopback port, stopped afterwards."""
    port = free_port()
    proc = subprocess.Popen(
        [str(BIN / "mkdocs"), "serve", *args, "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        yield Served(proc, f"http://127.0.0.1:{port}/seedpress")
    finally:
        # Ctrl-C, as a person stops it: mkdocs serve then deletes its mkdocs_* build
        # folder in the temp dir (a SIGTERM ends it before that, and each run left one)
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)


def zensical_build(project: Path, out: Path) -> subprocess.CompletedProcess:
    """The real strict Zensical build of ``project`` into ``out`` (its tree and cache
    stay in ``project/.seedpress/zensical``)."""
    return subprocess.run(
        [str(BIN / "seedpress"), "build", "--engine", "zensical", "--site-dir", str(out),
         "--root", str(project)],
        cwd=project, capture_output=True, text=True, timeout=600,
    )


def cli(root: Path, *argv: str) -> int:
    """A verb run in process on the publication at ``root`` (its exit code)."""
    return main([*argv, "--root", str(root)])


def seedpress(root: Path, *argv: str, env: dict | None = None,
              timeout: float = 600) -> subprocess.CompletedProcess:
    """The installed ``seedpress`` command run on the publication at ``root``."""
    return subprocess.run([str(BIN / "seedpress"), *argv, "--root", str(root)],
                          capture_output=True, text=True, timeout=timeout, env=env)


def environ() -> None:
    """The environment every test runs in: the one "today", no key, no warning."""
    os.environ["SOURCE_DATE_EPOCH"] = str(
        int(dt.datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=dt.UTC).timestamp()))
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    os.environ.pop("FAL_KEY", None)

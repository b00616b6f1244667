"""One build of the site, with either engine, all or nothing.

Two engines build the same generation stage (:mod:`seedpress.site.generate`):

- **mkdocs** (the default, what ``make build`` and ``make serve`` use):
  Material for MkDocs with the hook, which serves the stage's pages to
  MkDocs as it builds;
- **zensical** (Material's successor, for the day Material reaches its end
  of life): the stage's tree is written to ``.seedpress/zensical/`` with a
  config of its own (no hooks, which Zensical ignores), and Zensical builds
  it. The folder stays between builds, so Zensical's content cache in it
  makes the next build warm.

The engine writes into a temporary folder beside the target; only a build
that finished is swapped in (the old folder renamed aside, the new one
renamed into place, the old one removed). A failed or interrupted build
leaves the previous site whole, and a partial one never sits where the
ship check or a web server would read it.

Engines run as their own processes, so this module imports neither: the
hook stays the only place mkdocs is imported.
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import BuildFailed, ContentError
from ..pages.settings import Settings
from .generate import generate, write_tree

ENGINES = ("mkdocs", "zensical")
#: where the Zensical tree (and its cache) lives, beside the publication
ZENSICAL_DIR = Path(".seedpress") / "zensical"


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


def _engine_env() -> dict[str, str]:
    return dict(os.environ, NO_MKDOCS_2_WARNING="1", NO_COLOR="1")


def _run(command: list[str], cwd: Path, quiet: bool) -> None:
    result = subprocess.run(command, cwd=cwd, env=_engine_env(),
                            stdout=subprocess.PIPE if quiet else None,
                            stderr=subprocess.STDOUT if quiet else None, text=True)
    if result.returncode != 0:
        raise BuildFailed((result.stdout or "") if quiet else "")


def zensical_config(settings: Settings, tree) -> dict[str, Any]:
    """The publication's mkdocs.yml, as Zensical builds the stage's tree: no
    hooks (it ignores them), the data the hook would hand MkDocs written in
    (the CSS bundle, ``extra.seedpress``, the blog's category allow-list),
    and Material's classic look.

    Zensical's own link validation is switched off: the stage has already
    judged every link and fragment of the tree (SP502, SP503) before Zensical
    runs, with the file and line the editor wrote, as it does for MkDocs.
    Checking them twice cost Zensical about half of a warm build of 1,000
    posts (its scan of the Markdown for references is pure Python)."""
    config = copy.deepcopy(settings.raw)
    for key in ("hooks", "watch"):
        config.pop(key, None)
    config["validation"] = False
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    theme = dict(config.get("theme") or {})
    theme["custom_dir"] = "overrides"
    theme["variant"] = "classic"
    config["theme"] = theme
    config["extra_css"] = list(tree.extra_css)
    extra = dict(config.get("extra") or {})
    extra.update(tree.extra)
    config["extra"] = extra
    plugins = []
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and "blog" in entry:
            options = dict(entry["blog"] or {})
            options["categories_allowed"] = list(tree.categories)
            entry = {"blog": options}
        plugins.append(entry)
    config["plugins"] = plugins
    return config


def write_zensical_tree(root: Path, *, today=None) -> Path:
    """Generate the tree and write it, with its config, for Zensical; returns
    the folder (its ``mkdocs.yml`` is the config). Raises ContentError."""
    settings = Settings.read(root / "mkdocs.yml")
    tree = generate(root, today=today, settings=settings, engine="zensical")
    work = root / ZENSICAL_DIR
    work.mkdir(parents=True, exist_ok=True)
    write_tree(tree, work)
    overrides = work / "overrides"
    if overrides.exists():
        shutil.rmtree(overrides)
    shutil.copytree(root / "overrides", overrides)
    text = "# Written by `seedpress build --engine zensical` from mkdocs.yml; do not edit.\n"
    text += yaml.safe_dump(zensical_config(settings, tree), sort_keys=False, allow_unicode=True)
    (work / "mkdocs.yml").write_text(text, encoding="utf-8")
    return work


def _zensical_command() -> list[str]:
    script = Path(sys.executable).with_name("zensical")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "zensical"]


@contextlib.contextmanager
def _one_zensical_build_at_a_time(root: Path) -> Iterator[None]:
    """Hold the lock of ``root``'s Zensical tree: two builds of one checkout at once (two
    terminals, or test workers) would write the same tree and take each other's site."""
    lock = root / ZENSICAL_DIR.parent / "zensical.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # released when the file closes
        yield


def build(root: Path, target: Path, engine: str = "mkdocs", *, quiet: bool = False,
          clean: bool = False) -> Built:
    """Build the site of ``root`` into ``target`` atomically. ``clean`` drops
    Zensical's cache first (a cold build)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r} (one of {', '.join(ENGINES)})")
    root = root.resolve()
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        if engine == "mkdocs":
            _run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
                  str(root / "mkdocs.yml"), "--site-dir", str(work)], root, quiet)
        else:
            with _one_zensical_build_at_a_time(root):  # they share .seedpress/zensical/
                try:
                    tree = write_zensical_tree(root)
                except ContentError as err:
                    raise BuildFailed("seedpress: the content has errors:\n"
                                      + str(err)) from None
                if clean:
                    shutil.rmtree(tree / ".cache", ignore_errors=True)
                _run([*_zensical_command(), "build", "--strict", "--config-file",
                      str(tree / "mkdocs.yml")], tree, quiet)
                os.rmdir(work)
                os.replace(tree / "site", work)
        _swap(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return Built(target, engine)

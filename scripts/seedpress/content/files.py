"""Which files make the publication: what a run of the check reads, and what kind each is.

The check reads these (and a built site only when asked); the home page's
count of em dashes reads the same files, so the two never disagree.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ..errors import UsageError

#: what the whole publication is, when no path is given
DEFAULT_TARGETS = ("posts", "docs", "data", "snippets", "gallery/clips.yml",
                   "gallery/manifest.json", "mkdocs.yml", "overrides")
SKIP_DIRS = {".git", ".venv", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache",
             ".cache"}
#: data files with a schema, by name (wherever they are, they are judged by it)
SCHEMAS = ("publication.yml", "pricing.yml", "limits.yml", "faq.yml", "field.yml",
           "rules.yml", "clips.yml", ".authors.yml", "manifest.json")

MARKDOWN = {".md", ".markdown"}
YAML = {".yml", ".yaml"}
HTML = {".html", ".htm"}
#: Text files a folder walk picks up; a path given by name is read whatever its suffix.
TEXT = MARKDOWN | YAML | HTML | {
    ".txt", ".py", ".js", ".mjs", ".ts", ".css", ".json", ".svg", ".xml", ".xsl", ".toml", ".cfg",
    ".ini", ".sh", ".j2", ".jinja", ".csv",
}
#: Suffixes that are never text; skipped even when named.
BINARY = {
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".mp4", ".mov", ".webm",
    ".mp3", ".wav", ".woff", ".woff2", ".ttf", ".otf", ".pdf", ".zip", ".gz", ".pyc",
}


def inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def walk(folder: Path, suffixes: set[str] = TEXT) -> Iterable[Path]:
    """The files of ``folder`` with one of ``suffixes`` (or a schema's name), in a
    stable order, hidden and tool folders left out."""
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).parts
        if any(part in SKIP_DIRS or part.startswith(".") or part.endswith(".egg-info")
               for part in rel[:-1]):
            continue
        if path.is_file() and (path.suffix.lower() in suffixes or path.name in SCHEMAS):
            yield path


def _guard(path: Path, root: Path) -> Path:
    """``path`` made absolute, refusing what cannot be read as part of ``root``."""
    text = str(path)
    if "\x00" in text:
        raise UsageError(f"{text!r}: a path cannot contain a NUL byte")
    absolute = Path(os.path.abspath(path))
    resolved = absolute.resolve()
    if inside(absolute, root) and not inside(resolved, root):
        raise UsageError(f"{path}: a symlink that leads out of the repository (to {resolved}); "
                         "check the file where it is, or copy it in")
    if not resolved.exists():
        raise UsageError(f"no such file or folder: {path}")
    return resolved


def source_files(root: Path, paths: list[Path] | None = None) -> list[Path]:
    """Every text file of ``paths`` (default: the whole publication), in a stable
    order; :class:`~seedpress.errors.UsageError` for a path that cannot be read."""
    root = root.resolve()
    paths = list(paths or [])
    found: dict[Path, None] = {}
    given = paths or [root / t for t in DEFAULT_TARGETS if (root / t).exists()]
    for path in given:
        resolved = _guard(path, root)
        if resolved.is_dir():
            before = len(found)
            for p in walk(resolved):
                found.setdefault(_guard(p, root) if p.is_symlink() else p)
            if paths and len(found) == before:
                raise UsageError(f"nothing to check in {path}: no Markdown, YAML, HTML or other "
                                 "text file there")
        elif resolved.is_file():
            if resolved.suffix.lower() not in BINARY:
                found.setdefault(resolved)
            elif paths:
                raise UsageError(f"{path}: a {resolved.suffix} file is not text; nothing to "
                                 "check")
    return list(found)

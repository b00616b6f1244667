"""The site's own stylesheets, served as one file.

Each page area keeps its CSS in its own file under docs/assets/ (listed in
``extra_css``), which is easy to edit but costs a phone one render-blocking
request per file. At build time the hook swaps the local entries for one
concatenated file whose name carries a hash of its content (so a host may
cache it for ever), in the place of the first of them. The source files are
still copied and can be linked one by one while debugging.
"""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass
from pathlib import Path

BUNDLE_STEM = "assets/site"


@dataclass(frozen=True)
class Bundle:
    uri: str      # e.g. "assets/site.3f2a9c1e.css"
    text: str
    parts: tuple[str, ...]


def plan(docs_dir: Path, extra_css: list[str]) -> tuple[list[str], Bundle | None]:
    """The new ``extra_css`` list and the bundle that replaces its local entries.

    Bundled: relative paths in the bundle's folder (so ``url(...)`` inside
    them resolves the same) whose file exists in ``docs_dir``. Anything else
    (another folder, an absolute URL) stays as it was, in its place.
    """
    folder = posixpath.dirname(BUNDLE_STEM)
    parts: list[str] = []
    for entry in extra_css:
        if (isinstance(entry, str) and "://" not in entry and not entry.startswith("/")
                and posixpath.dirname(posixpath.normpath(entry)) == folder
                and (docs_dir / entry).is_file()):
            parts.append(entry)
    if len(parts) < 2:
        return list(extra_css), None
    chunks = []
    for entry in parts:
        body = (docs_dir / entry).read_text(encoding="utf-8-sig").rstrip()
        chunks.append(f"/* {entry} */\n{body}\n")
    text = "\n".join(chunks)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    bundle = Bundle(f"{BUNDLE_STEM}.{digest}.css", text, tuple(parts))
    out: list[str] = []
    for entry in extra_css:
        if entry in bundle.parts:
            if bundle.uri not in out:
                out.append(bundle.uri)
        else:
            out.append(entry)
    return out, bundle

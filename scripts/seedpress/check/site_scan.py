"""The built site as the ship check reads it: every file that carries words.

A reader meets words in more than the HTML pages: the feeds (RSS, its XSL
stylesheet, JSON), the search index, the sitemap, SVG images and our own
scripts and styles. ``seedpress check --site DIR`` reads every such file
(:data:`SITE_TEXT`) for em dashes, wherever it lies in the site.

One kind of file is left out: the theme's own, shipped by Material for
MkDocs or Zensical (its bundled JavaScript, search workers and styles).
Material's search tokenizers use the em dash as a character class in code,
not as words anyone reads, and they are not ours to edit. A built file is
the theme's when the theme's ``templates/`` folder holds the same path with
the same bytes (copied as it is) and our ``docs/`` does not (an override we
ship is ours again); the theme's templates, such as 404.html or
sitemap.xml, are rendered with our content, so they differ and are read.
The check's documentation and the home page's count say so.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

#: suffixes of the built files that carry words a reader can see
SITE_TEXT = {".html", ".htm", ".xml", ".xsl", ".json", ".svg", ".js", ".mjs", ".css", ".txt",
             ".webmanifest"}
#: the packages whose ``templates/`` folder is copied into a built site
THEMES = ("material", "zensical")


@lru_cache(maxsize=1)
def theme_dirs() -> tuple[Path, ...]:
    """The ``templates/`` folders of the installed themes (located, not imported)."""
    found = []
    for name in THEMES:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            continue
        for location in spec.submodule_search_locations:
            templates = Path(location) / "templates"
            if templates.is_dir():
                found.append(templates)
    return tuple(found)


def is_theme_file(built: Path, rel: str, docs_dir: Path | None = None) -> bool:
    """Whether the built file ``built`` (at ``rel``, a POSIX path inside the
    site) is one the theme ships, copied unchanged, that we do not override."""
    if docs_dir is not None and (docs_dir / rel).is_file():
        return False
    size = built.stat().st_size
    for templates in theme_dirs():
        shipped = templates / rel
        if shipped.is_file() and shipped.stat().st_size == size \
                and shipped.read_bytes() == built.read_bytes():
            return True
    return False


def _text_files(site: Path) -> Iterable[tuple[Path, str]]:
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix.lower() in SITE_TEXT:
            yield path, path.relative_to(site).as_posix()


def site_files(site: Path, docs_dir: Path | None = None) -> Iterable[Path]:
    """Every file of the built ``site`` that carries words, in a stable order,
    the theme's own files left out."""
    return [path for path, rel in _text_files(site) if not is_theme_file(path, rel, docs_dir)]


def theme_files(site: Path, docs_dir: Path | None = None) -> list[str]:
    """The built files left out as the theme's."""
    return [rel for path, rel in _text_files(site) if is_theme_file(path, rel, docs_dir)]

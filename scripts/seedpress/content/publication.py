"""The publication's own settings: data/publication.yml.

One source for the category allow-list, the maximum age of a dated page,
the em dash replacement used by ``seedpress check --fix`` and the default
author. :func:`validate_publication` is its one validator.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import codes
from . import schema
from .dashes import DASHES
from .schema import Findings

PUBLICATION_FILE = Path("data") / "publication.yml"
KEYS = ("categories", "max_age_days", "em_dash_replacement", "default_author")


@dataclass(frozen=True)
class Publication:
    root: Path
    categories: tuple[str, ...]
    max_age_days: int
    em_dash_replacement: str
    default_author: str

    @property
    def posts_dir(self) -> Path:
        return self.root / "posts"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    @property
    def authors_file(self) -> Path:
        return self.root / "docs" / "blog" / ".authors.yml"


def validate_publication(data: Any, f: Findings, root: Path,
                         authors: Iterable[str] | None = None) -> Publication | None:
    """The settings, or None when they cannot be used. With ``authors`` (the ids
    of docs/blog/.authors.yml), a ``default_author`` that names none of them is a
    finding at its line (SP307): ``new-post`` would write a post the build refuses."""
    if not schema.is_mapping(f, data, 1, "data/publication.yml"):
        return None
    schema.unknown_keys(f, data, KEYS)
    cats = schema.seq(f, data, "categories", non_empty=True)
    categories: list[str] = []
    seen: dict[str, int] = {}
    for i, cat in enumerate(cats or []):
        if not isinstance(cat, str) or not cat.strip():
            f.add(codes.SCHEMA, cats.line_of(i), "each category must be a non-empty text")
        elif schema.unique(f, seen, cat.lower(), cats.line_of(i), "category"):
            categories.append(cat)
    age = schema.integer(f, data, "max_age_days", lo=1, hi=3650)
    replacement = schema.text(f, data, "em_dash_replacement", empty_ok=True)
    if replacement is not None and any(ch in DASHES for ch in replacement):
        f.add(codes.SCHEMA, data.line_of("em_dash_replacement"),
              "em_dash_replacement must not itself be an em dash or a dash that reads as one")
        replacement = None
    author = schema.text(f, data, "default_author")
    if author is not None and authors is not None and author not in (known := list(authors)):
        f.add(codes.UNKNOWN_AUTHOR, data.line_of("default_author"),
              f"default_author {author!r} is not in docs/blog/.authors.yml"
              f"{schema.did_you_mean(author, known)}", data.column_of("default_author"))
    if cats is None or age is None or replacement is None or author is None or \
            len(categories) != len(cats):
        return None
    return Publication(root=root, categories=tuple(categories), max_age_days=age,
                       em_dash_replacement=replacement, default_author=author)


def load_publication(root: Path) -> Publication:
    return schema.load(root / PUBLICATION_FILE, validate_publication, root)


__all__ = ["PUBLICATION_FILE", "Publication", "load_publication", "validate_publication"]

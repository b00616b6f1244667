"""The publication's own settings: data/publication.yml.

One source for the category allow-list, the maximum age of a dated page and
the em dash replacement used by ``seedpress check --fix``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import ROOT
from .source import error, load_yaml, require


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


def load_publication(root: Path = ROOT) -> Publication:
    path = root / "data" / "publication.yml"
    data = load_yaml(path)
    cats = require(data, "categories", list, path)
    for i, c in enumerate(cats):
        if not isinstance(c, str) or not c.strip():
            raise error(path, cats.line_of(i), "SP007", "each category must be a non-empty string")
    age = require(data, "max_age_days", int, path)
    if age <= 0:
        raise error(path, data.line_of("max_age_days"), "SP007", "max_age_days must be positive")
    return Publication(
        root=root,
        categories=tuple(cats),
        max_age_days=age,
        em_dash_replacement=require(data, "em_dash_replacement", str, path),
        default_author=require(data, "default_author", str, path),
    )

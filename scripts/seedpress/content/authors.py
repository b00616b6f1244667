"""The blog's authors: docs/blog/.authors.yml, as Material's blog plugin reads it.

:func:`validate_authors` is its one validator; post front matter is checked
against the ids it returns (SP307).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import codes
from . import schema
from .schema import Findings

AUTHORS_FILE = Path("docs") / "blog" / ".authors.yml"
_AUTHOR_KEYS = ("name", "description", "avatar", "slug", "url")


def validate_authors(data: Any, f: Findings) -> dict[str, str] | None:
    """Author id -> name, or None when the file cannot be used."""
    if not schema.is_mapping(f, data, 1, "docs/blog/.authors.yml"):
        return None
    schema.unknown_keys(f, data, ("authors",))
    raw = schema.mapping(f, data, "authors", non_empty=True)
    authors: dict[str, str] = {}
    for author_id, body in (raw or {}).items():
        where = f"author {author_id}"
        if not isinstance(author_id, str) or not author_id.strip():
            f.add(codes.SCHEMA, raw.line_of(author_id), "an author id must be text")
            continue
        if not schema.is_mapping(f, body, raw.line_of(author_id), where):
            continue
        schema.unknown_keys(f, body, _AUTHOR_KEYS, where)
        name = schema.text(f, body, "name", where)
        schema.text(f, body, "description", where)
        schema.text(f, body, "avatar", where)
        for key in ("slug", "url"):
            schema.text(f, body, key, where, required=False)
        if name is not None:
            authors[author_id] = name
    return None if f.blocking else authors


def load_authors(root: Path) -> dict[str, str]:
    """The authors of ``root`` (id -> name), read through :func:`validate_authors`;
    empty when the publication has no authors file. Raises ContentError."""
    path = root / AUTHORS_FILE
    if not path.is_file():
        return {}
    return schema.load(path, validate_authors)

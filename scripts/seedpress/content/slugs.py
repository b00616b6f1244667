"""Slugs: the one way seedpress makes an address word from a title or a question."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str, max_length: int | None = None) -> str:
    """ASCII lower-case words joined by hyphens ("Seedance 2.0: A Budget's Week"
    is "seedance-2-0-a-budgets-week"), cut at ``max_length`` characters."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"['\u2019]", "", text.lower())
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug[:max_length].strip("-") if max_length is not None else slug

"""What every rule is judged against: the repository's configuration and today.

Loaded once per run. Paths given on the command line, wherever they are, are
judged with this repository's categories, authors, prices and endpoints.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..content import Publication, load_publication, load_yaml
from ..diagnostics import ContentError
from .prices import competitor_figures


@dataclass
class Context:
    root: Path
    publication: Publication
    today: dt.date
    max_age_days: int
    #: the pricing model (seedpress.content.pricing.PricingModel), None when absent
    pricing: Any = None
    authors: frozenset[str] | None = None
    #: dollar figures of other models (data/field.yml), allowed in prose
    competitor_figures: frozenset[Decimal] = frozenset()
    #: (amount, decimals) -> whether prose may print it; filled as the run goes
    price_verdicts: dict[tuple[Decimal, int], bool] = field(default_factory=dict)
    #: template skeleton -> its syntax error (line, message) or None
    template_verdicts: dict[str, tuple[int, str] | None] = field(default_factory=dict)
    #: slug or title -> first place seen, across the posts of one run
    slugs: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)

    @property
    def endpoints(self) -> dict[str, Any]:
        return dict(self.pricing.endpoints) if self.pricing is not None else {}

    def stale_before(self) -> dt.date:
        return self.today - dt.timedelta(days=self.max_age_days)


def _authors(publication: Publication) -> frozenset[str] | None:
    path = publication.authors_file
    if not path.is_file():
        return None
    data = load_yaml(path, allow_empty=True) or {}
    authors = data.get("authors") if isinstance(data, dict) else None
    return frozenset(str(a) for a in authors) if isinstance(authors, dict) else None


def _pricing(root: Path) -> Any:
    if not (root / "data" / "pricing.yml").is_file():
        return None
    from ..content.pricing import load_pricing
    return load_pricing(root)


def load_context(root: Path, today: dt.date, max_age_days: int | None = None) -> Context:
    """The configuration; a ContentError here means the check cannot run (exit 2)."""
    publication = load_publication(root)
    age = publication.max_age_days if max_age_days is None else max_age_days
    return Context(
        root=root,
        publication=publication,
        today=today,
        max_age_days=age,
        pricing=_pricing(root),
        authors=_authors(publication),
        competitor_figures=competitor_figures(root),
    )


__all__ = ["Context", "ContentError", "load_context"]

"""What every rule is judged against: the publication as the build reads it, and today.

Loaded once per run through :func:`seedpress.pages.data.gather`, the loader
the build uses: the same validators read the same files, the same
mkdocs.yml (:class:`~seedpress.pages.settings.Settings`) lays out the tree,
and the names pages are rendered with are the build's. Paths given on the
command line, wherever they are, are judged with this repository's
categories, authors, prices, limits and endpoints.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

from ..content import Publication
from ..content.schema import Findings
from ..pages.data import Gathered, gather
from ..pages.links import PageAnchors, SiteAddresses
from ..pages.page_names import page_names
from ..pages.pricing_markup import ESTIMATOR_JSON
from ..pages.render import RenderCache
from ..pages.settings import Settings
from ..pages.tree import addresses, body_lookup, known_uris


@dataclass
class Context:
    root: Path
    today: dt.date
    max_age_days: int
    gathered: Gathered
    render_cache: RenderCache = field(default_factory=RenderCache)
    #: (rule, block text) -> the findings of the price and claim rules in that block,
    #: offsets in the block: a block is judged in its own context only, and a
    #: thousand posts repeat many paragraphs
    block_findings: dict[tuple[str, str], list[tuple[int, str]]] = field(default_factory=dict)
    #: template skeleton -> the facts it prints (see dates.printed_facts)
    printed_facts: dict[str, frozenset] = field(default_factory=dict)
    #: the prices of data/pricing.yml, worked out once per scope (check.prices)
    price_book: Any = None

    @property
    def data(self):
        return self.gathered.data

    @property
    def publication(self) -> Publication:
        return self.data.publication

    @property
    def settings(self) -> Settings:
        return self.data.settings

    @property
    def posts(self):
        """What posts are judged against in this run (the build's context)."""
        return self.gathered.posts

    @property
    def pricing(self) -> Any:
        return self.data.models.get("pricing")

    @property
    def limits(self) -> Any:
        return self.data.models.get("limits")

    @property
    def endpoints(self) -> dict[str, Any]:
        return dict(self.limits.endpoints) if self.limits is not None else {}

    @cached_property
    def names(self) -> dict[str, Any]:
        return page_names(self.data)

    @cached_property
    def known_uris(self) -> set[str]:
        return known_uris(self.data, [ESTIMATOR_JSON])

    @cached_property
    def addresses(self) -> SiteAddresses:
        """Where each page and file is on the published site (for links from the root)."""
        return addresses(self.data, self.known_uris)

    @cached_property
    def anchors(self) -> PageAnchors:
        """The ids of the pages links point into, as the build finds them."""
        return PageAnchors(body_lookup(self.data, self.names), self.settings)

    @cached_property
    def competitor_figures(self) -> frozenset[Decimal]:
        """Dollar figures of other models (data/field.yml), allowed in prose."""
        field_model = self.data.models.get("field")
        if field_model is None:
            return frozenset()
        return frozenset(Decimal(str(f.value)) for m in field_model.models for f in m.figures
                         if f.kind == "usd_per_second")

    def findings_for(self, path: Path) -> Findings | None:
        """The findings the loader already has for a file of the publication
        (``path`` is resolved, as the runner's targets are)."""
        return self.gathered.findings.get(path)

    @cached_property
    def posts_dir(self) -> Path:
        return self.publication.posts_dir.resolve()

    @cached_property
    def docs_dir(self) -> Path:
        return self.publication.docs_dir.resolve()


def load_context(root: Path, today: dt.date, max_age_days: int | None = None) -> Context:
    """The publication as the build reads it; a ContentError here (a broken
    data/publication.yml) means the check cannot run (exit 2)."""
    gathered = gather(root, today, max_age_days=max_age_days)
    age = gathered.data.publication.max_age_days if max_age_days is None else max_age_days
    return Context(root=root, today=today, max_age_days=age, gathered=gathered)


__all__ = ["Context", "load_context"]

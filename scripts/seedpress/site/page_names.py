"""Every name this stage adds to pages: prices, pricing tables, FAQ, home.

``prose.prose_globals`` merges these in, so any page or post may write
``{{ price("standard", "720p", 5) }}`` or ``{{ pricing_table("durations") }}``.
"""

from __future__ import annotations

from typing import Any

from . import pricing_markup as PM
from .computed import computed_names
from .data import SiteData
from .faq_markup import faq_names
from .home import home_names

PRICING_TABLES = {
    "per_second": PM.per_second_table,
    "durations": PM.duration_table,
    "reference": PM.reference_table,
    "examples": PM.examples_table,
}


def page_names(data: SiteData) -> dict[str, Any]:
    pricing = data.models.get("pricing")
    if pricing is None:
        return {}
    names: dict[str, Any] = computed_names(pricing, data.models.get("field"))

    def pricing_table(name: str):
        try:
            make = PRICING_TABLES[name]
        except KeyError:
            raise KeyError(f"no pricing table {name!r} "
                           f"(one of {', '.join(PRICING_TABLES)})") from None
        return make(pricing)

    names["pricing_table"] = pricing_table
    names["estimator_form"] = lambda: PM.estimator_form(pricing)
    faq = data.models.get("faq")
    if faq is not None:
        names.update(faq_names(faq, dict(names)))
    names.update(home_names(data))
    return names

"""Which pages print which fact: so a drift finding can say what is now wrong on the site.

Pages never type a figure; they call computed names (``{{ duration_range() }}``,
``{{ price("fast", "720p", 5) }}``, ``{{ builder_form() }}``). So which pages
print a fact is a question about which pages call which names, and it is
answered from the same page sources the generation stage renders
(:func:`seedpress.pages.tree.page_sources`): each page's template is
parsed (not rendered), and its calls are collected with their constant
arguments. A call to ``rule(...)`` counts the names the rule's statement
uses, ``faq_entries()`` the names of every FAQ answer, so a page that
includes a rule or the FAQ prints what they print.

:data:`FACT_NAMES` says which names print each fact the drift watch
compares; ``tests/test_drift.py`` holds every name in it to the names the
site really has.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError, nodes

from ..content.field import OWN_MODEL as OWN
from ..pages.data import gather
from ..pages.render import PAGE_ENV, TEXT_ENV, skeleton
from ..pages.tree import page_sources

#: a name, and for names that take a tier or a table first, the first arguments
#: that print the fact (None: every call prints it)
NameRule = dict[str, frozenset[str] | None]

_LIMIT_PAGES: NameRule = {"limits_table": None, "builder_form": None}
_PRICED: NameRule = {"pricing_table": None, "estimator_form": None, "builder_form": None,
                     "cost_cards": None, "price_total": None}

#: fact -> the names that print it
FACT_NAMES: dict[str, NameRule] = {
    "duration": {**_LIMIT_PAGES, "duration_min": None, "duration_max": None,
                 "duration_range": None, "estimator_form": None,
                 "pricing_table": frozenset({"durations"}), "field": frozenset({OWN}),
                 "field_table": None},
    "resolutions": {**_LIMIT_PAGES, "resolutions": None, "resolution_max": None,
                    "unconfirmed_resolutions": None, "estimator_form": None,
                    "pricing_table": frozenset({"per_second"}), "field": frozenset({OWN}),
                    "field_table": None},
    "aspect_ratios": {**_LIMIT_PAGES, "aspect_ratios": None, "estimator_form": None,
                      "pricing_table": frozenset({"per_second"})},
    "references": {**_LIMIT_PAGES, "limit": None},
    "files": {**_LIMIT_PAGES, "file_limit": None, "file_formats": None,
              "video_input_range": None},
    "inputs": {"builder_form": None},
    "rate:standard": {**_PRICED, "rate": frozenset({"standard"}),
                      "price": frozenset({"standard"}),
                      "price_per_second": frozenset({"standard"}),
                      "fast_saving_percent": None, "field_table": None},
    "rate:fast": {**_PRICED, "rate": frozenset({"fast"}), "price": frozenset({"fast"}),
                  "price_per_second": frozenset({"fast"}), "fast_saving_percent": None},
    "formula": {**_PRICED, "price": None, "price_per_second": None, "tokens": None,
                "tokens_per_second": None, "field_table": None},
    "reference": {"reference_multiplier": None, "reference_percent": None,
                  "reference_break_even": None,
                  "pricing_table": frozenset({"reference", "examples"}),
                  "estimator_form": None, "builder_form": None, "cost_cards": None},
    "pro15": {"pro15_price": None, "pro15_price_per_second": None,
              "pro15_tokens_per_second": None, "pro15_rate": None,
              "pro15_duration_range": None, "pro15_resolutions": None,
              "pro15_default_value": None, "field_table": None},
}

#: the figures of data/field.yml that come from data/limits.yml (content.field)
_OWN_FIGURES = {"max_shot": "duration", "max_resolution": "resolutions"}

#: names whose call prints a fact only with video references (keyword, position)
_REFERENCE_FLAG = {"price": ("reference_video", 4), "price_per_second": ("reference_video", 3)}


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]

    def first(self) -> Any:
        return self.args[0] if self.args else None


@dataclass(frozen=True)
class PageRef:
    label: str
    #: the file the page is made from, as the repository shows it
    path: str
    guide: bool


_UNKNOWN = object()


def _const(node: nodes.Node) -> Any:
    try:
        return node.as_const()
    except Exception:  # noqa: BLE001 - any non-constant expression
        return _UNKNOWN


def calls(template: str, env=PAGE_ENV) -> list[Call]:
    """Every call of a plain name in ``template``, with its constant arguments."""
    try:
        tree = env.parse(skeleton(template))
    except TemplateSyntaxError:
        return []  # the check reports it; the page prints nothing we can know
    found = []
    for node in tree.find_all(nodes.Call):
        if isinstance(node.node, nodes.Name):
            found.append(Call(node.node.name, tuple(_const(a) for a in node.args),
                              {k.key: _const(k.value) for k in node.kwargs}))
    return found


def _expand(found: list[Call], data) -> list[Call]:
    """Calls that include other text (a rule, the FAQ) with the calls of that text."""
    rules = data.models.get("rules")
    faq = data.models.get("faq")
    out = list(found)
    for call in found:
        if call.name == "rule" and rules is not None:
            wanted = call.first()
            for item in rules.rules:
                if wanted is _UNKNOWN or wanted == item.id:
                    out += calls(item.statement, TEXT_ENV)
        elif call.name in ("faq_entries", "faq_jsonld") and faq is not None:
            for entry in faq.entries:
                out += calls(entry.answer, TEXT_ENV)
    return out


def _prints(call: Call, fact: str) -> bool:
    rule = FACT_NAMES[fact]
    if call.name not in rule:
        return False
    if fact == "reference" and call.name in _REFERENCE_FLAG:
        key, position = _REFERENCE_FLAG[call.name]
        flag = call.kwargs.get(key, call.args[position] if len(call.args) > position else False)
        return flag is _UNKNOWN or bool(flag)
    if call.name == "field":
        key = call.args[1] if len(call.args) > 1 else _UNKNOWN
        if key is not _UNKNOWN and _OWN_FIGURES.get(key) != fact:
            return False
    firsts = rule[call.name]
    return firsts is None or call.first() is _UNKNOWN or call.first() in firsts


def _label(uri: str) -> str:
    parts = uri[:-3].split("/") if uri.endswith(".md") else uri.split("/")
    if parts[-1] == "index":
        parts = parts[:-1] or ["home"]
    name = parts[-1]
    return "FAQ" if name == "faq" else name


class PageIndex:
    """fact -> the pages that print it, for one publication."""

    def __init__(self, root: Path, today: dt.date):
        data = gather(root, today).data
        self.pages: list[tuple[PageRef, list[Call]]] = []
        for src in page_sources(data):
            guide = src.uri.startswith(data.settings.posts_uri + "/")
            self.pages.append((PageRef(_label(src.uri), src.display, guide),
                               _expand(calls(src.body), data)))

    def printed_on(self, facts: Iterable[str]) -> list[PageRef]:
        facts = [f for f in facts if f in FACT_NAMES]
        return [ref for ref, found in self.pages
                if any(_prints(c, fact) for c in found for fact in facts)]


def describe(pages: list[PageRef]) -> str:
    """"rules, builder, FAQ, 3 guides" (no page: "no page")."""
    named = [p.label for p in pages if not p.guide]
    guides = sum(1 for p in pages if p.guide)
    if guides:
        named.append(f"{guides} guide{'s' if guides != 1 else ''}")
    return ", ".join(named) if named else "no page"

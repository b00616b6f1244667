"""Computed names for the model's limits (data/limits.yml) and the rules (data/rules.yml).

A page never types "9 images" or "4 to 15 seconds": it writes
``{{ limit("images") }}`` or ``{{ duration_range() }}``, so a change in the
data changes every sentence that states it. A rule several pages rely on is
stated once in data/rules.yml and included with ``{{ rule("seeds") }}``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from markupsafe import Markup

from ..content.limits import REFERENCE_KINDS
from ..diagnostics import display_path
from .computed import model
from .data import SiteData
from .markup import render
from .recorded import recorded_on
from .render import TEXT_ENV, render_text, scalar_origin, template_findings

_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven",
          8: "eight", 9: "nine", 10: "ten"}
_PARTS = {2: ("half", "halves"), 3: ("third", "thirds"), 4: ("quarter", "quarters"),
          5: ("fifth", "fifths"), 10: ("tenth", "tenths")}


def fraction_words(value: Fraction) -> str:
    """2/3 as "two thirds"; a fraction without a short name as a percentage."""
    if value.denominator in _PARTS and value.numerator in _WORDS and value < 1:
        one, many = _PARTS[value.denominator]
        return f"{_WORDS[value.numerator]} {one if value.numerator == 1 else many}"
    percent = value * 100
    return f"{float(percent):.3g} percent"


def join_words(items: list[str], last: str = "and") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def rule_findings(rules, names: dict[str, Any], cache=None) -> list:
    """What including each rule would raise (the ship check's view of data/rules.yml)."""
    found = []
    for item in rules.rules:
        origin = scalar_origin(display_path(rules.path), rules.text, item.statement_line)
        found += template_findings(item.statement, names, origin, cache, TEXT_ENV)
    return found


def limit_names(data: SiteData, names: dict[str, Any]) -> dict[str, Any]:
    def limits():
        return model(data, "limits")

    def limit(kind: str) -> str:
        refs = limits().references
        if kind not in refs:
            raise KeyError(f"no reference limit {kind!r} (one of {', '.join(refs)})")
        return str(refs[kind])

    def duration_min() -> str:
        return str(limits().duration_min)

    def duration_max() -> str:
        return str(limits().duration_max)

    def duration_range() -> str:
        return f"{limits().duration_min} to {limits().duration_max} seconds"

    def resolutions(last: str = "and") -> str:
        return join_words(list(limits().confirmed_resolutions), last)

    def resolution_max() -> str:
        return limits().confirmed_resolutions[-1]

    def unconfirmed_resolutions() -> str:
        return join_words([r.name for r in limits().resolutions if not r.confirmed])

    def aspect_ratios(last: str = "and") -> str:
        return join_words(list(limits().aspect_ratios), last)

    def file_limit(kind: str, name: str) -> str:
        files = limits().files
        if kind not in files:
            raise KeyError(f"no file kind {kind!r} (one of {', '.join(files)})")
        if name not in files[kind].limits:
            raise KeyError(f"no {name!r} limit for {kind} files "
                           f"(one of {', '.join(files[kind].limits)})")
        return str(files[kind].limits[name])

    def file_formats(kind: str, last: str = "or") -> str:
        files = limits().files
        if kind not in files:
            raise KeyError(f"no file kind {kind!r} (one of {', '.join(files)})")
        return join_words(list(files[kind].formats), last)

    def video_input_range() -> str:
        low, high = model(data, "pricing").video_input_seconds
        return f"{low} to {high} seconds"

    def reference_break_even() -> str:
        m = Fraction(model(data, "pricing").reference_video_multiplier)
        return fraction_words((1 - m) / m)

    def limits_recorded() -> str:
        lim = limits()
        return recorded_on(lim.values_since, lim.verified)

    def limits_table() -> Markup:
        lim = limits()
        return render("limits_table.html", limits=lim, kinds=REFERENCE_KINDS,
                      recorded=recorded_on(lim.values_since, lim.verified),
                      resolutions=resolutions(), unconfirmed=unconfirmed_resolutions(),
                      ratios=aspect_ratios(), duration=duration_range())

    def rules():
        return model(data, "rules")

    def rule(rule_id: str) -> Markup:
        found = rules().get(rule_id)
        origin = scalar_origin(display_path(rules().path), rules().text, found.statement_line)
        return Markup(render_text(found.statement, names, origin, TEXT_ENV))

    def rule_ids() -> list[str]:
        """Every rule of data/rules.yml, in its order (the rules page lists them all)."""
        return [item.id for item in rules().rules]

    def rule_title(rule_id: str) -> str:
        return rules().get(rule_id).title

    def rule_source(rule_id: str) -> str:
        return rules().get(rule_id).source

    return {
        "rule_ids": rule_ids,
        "limit": limit,
        "duration_min": duration_min,
        "duration_max": duration_max,
        "duration_range": duration_range,
        "resolutions": resolutions,
        "resolution_max": resolution_max,
        "unconfirmed_resolutions": unconfirmed_resolutions,
        "aspect_ratios": aspect_ratios,
        "file_limit": file_limit,
        "file_formats": file_formats,
        "video_input_range": video_input_range,
        "reference_break_even": reference_break_even,
        "limits_recorded": limits_recorded,
        "limits_table": limits_table,
        "rule": rule,
        "rule_title": rule_title,
        "rule_source": rule_source,
    }

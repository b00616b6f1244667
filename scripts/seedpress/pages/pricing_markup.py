"""The pricing page's generated parts: tables, worked examples, estimator.

Every figure is computed by :mod:`seedpress.pricing` from the rate table;
the estimator's JSON is written from the same model so the browser and
Python agree (tests/test_estimator.py holds them to it).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from markupsafe import Markup

from .. import pricing as P
from ..content.call import call_data
from ..content.pricing import PricingModel
from ..request import FILE_LABELS, PRICE_BASIS, Request
from ..snippets import (
    CURL_NOTE,
    DEADLINE_NOTE,
    DOWNLOAD_PY,
    DOWNLOAD_TS,
    KEEP_FILE,
    KEEP_ID,
    NEW_LINES,
    QUEUE_HOST,
    RENDER_DEADLINE,
    RESULT_NOTE,
    START_NOTE,
    START_TIMEOUT,
    TS_SUBMIT_NOTE,
    VARIANTS,
    WEBHOOK_URL,
    WRAP,
)
from .markup import render

#: Where the build writes the estimator's data (site-relative).
ESTIMATOR_JSON = "assets/pricing.json"
#: The render the estimator shows before a reader changes anything.
DEFAULT_PICK = {"mode": "text", "tier": "standard", "resolution": "720p",
                "aspect_ratio": "16:9", "duration": 5, "video_input_seconds": 0}

MODE_LABELS = {"text": "Text to video", "image": "Image to video",
               "reference": "Reference to video"}


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    head: str = ""


def per_second_rows(model: PricingModel) -> list[Row]:
    rows = []
    for res in model.resolutions:
        for ratio in model.aspect_ratios:
            w, h = P.frame_size(model, res, ratio)
            cells = [f"{w} x {h}", P.format_tokens(P.tokens_per_second(model, res, ratio))]
            for ref in (False, True):
                for tier in model.tiers:
                    cells.append(P.format_per_second(P.per_second(model, tier, res, ratio, ref)))
            rows.append(Row(tuple(cells), f"{res} {ratio}"))
    return rows


def per_second_table(model: PricingModel) -> Markup:
    return render("pricing_per_second.html", model=model, rows=per_second_rows(model),
                  tiers=list(model.tiers.values()))


def duration_table(model: PricingModel) -> Markup:
    picks = model.common_picks
    rows = []
    for d in model.durations:
        cells = tuple(P.format_total(P.per_second(model, p.tier, p.resolution, p.aspect_ratio) * d)
                      for p in picks)
        rows.append(Row(cells, f"{d} s"))
    heads = [f"{model.tiers[p.tier].label} {p.resolution} {p.aspect_ratio}" for p in picks]
    return render("pricing_durations.html", heads=heads, rows=rows)


def reference_table(model: PricingModel, duration: int = 5, resolution: str = "720p",
                    aspect_ratio: str = "16:9") -> Markup:
    rows = []
    for extra in model.reference_input_seconds:
        cells = []
        for tier in model.tiers:
            endpoint = model.endpoint_for(tier, "reference").id
            q = P.quote(model, endpoint, duration, resolution, aspect_ratio, extra,
                        reference_video=True)
            cells += [P.format_tokens(q.exact_tokens), P.format_total(q.exact_cost)]
        label = "not counted" if extra == 0 else f"{extra} s"
        rows.append(Row(tuple(cells), label))
    return render("pricing_reference.html", rows=rows, tiers=list(model.tiers.values()),
                  duration=duration, resolution=resolution, aspect_ratio=aspect_ratio,
                  multiplier=format(model.reference_video_multiplier.normalize(), "f"))


@dataclass(frozen=True)
class WorkedExample:
    name: str
    endpoint: str
    tier: str
    assumption: str
    tokens: str
    per_second: str
    total: str
    #: the name of the example in the YAML (shared by a twin)
    example: str
    video_input_seconds: int


def worked_examples(model: PricingModel) -> list[WorkedExample]:
    """Each example from the YAML, then its twin on the fast tier."""
    out = []
    for ex in model.examples:
        base = model.endpoints[ex.endpoint]
        for tier in model.tiers:
            endpoint = model.endpoint_for(tier, base.mode).id if tier != base.tier else ex.endpoint
            q = P.quote(model, endpoint, ex.duration, ex.resolution, ex.aspect_ratio,
                        ex.video_input_seconds, reference_video=ex.reference_video)
            name = ex.name if tier == base.tier else f"{ex.name}, {model.tiers[tier].label} tier"
            out.append(WorkedExample(name, endpoint, tier, ex.assumption,
                                     P.format_tokens(q.exact_tokens),
                                     P.format_per_second(q.exact_per_second),
                                     P.format_total(q.exact_cost), ex.name,
                                     ex.video_input_seconds))
    return out


def examples_table(model: PricingModel) -> Markup:
    return render("pricing_examples.html", examples=worked_examples(model),
                  tiers=model.tiers)


def _default_quote(model: PricingModel) -> P.Quote:
    pick = DEFAULT_PICK
    endpoint = model.endpoint_for(pick["tier"], pick["mode"]).id
    return P.quote(model, endpoint, pick["duration"], pick["resolution"], pick["aspect_ratio"])


def estimator_form(model: PricingModel) -> Markup:
    q = _default_quote(model)
    return render("estimator.html", model=model, pick=DEFAULT_PICK, modes=MODE_LABELS,
                  quote=q, tokens=P.format_tokens(q.exact_tokens),
                  total=P.format_total(q.exact_cost),
                  per_second=P.format_per_second(q.exact_per_second),
                  video_low=model.video_input_seconds[0], video_high=model.video_input_seconds[1])


def estimator_data(model: PricingModel) -> dict:
    """What estimator.js needs, with rates as decimal strings (exact)."""
    return {
        "verified": model.verified.isoformat(),
        "frame_rate": model.frame_rate,
        "tokens_divisor": model.tokens_divisor,
        "reference_video_multiplier": format(model.reference_video_multiplier.normalize(), "f"),
        "decimals": {"per_second": P.PER_SECOND_DECIMALS, "total": P.TOTAL_DECIMALS},
        "video_input_seconds": list(model.video_input_seconds),
        "tiers": {t.name: {"label": t.label, "rate_per_1k_tokens": format(t.rate.normalize(), "f")}
                  for t in model.tiers.values()},
        #: the tiers in the rate table's order (the JSON's keys are sorted)
        "tier_order": list(model.tiers),
        "sizes": {res: {ratio: list(size) for ratio, size in table.items()}
                  for res, table in model.sizes.items()},
        "endpoints": [{"id": e.id, "tier": e.tier, "mode": e.mode,
                       "resolutions": list(e.resolutions), "durations": list(e.durations)}
                      for e in model.endpoints.values()],
        "limits": limits_data(model),
        "call": call_data(model.limits),
        "builder": builder_data(),
    }


def limits_data(model: PricingModel) -> dict:
    """data/limits.yml as the request builder reads it (the same limits the
    Python validator, seedpress.request, checks against)."""
    limits = model.limits
    return {
        "verified": limits.verified.isoformat(),
        "duration": {"min": limits.duration_min, "max": limits.duration_max,
                     "auto": limits.duration_auto},
        "resolutions": [{"name": r.name, "status": r.status, "tiers": list(r.tiers),
                         "note": r.note} for r in limits.resolutions],
        "aspect_ratios": list(limits.aspect_ratios),
        "aspect_auto": limits.aspect_auto,
        "references": dict(limits.references),
        "audio_needs_visual": limits.audio_needs_visual,
        "files": {kind: {"formats": list(f.formats), **f.limits}
                  for kind, f in limits.files.items()},
    }


def builder_data() -> dict:
    """What the builder page's script reads besides the limits: fal's defaults
    (what a field a shared link leaves out means), the code variants and the
    longest line of a Python string."""
    defaults = asdict(Request())
    return {
        "defaults": {k: list(v) if isinstance(v, tuple) else v for k, v in defaults.items()},
        "variants": [list(v) for v in VARIANTS],
        "price_basis": dict(PRICE_BASIS),
        "file_labels": dict(FILE_LABELS),
        "wrap": WRAP,
        "queue_host": QUEUE_HOST,
        "webhook_url": WEBHOOK_URL,
        "keep_id": KEEP_ID,
        "keep_file": KEEP_FILE,
        "result_note": RESULT_NOTE,
        "render_deadline": RENDER_DEADLINE,
        "deadline_note": DEADLINE_NOTE,
        "new_lines": NEW_LINES,
        "start_note": START_NOTE,
        "ts_submit_note": TS_SUBMIT_NOTE,
        "download_py": DOWNLOAD_PY,
        "download_ts": DOWNLOAD_TS,
        "start_timeout": START_TIMEOUT,
        "curl_note": CURL_NOTE,
    }


def estimator_json(model: PricingModel) -> str:
    return json.dumps(estimator_data(model), indent=1, sort_keys=True) + "\n"

"""The rate table: data/pricing.yml as a typed, validated model.

The rates and the formula's other terms are here; the frame sizes and the
endpoints they apply to are the model's limits (data/limits.yml), which the
:class:`PricingModel` carries. :func:`validate_pricing` is the one validator
of data/pricing.yml; the arithmetic lives in :mod:`seedpress.pricing`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import codes
from . import schema
from .call import Call, endpoint_of, refuses, tiers_of, validate_call
from .limits import Endpoint, Limits, load_limits, validate_limits
from .schema import Findings
from .source import LineDict, load_yaml

PRICING_FILE = Path("data") / "pricing.yml"
_KEYS = ("verified", "changed", "source", "frame_rate", "tokens_divisor", "tiers",
         "reference_video_multiplier", "common_picks", "reference_input_seconds", "examples",
         "accepted_quotes", "seedance_1_5_pro")
_PRO15_KEYS = ("endpoint", "frame_rate", "tokens_divisor", "rate_per_1m_tokens", "duration",
               "resolutions", "default_resolution", "aspect_ratios", "aspect_auto",
               "default_aspect_ratio", "source", "verified", "changed")
_EXAMPLE_KEYS = ("name", "endpoint", "duration", "resolution", "aspect_ratio",
                 "reference_video", "video_input_seconds", "images", "videos", "audio",
                 "assumption")


@dataclass(frozen=True)
class Tier:
    name: str
    label: str
    #: USD per 1,000 tokens, exact as written in the YAML
    rate: Decimal


@dataclass(frozen=True)
class Pick:
    tier: str
    resolution: str
    aspect_ratio: str


@dataclass(frozen=True)
class Example:
    name: str
    endpoint: str
    duration: int
    resolution: str
    aspect_ratio: str
    reference_video: bool
    video_input_seconds: int
    assumption: str
    #: reference-to-video: how many images, videos and audio files the call carries
    files: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Pro15:
    """Seedance 1.5 Pro, the fallback the guides price: a model of its own.

    tokens = width x height x frame_rate x seconds / tokens_divisor, and a
    rate per million tokens that depends on whether audio is on. Its frame
    sizes are those of data/limits.yml (:meth:`size`).
    """

    endpoint: str
    frame_rate: int
    tokens_divisor: int
    #: USD per 1,000,000 tokens, with audio and without, exact as written
    rate_audio: Decimal
    rate_silent: Decimal
    duration_min: int
    duration_max: int
    duration_default: int
    resolutions: tuple[str, ...]
    default_resolution: str
    aspect_ratios: tuple[str, ...]
    aspect_auto: bool
    default_aspect_ratio: str
    source: str
    #: resolution -> aspect ratio -> (width, height), from data/limits.yml
    frame_sizes: dict[str, dict[str, tuple[int, int]]]
    #: the data file, and the section's own ``verified:`` and ``changed:`` (it came
    #: from its own fal page, on its own day), else the file's
    path: Path | None = None
    verified: dt.date | None = None
    changed: dt.date | None = None

    @property
    def durations(self) -> tuple[int, ...]:
        return tuple(range(self.duration_min, self.duration_max + 1))

    @property
    def values_since(self) -> dt.date | None:
        """Since when these figures have held: what a page's review is judged against."""
        return self.changed or self.verified


@dataclass(frozen=True)
class AcceptedQuote:
    """A price per second at 720p that fal prints on a tier's pages and the formula
    does not give, accepted by an editor (``seedpress drift`` reports any other)."""

    tier: str
    per_second_720p: Decimal
    reason: str


@dataclass(frozen=True)
class PricingModel:
    path: Path
    verified: dt.date
    source: str
    frame_rate: int
    tokens_divisor: int
    tiers: dict[str, Tier]
    reference_video_multiplier: Decimal
    limits: Limits
    common_picks: tuple[Pick, ...]
    reference_input_seconds: tuple[int, ...]
    examples: tuple[Example, ...]
    #: Seedance 1.5 Pro (None when data/pricing.yml has no seedance_1_5_pro)
    pro15: Pro15 | None = None
    accepted_quotes: tuple[AcceptedQuote, ...] = field(default_factory=tuple)
    #: the day a rate or a term of the formula last changed (None: ``verified``)
    changed: dt.date | None = None

    @property
    def values_since(self) -> dt.date:
        """Since when these figures have held: what a page's review is judged against."""
        return self.changed or self.verified

    @property
    def endpoints(self) -> dict[str, Endpoint]:
        return self.limits.endpoints

    @property
    def sizes(self) -> dict[str, dict[str, tuple[int, int]]]:
        """Frame sizes of the confirmed resolutions: the ones the site prices."""
        return {r: self.limits.frame_sizes[r] for r in self.limits.confirmed_resolutions
                if r in self.limits.frame_sizes}

    @property
    def resolutions(self) -> tuple[str, ...]:
        return tuple(self.sizes)

    @property
    def aspect_ratios(self) -> tuple[str, ...]:
        return self.limits.aspect_ratios

    @property
    def durations(self) -> tuple[int, ...]:
        return self.limits.durations

    @property
    def video_input_seconds(self) -> tuple[int, int]:
        """The least and most seconds of video inputs together (besides none)."""
        video = self.limits.files["video"].limits
        return video["min_seconds_total"], video["max_seconds_total"]

    def endpoint_for(self, tier: str, mode: str) -> Endpoint:
        found = endpoint_of(self.limits, tier, mode)
        if found is None:
            raise KeyError(f"no {mode} endpoint on the {tier} tier")
        return found


def _tiers(f: Findings, data: LineDict) -> dict[str, Tier]:
    raw = schema.mapping(f, data, "tiers", non_empty=True)
    tiers: dict[str, Tier] = {}
    for name, body in (raw or {}).items():
        where = f"tier {name}"
        if not schema.is_mapping(f, body, raw.line_of(name), where):
            continue
        schema.unknown_keys(f, body, ("label", "rate_per_1k_tokens"), where)
        label = schema.text(f, body, "label", where)
        rate = schema.number(f, body, "rate_per_1k_tokens", where, lo=0, lo_open=True, hi=10)
        if label is not None and rate is not None:
            tiers[str(name)] = Tier(str(name), label, rate)
    if raw is not None:
        for needed in ("standard", "fast"):
            if needed not in raw:
                f.add(codes.SCHEMA, raw.line, f"tiers: missing tier '{needed}'")
    return tiers


def _picks(f: Findings, data: LineDict, tiers: set[str], limits: Limits | None) -> list[Pick]:
    raw = schema.seq(f, data, "common_picks", non_empty=True)
    picks = []
    for i, body in enumerate(raw or []):
        if not schema.is_mapping(f, body, raw.line_of(i), "each common pick"):
            continue
        schema.unknown_keys(f, body, ("tier", "resolution", "aspect_ratio"), "common pick")
        tier = schema.choice(f, body, "tier", tiers, "common pick")
        res = schema.text(f, body, "resolution", "common pick")
        ratio = schema.text(f, body, "aspect_ratio", "common pick")
        if limits is not None and res is not None and ratio is not None:
            if res not in limits.confirmed_resolutions or ratio not in limits.aspect_ratios:
                f.add(codes.SCHEMA, raw.line_of(i), f"common pick {res} {ratio}: not a "
                      "confirmed resolution and aspect ratio of data/limits.yml")
                continue
        if tier and res and ratio:
            picks.append(Pick(tier, res, ratio))
    return picks


def example_problem(limits: Limits, endpoint: str, duration: int, resolution: str,
                    aspect_ratio: str, reference_video: bool, seconds: int,
                    files: dict[str, int]) -> str | None:
    """Why a worked example is not a request a reader could send and price (None
    when it is): the one validator's rule for a priced call. A reference-to-video
    example names its files and, with videos, their real seconds together."""
    ep = limits.endpoints.get(endpoint)
    counts = {k: files.get(k, 0) for k in ("images", "videos", "audio")} \
        if ep is not None and ep.mode == "reference" else None
    if counts is not None and bool(counts["videos"]) != bool(reference_video):
        return "reference_video must say whether the example carries videos"
    call = Call(endpoint=endpoint, duration=duration, resolution=resolution,
                aspect_ratio=aspect_ratio, counts=counts, video_seconds=seconds,
                reference_video=reference_video)
    for reason in validate_call(limits, tiers_of(limits), call, priced=True):
        if refuses(reason, priced=True):
            return reason.message
    return None


def _examples(f: Findings, data: LineDict, limits: Limits | None) -> list[Example]:
    raw = schema.seq(f, data, "examples", non_empty=True)
    examples = []
    for i, body in enumerate(raw or []):
        if not schema.is_mapping(f, body, raw.line_of(i), "each example"):
            continue
        schema.unknown_keys(f, body, _EXAMPLE_KEYS, "example")
        name = schema.text(f, body, "name", "example")
        where = f"example {name!r}" if name else "example"
        endpoint = schema.text(f, body, "endpoint", where)
        duration = schema.integer(f, body, "duration", where, lo=1, hi=600)
        res = schema.text(f, body, "resolution", where)
        ratio = schema.text(f, body, "aspect_ratio", where)
        ref = schema.boolean(f, body, "reference_video", where, required=False, default=False)
        seconds = schema.integer(f, body, "video_input_seconds", where, lo=0, hi=600,
                                 required=False, default=0)
        assumption = schema.text(f, body, "assumption", where)
        files = tuple((kind, n) for kind in ("images", "videos", "audio")
                      if (n := schema.integer(f, body, kind, where, lo=0, hi=100,
                                              required=False)) is not None)
        if None in (name, endpoint, duration, res, ratio, ref, seconds, assumption):
            continue
        if limits is not None:
            problem = example_problem(limits, endpoint, duration, res, ratio, ref, seconds,
                                      dict(files))
            if problem:
                f.add(codes.SCHEMA, raw.line_of(i), f"{where}: {problem}")
                continue
        examples.append(Example(name, endpoint, duration, res, ratio, ref, seconds, assumption,
                                files))
    return examples


def _pro15(f: Findings, data: LineDict, limits: Limits | None,
           file_dates: tuple[dt.date | None, dt.date | None]) -> Pro15 | None:
    """The section, dated by its own ``verified:`` (and ``changed:``) when it has one,
    else by the file's (``file_dates``: the file's verified and changed)."""
    raw = schema.mapping(f, data, "seedance_1_5_pro", required=False)
    if raw is None:
        return None
    where = "seedance_1_5_pro"
    schema.unknown_keys(f, raw, _PRO15_KEYS, where)
    verified, changed = file_dates
    if "verified" in raw:
        verified = schema.date(f, raw, "verified", where)
        changed = schema.changed_date(f, raw, verified)
    elif "changed" in raw:
        f.add(codes.SCHEMA, raw.line_of("changed"), f"{where}: 'changed' needs a 'verified' "
              "of its own beside it (the day these figures were last compared with fal's "
              "page)", raw.column_of("changed"))
    endpoint = schema.text(f, raw, "endpoint", where)
    frame_rate = schema.integer(f, raw, "frame_rate", where, lo=1, hi=240)
    divisor = schema.integer(f, raw, "tokens_divisor", where, lo=1, hi=1_000_000)
    source = schema.text(f, raw, "source", where)
    rates = schema.mapping(f, raw, "rate_per_1m_tokens", where)
    audio = silent = None
    if rates is not None:
        schema.unknown_keys(f, rates, ("audio", "silent"), f"{where} rate_per_1m_tokens")
        audio = schema.number(f, rates, "audio", f"{where} rate_per_1m_tokens", lo=0,
                              lo_open=True, hi=1000)
        silent = schema.number(f, rates, "silent", f"{where} rate_per_1m_tokens", lo=0,
                               lo_open=True, hi=1000)
    duration = schema.mapping(f, raw, "duration", where)
    d_min = d_max = d_default = None
    if duration is not None:
        schema.unknown_keys(f, duration, ("min", "max", "default"), f"{where} duration")
        d_min = schema.integer(f, duration, "min", f"{where} duration", lo=1, hi=600)
        d_max = schema.integer(f, duration, "max", f"{where} duration", lo=1, hi=600)
        d_default = schema.integer(f, duration, "default", f"{where} duration", lo=1, hi=600)
        if None not in (d_min, d_max, d_default) and not d_min <= d_default <= d_max:
            f.add(codes.SCHEMA, duration.line_of("default"), f"{where} duration: the default "
                  f"is not from min to max ({d_min} to {d_max})")
            d_default = None
    res = [str(r) for r in schema.seq(f, raw, "resolutions", where, non_empty=True) or []]
    default_res = schema.text(f, raw, "default_resolution", where)
    if default_res is not None and res and default_res not in res:
        f.add(codes.SCHEMA, raw.line_of("default_resolution"), f"{where}: default_resolution "
              f"{default_res!r} is not one of its resolutions ({', '.join(res)})")
        default_res = None
    ratios = schema.aspect_ratios(f, schema.seq(f, raw, "aspect_ratios", where,
                                                 non_empty=True), f"{where} aspect_ratios")
    auto = schema.boolean(f, raw, "aspect_auto", where, required=False, default=False)
    default_ratio = schema.text(f, raw, "default_aspect_ratio", where)
    if default_ratio is not None and ratios and default_ratio not in (
            *ratios, *(["auto"] if auto else [])):
        f.add(codes.SCHEMA, raw.line_of("default_aspect_ratio"), f"{where}: "
              f"default_aspect_ratio {default_ratio!r} is not one of its aspect ratios")
        default_ratio = None
    sizes: dict[str, dict[str, tuple[int, int]]] = {}
    if limits is not None:
        for r in res:
            table = limits.frame_sizes.get(r)
            missing = [a for a in ratios if table is None or a not in table]
            if missing:
                f.add(codes.SCHEMA, raw.line_of("resolutions"), f"{where}: data/limits.yml has "
                      f"no frame size for {r} at {', '.join(missing)} (1.5 Pro is priced with "
                      "those sizes)")
                continue
            sizes[r] = {a: table[a] for a in ratios}
    values = (endpoint, frame_rate, divisor, source, audio, silent, d_min, d_max, d_default,
              default_res, default_ratio, auto, verified)
    if None in values or limits is None or len(sizes) != len(res):
        return None
    return Pro15(endpoint, frame_rate, divisor, audio, silent, d_min, d_max, d_default,
                 tuple(res), default_res, tuple(ratios), bool(auto), default_ratio, source, sizes,
                 f.path, verified, changed)


def _accepted_quotes(f: Findings, data: LineDict, tiers: set[str]) -> list[AcceptedQuote]:
    raw = schema.seq(f, data, "accepted_quotes", required=False)
    found = []
    for i, body in enumerate(raw or []):
        if not schema.is_mapping(f, body, raw.line_of(i), "each accepted quote"):
            continue
        where = "accepted quote"
        schema.unknown_keys(f, body, ("tier", "per_second_720p", "reason"), where)
        tier = schema.choice(f, body, "tier", sorted(tiers), where)
        amount = schema.number(f, body, "per_second_720p", where, lo=0, lo_open=True, hi=100)
        reason = schema.text(f, body, "reason", where)
        if tier and amount is not None and reason:
            found.append(AcceptedQuote(tier, amount, reason))
    return found


def validate_pricing(data: Any, f: Findings, limits: Limits | None) -> PricingModel | None:
    """The pricing model, or None when it cannot be used; every finding goes to ``f``.

    ``limits`` is the loaded data/limits.yml (None when it is broken: the
    cross-checks against it are left out, its own findings say why).
    """
    if not schema.is_mapping(f, data, 1, "data/pricing.yml"):
        return None
    schema.unknown_keys(f, data, _KEYS)
    verified, changed, source = schema.dated(f, data)
    frame_rate = schema.integer(f, data, "frame_rate", lo=1, hi=240)
    divisor = schema.integer(f, data, "tokens_divisor", lo=1, hi=1_000_000)
    tiers = _tiers(f, data)
    multiplier = schema.number(f, data, "reference_video_multiplier", lo=0, lo_open=True, hi=10)
    named = set(data["tiers"]) if isinstance(data.get("tiers"), dict) else set(tiers)
    picks = _picks(f, data, named, limits)
    ref_secs = schema.seq(f, data, "reference_input_seconds", non_empty=True)
    seconds = []
    for i, s in enumerate(ref_secs or []):
        if schema.check_number(f, s, ref_secs.line_of(i), "reference_input_seconds: each",
                               lo=0, hi=600, whole=True):
            seconds.append(int(s))
    examples = _examples(f, data, limits)
    pro15 = _pro15(f, data, limits, (verified, changed))
    accepted = _accepted_quotes(f, data, named)
    if limits is not None:
        for ep in limits.endpoints.values():
            if ep.tier not in named and "tiers" in data:
                f.add(codes.SCHEMA, data.line_of("tiers"), f"tiers: no rate for the "
                      f"{ep.tier!r} tier of {ep.id} (data/limits.yml)")
                break
    if f.blocking or limits is None or None in (verified, source, frame_rate, divisor,
                                                multiplier):
        return None
    return PricingModel(
        path=f.path, verified=verified, changed=changed, source=source, frame_rate=frame_rate,
        tokens_divisor=divisor, tiers=tiers, reference_video_multiplier=multiplier,
        limits=limits, common_picks=tuple(picks), reference_input_seconds=tuple(seconds),
        examples=tuple(examples), pro15=pro15, accepted_quotes=tuple(accepted),
    )


def pricing_tiers(data: Any) -> set[str] | None:
    """The tier names written in pricing data, for the limits' cross-check."""
    if isinstance(data, dict) and isinstance(data.get("tiers"), dict):
        return {str(t) for t in data["tiers"]}
    return None


def load_pricing(root: Path) -> PricingModel:
    """data/pricing.yml with data/limits.yml; raises ContentError naming every finding."""
    path = root / PRICING_FILE
    data = load_yaml(path)
    limits = load_limits(root, pricing_tiers(data))
    f = Findings(path)
    return f.result(validate_pricing(data, f, limits))


__all__ = ["AcceptedQuote", "Example", "Pick", "PricingModel", "Pro15", "Tier", "load_pricing",
           "validate_limits", "validate_pricing"]

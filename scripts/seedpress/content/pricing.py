"""The rate table: data/pricing.yml as a typed, validated model.

The rates and the formula's other terms are here; the frame sizes and the
endpoints they apply to are the model's limits (data/limits.yml), which the
:class:`PricingModel` carries. :func:`validate_pricing` is the one validator
of data/pricing.yml; the arithmetic lives in :mod:`seedpress.pricing`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import ROOT, codes
from . import schema
from .call import Call, endpoint_of, refuses, tiers_of, validate_call
from .limits import Endpoint, Limits, load_limits, validate_limits
from .schema import Findings
from .source import LineDict, load_yaml

PRICING_FILE = Path("data") / "pricing.yml"
_KEYS = ("verified", "source", "frame_rate", "tokens_divisor", "tiers",
         "reference_video_multiplier", "common_picks", "reference_input_seconds", "examples")
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


def validate_pricing(data: Any, f: Findings, limits: Limits | None) -> PricingModel | None:
    """The pricing model, or None when it cannot be used; every finding goes to ``f``.

    ``limits`` is the loaded data/limits.yml (None when it is broken: the
    cross-checks against it are left out, its own findings say why).
    """
    if not schema.is_mapping(f, data, 1, "data/pricing.yml"):
        return None
    schema.unknown_keys(f, data, _KEYS)
    verified = schema.date(f, data, "verified")
    source = schema.text(f, data, "source")
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
        path=f.path, verified=verified, source=source, frame_rate=frame_rate,
        tokens_divisor=divisor, tiers=tiers, reference_video_multiplier=multiplier,
        limits=limits, common_picks=tuple(picks), reference_input_seconds=tuple(seconds),
        examples=tuple(examples),
    )


def pricing_tiers(data: Any) -> set[str] | None:
    """The tier names written in pricing data, for the limits' cross-check."""
    if isinstance(data, dict) and isinstance(data.get("tiers"), dict):
        return {str(t) for t in data["tiers"]}
    return None


def load_pricing(root: Path = ROOT) -> PricingModel:
    """data/pricing.yml with data/limits.yml; raises ContentError naming every finding."""
    path = root / PRICING_FILE
    data = load_yaml(path)
    limits = load_limits(root, pricing_tiers(data))
    f = Findings(path)
    return f.result(validate_pricing(data, f, limits))


__all__ = ["Example", "Pick", "PricingModel", "Tier", "load_pricing", "validate_limits",
           "validate_pricing"]

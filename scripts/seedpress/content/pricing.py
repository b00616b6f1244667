"""The rate table: data/pricing.yml as a typed, validated model.

Every schema violation is a :class:`ContentError` naming the file and line
(code SP007). The arithmetic lives in :mod:`seedpress.pricing`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import ROOT
from .source import as_date, error, load_yaml, require

MODES = ("text", "image", "reference")


@dataclass(frozen=True)
class Tier:
    name: str
    label: str
    #: USD per 1,000 tokens, exact as written in the YAML
    rate: Decimal


@dataclass(frozen=True)
class Endpoint:
    id: str
    tier: str
    mode: str
    resolutions: tuple[str, ...]
    durations: tuple[int, ...]

    @property
    def accepts_video(self) -> bool:
        return self.mode == "reference"


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


@dataclass(frozen=True)
class PricingModel:
    path: Path
    verified: dt.date
    source: str
    frame_rate: int
    tokens_divisor: int
    tiers: dict[str, Tier]
    reference_video_multiplier: Decimal
    #: resolution -> aspect ratio -> (width, height)
    sizes: dict[str, dict[str, tuple[int, int]]]
    endpoints: dict[str, Endpoint]
    common_picks: tuple[Pick, ...]
    reference_input_seconds: tuple[int, ...]
    examples: tuple[Example, ...]

    @property
    def resolutions(self) -> tuple[str, ...]:
        return tuple(self.sizes)

    @property
    def aspect_ratios(self) -> tuple[str, ...]:
        first = next(iter(self.sizes.values()))
        return tuple(first)

    @property
    def durations(self) -> tuple[int, ...]:
        return tuple(sorted({d for e in self.endpoints.values() for d in e.durations}))

    def endpoint_for(self, tier: str, mode: str) -> Endpoint:
        for ep in self.endpoints.values():
            if ep.tier == tier and ep.mode == mode:
                return ep
        raise KeyError(f"no {mode} endpoint on the {tier} tier")


def _decimal(value: Any, path: Path, line: int, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise error(path, line, "SP007", f"{what} must be a number")
    number = Decimal(str(value))
    if number <= 0:
        raise error(path, line, "SP007", f"{what} must be positive")
    return number


def _positive_int(mapping: Any, key: str, path: Path, where: str = "") -> int:
    value = require(mapping, key, int, path, where)
    if value <= 0:
        raise error(path, mapping.line_of(key), "SP007", f"'{key}' must be positive")
    return value


def _sizes(raw: Any, path: Path) -> dict[str, dict[str, tuple[int, int]]]:
    sizes: dict[str, dict[str, tuple[int, int]]] = {}
    ratios: tuple[str, ...] | None = None
    for res, table in raw.items():
        if not isinstance(table, dict) or not table:
            raise error(path, raw.line_of(res), "SP007",
                        f"resolution {res!r} must map aspect ratios to [width, height]")
        sizes[str(res)] = {}
        for ratio, pair in table.items():
            line = table.line_of(ratio)
            if not isinstance(ratio, str):
                raise error(path, line, "SP007", f"{res}: write each aspect ratio in quotes "
                            f'("16:9"); unquoted, YAML reads it as the number {ratio!r}')
            if (not isinstance(pair, list) or len(pair) != 2
                    or not all(isinstance(n, int) and not isinstance(n, bool) and n > 0
                               for n in pair)):
                raise error(path, line, "SP007",
                            f"{res} {ratio} must be [width, height] in whole pixels")
            sizes[str(res)][str(ratio)] = (pair[0], pair[1])
        if ratios is None:
            ratios = tuple(sizes[str(res)])
        elif tuple(sizes[str(res)]) != ratios:
            raise error(path, raw.line_of(res), "SP007",
                        f"resolution {res!r} must list the same aspect ratios in the same "
                        f"order as the first one ({', '.join(ratios)})")
    if not sizes:
        raise error(path, raw.line, "SP007", "resolutions must not be empty")
    return sizes


def load_pricing(root: Path = ROOT) -> PricingModel:
    path = root / "data" / "pricing.yml"
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise error(path, 1, "SP007", "data/pricing.yml must be a mapping")

    verified = as_date(data.get("verified"))
    if verified is None:
        raise error(path, data.line_of("verified"), "SP007",
                    "'verified' must be a calendar date (YYYY-MM-DD)")

    raw_tiers = require(data, "tiers", dict, path)
    tiers: dict[str, Tier] = {}
    for name, body in raw_tiers.items():
        where = f"tier {name}"
        label = require(body, "label", str, path, where)
        rate = _decimal(require(body, "rate_per_1k_tokens", (int, float), path, where), path,
                        body.line_of("rate_per_1k_tokens"), f"{where}: rate_per_1k_tokens")
        tiers[str(name)] = Tier(str(name), label, rate)
    for needed in ("standard", "fast"):
        if needed not in tiers:
            raise error(path, raw_tiers.line, "SP007", f"tiers: missing tier '{needed}'")

    multiplier = _decimal(require(data, "reference_video_multiplier", (int, float), path), path,
                          data.line_of("reference_video_multiplier"),
                          "reference_video_multiplier")
    sizes = _sizes(require(data, "resolutions", dict, path), path)

    endpoints: dict[str, Endpoint] = {}
    raw_eps = require(data, "endpoints", list, path)
    for i, body in enumerate(raw_eps):
        line = raw_eps.line_of(i)
        if not isinstance(body, dict):
            raise error(path, line, "SP007", "each endpoint must be a mapping")
        ep_id = require(body, "id", str, path, "endpoint")
        where = f"endpoint {ep_id}"
        tier = require(body, "tier", str, path, where)
        if tier not in tiers:
            raise error(path, body.line_of("tier"), "SP007", f"{where}: unknown tier {tier!r}")
        mode = require(body, "mode", str, path, where)
        if mode not in MODES:
            raise error(path, body.line_of("mode"), "SP007",
                        f"{where}: mode must be one of {', '.join(MODES)}")
        res = require(body, "resolutions", list, path, where)
        for j, r in enumerate(res):
            if r not in sizes:
                raise error(path, res.line_of(j), "SP007",
                            f"{where}: resolution {r!r} has no frame sizes under resolutions:")
        durs = require(body, "durations", list, path, where)
        for j, d in enumerate(durs):
            if isinstance(d, bool) or not isinstance(d, int) or d <= 0:
                raise error(path, durs.line_of(j), "SP007",
                            f"{where}: durations must be whole seconds")
        if ep_id in endpoints:
            raise error(path, line, "SP007", f"endpoint {ep_id} is listed twice")
        endpoints[ep_id] = Endpoint(ep_id, tier, mode, tuple(res), tuple(durs))

    picks = []
    raw_picks = require(data, "common_picks", list, path)
    for i, body in enumerate(raw_picks):
        pick = Pick(require(body, "tier", str, path, "common pick"),
                    require(body, "resolution", str, path, "common pick"),
                    require(body, "aspect_ratio", str, path, "common pick"))
        if pick.tier not in tiers or pick.resolution not in sizes \
                or pick.aspect_ratio not in sizes[pick.resolution]:
            raise error(path, raw_picks.line_of(i), "SP007",
                        "common pick names an unknown tier, resolution or aspect ratio")
        picks.append(pick)

    ref_secs = require(data, "reference_input_seconds", list, path)
    for i, s in enumerate(ref_secs):
        if isinstance(s, bool) or not isinstance(s, int) or s < 0:
            raise error(path, ref_secs.line_of(i), "SP007",
                        "reference_input_seconds must be whole seconds, 0 or more")

    examples = []
    raw_examples = require(data, "examples", list, path)
    for i, body in enumerate(raw_examples):
        where = "example"
        ep = require(body, "endpoint", str, path, where)
        if ep not in endpoints:
            raise error(path, body.line_of("endpoint"), "SP007", f"unknown endpoint {ep!r}")
        ex = Example(
            name=require(body, "name", str, path, where),
            endpoint=ep,
            duration=_positive_int(body, "duration", path, where),
            resolution=require(body, "resolution", str, path, where),
            aspect_ratio=str(require(body, "aspect_ratio", str, path, where)),
            reference_video=bool(body.get("reference_video", False)),
            video_input_seconds=int(body.get("video_input_seconds", 0) or 0),
            assumption=require(body, "assumption", str, path, where),
        )
        if ex.resolution not in sizes or ex.aspect_ratio not in sizes[ex.resolution]:
            raise error(path, raw_examples.line_of(i), "SP007",
                        f"example {ex.name!r}: unknown resolution or aspect ratio")
        examples.append(ex)

    return PricingModel(
        path=path,
        verified=verified,
        source=str(data.get("source") or ""),
        frame_rate=_positive_int(data, "frame_rate", path),
        tokens_divisor=_positive_int(data, "tokens_divisor", path),
        tiers=tiers,
        reference_video_multiplier=multiplier,
        sizes=sizes,
        endpoints=endpoints,
        common_picks=tuple(picks),
        reference_input_seconds=tuple(ref_secs),
        examples=tuple(examples),
    )

"""The model's limits: data/limits.yml as a typed, validated model.

One statement of what Seedance 2.0 on fal accepts: its endpoints, output
durations, resolutions (with the unconfirmed 1080p marked as such), aspect
ratios, frame sizes, reference counts and input file limits. Prices,
pages, the request builder, the gallery and the ship check's claim rule
all read it from here. :func:`validate_limits` is its one validator.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import codes
from . import schema
from .schema import Findings
from .source import LineDict

LIMITS_FILE = Path("data") / "limits.yml"
MODES = ("text", "image", "reference")
STATUSES = ("confirmed", "unconfirmed")
#: Input fields by endpoint mode (FACTS.md, "Inputs"); the common ones first.
COMMON_INPUTS = ("prompt", "duration", "resolution", "aspect_ratio", "generate_audio", "seed")
MODE_INPUTS = {"text": (), "image": ("image_url", "end_image_url"),
               "reference": ("image_urls", "video_urls", "audio_urls")}
#: the largest seed the toolkit sends (fal's schema takes an integer; ours stay
#: within 32 bits, as the seeds fal returns do)
SEED_MAX = 2**32 - 1
#: reference kind -> (input field, prompt tag)
REFERENCE_KINDS = {"images": ("image_urls", "Image"), "videos": ("video_urls", "Video"),
                   "audio": ("audio_urls", "Audio")}

_KEYS = ("verified", "changed", "source", "endpoints", "duration", "resolutions",
         "resolutions_source", "aspect_ratios", "frame_sizes", "frame_sizes_source",
         "references", "files", "inputs_not_offered")
#: how an input field of fal's schema is named (end_user_id, image_urls)
INPUT_NAME = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Endpoint:
    id: str
    tier: str
    mode: str
    #: confirmed resolutions this endpoint renders (the ones the site prices)
    resolutions: tuple[str, ...]
    durations: tuple[int, ...]

    @property
    def accepts_video(self) -> bool:
        return self.mode == "reference"

    @property
    def inputs(self) -> tuple[str, ...]:
        return COMMON_INPUTS + MODE_INPUTS[self.mode]


@dataclass(frozen=True)
class Resolution:
    name: str
    status: str
    #: tiers that offer it; empty means every tier
    tiers: tuple[str, ...]
    default: bool
    note: str

    @property
    def confirmed(self) -> bool:
        return self.status == "confirmed"

    def on_tier(self, tier: str) -> bool:
        return not self.tiers or tier in self.tiers


@dataclass(frozen=True)
class FileLimit:
    kind: str
    formats: tuple[str, ...]
    #: limit name (max_mb_each, max_seconds_total, ...) -> value
    limits: dict[str, int]


@dataclass(frozen=True)
class Limits:
    path: Path
    verified: dt.date
    source: str
    endpoints: dict[str, Endpoint]
    duration_min: int
    duration_max: int
    duration_auto: bool
    resolutions: tuple[Resolution, ...]
    aspect_ratios: tuple[str, ...]
    aspect_auto: bool
    #: resolution -> aspect ratio -> (width, height), unconfirmed ones included
    frame_sizes: dict[str, dict[str, tuple[int, int]]]
    #: images, videos, audio, total -> most files
    references: dict[str, int]
    audio_needs_visual: bool
    files: dict[str, FileLimit]
    #: inputs fal lists that the request builder leaves out on purpose: name -> reason
    #: (``seedpress drift`` reports any other input the builder does not offer)
    inputs_not_offered: dict[str, str] = field(default_factory=dict)
    #: the day a value here last changed (None: ``verified``)
    changed: dt.date | None = None

    @property
    def values_since(self) -> dt.date:
        """Since when these values have held: what a page's review is judged against."""
        return self.changed or self.verified

    @property
    def durations(self) -> tuple[int, ...]:
        return tuple(range(self.duration_min, self.duration_max + 1))

    def resolution(self, name: str) -> Resolution | None:
        return next((r for r in self.resolutions if r.name == name), None)

    @property
    def confirmed_resolutions(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.resolutions if r.confirmed)

    def file_limit(self, kind: str, name: str) -> int:
        return self.files[kind].limits[name]


def _endpoints(f: Findings, data: LineDict, tiers: set[str] | None) -> list[tuple[str, str, str]]:
    raw = schema.seq(f, data, "endpoints", non_empty=True)
    found: list[tuple[str, str, str]] = []
    seen: dict[str, int] = {}
    for i, body in enumerate(raw or []):
        line = raw.line_of(i)
        if not schema.is_mapping(f, body, line, "each endpoint"):
            continue
        schema.unknown_keys(f, body, ("id", "tier", "mode"), "endpoint")
        ep_id = schema.text(f, body, "id", "endpoint")
        where = f"endpoint {ep_id}" if ep_id else "endpoint"
        tier = schema.text(f, body, "tier", where)
        if tier and tiers is not None and tier not in tiers:
            f.add(codes.SCHEMA, body.line_of("tier"), f"{where}: tier {tier!r} has no rate in "
                  f"data/pricing.yml ({', '.join(sorted(tiers))})")
            tier = None
        mode = schema.choice(f, body, "mode", MODES, where)
        if ep_id and schema.unique(f, seen, ep_id, line, "endpoint") and tier and mode:
            found.append((ep_id, tier, mode))
    return found


def _sizes(f: Findings, data: LineDict, resolutions: list[str],
           ratios: tuple[str, ...]) -> dict[str, dict[str, tuple[int, int]]]:
    raw = schema.mapping(f, data, "frame_sizes", non_empty=True)
    sizes: dict[str, dict[str, tuple[int, int]]] = {}
    if raw is None:
        return sizes
    schema.unknown_keys(f, raw, resolutions, "frame_sizes")
    for res in resolutions:
        table = schema.mapping(f, raw, res, "frame_sizes")
        if table is None:
            continue
        unquoted = [ratio for ratio in table if not isinstance(ratio, str)]
        for ratio in unquoted:
            f.add(codes.SCHEMA, table.line_of(ratio), f"frame_sizes {res}: write each aspect "
                  f'ratio in quotes ("16:9"); unquoted, YAML reads it as {ratio!r}',
                  table.column_of(ratio))
        if not unquoted:
            schema.unknown_keys(f, table, ratios, f"frame_sizes {res}")
        sizes[res] = {}
        for ratio in ratios:
            if ratio not in table:
                if unquoted:
                    continue  # the unquoted key above is this ratio, most likely
                f.add(codes.SCHEMA, table.line, f"frame_sizes {res}: no size for {ratio}")
                continue
            pair, line = table[ratio], table.line_of(ratio)
            if not isinstance(pair, list) or len(pair) != 2:
                f.add(codes.SCHEMA, line, f"frame_sizes {res} {ratio} must be [width, height]")
                continue
            if all(schema.check_number(f, n, line, f"frame_sizes {res} {ratio}: a side",
                                       lo=16, hi=8192, whole=True) for n in pair):
                sizes[res][ratio] = (int(pair[0]), int(pair[1]))
    return sizes


def _files(f: Findings, data: LineDict) -> dict[str, FileLimit]:
    raw = schema.mapping(f, data, "files")
    out: dict[str, FileLimit] = {}
    if raw is None:
        return out
    kinds = ("image", "video", "audio")
    names = ("max_mb_each", "max_mb_total", "min_seconds_total", "max_seconds_total")
    schema.unknown_keys(f, raw, (*kinds, "source"), "files")
    schema.text(f, raw, "source", "files")
    for kind in kinds:
        body = schema.mapping(f, raw, kind, "files")
        if body is None:
            continue
        schema.unknown_keys(f, body, ("formats", *names), f"files {kind}")
        formats = schema.seq(f, body, "formats", f"files {kind}", non_empty=True) or []
        limits = {}
        for name in names:
            value = schema.integer(f, body, name, f"files {kind}", lo=1, hi=10_000,
                                   required=False)
            if value is not None:
                limits[name] = value
        out[kind] = FileLimit(kind, tuple(str(x) for x in formats), limits)
    video = out.get("video")
    if video and video.limits.get("min_seconds_total", 0) > video.limits.get(
            "max_seconds_total", 10_000):
        f.add(codes.SCHEMA, raw.line_of("video"), "files video: min_seconds_total is more than "
              "max_seconds_total")
    return out


def _not_offered(f: Findings, data: LineDict) -> dict[str, str]:
    raw = schema.seq(f, data, "inputs_not_offered", required=False)
    found: dict[str, str] = {}
    seen: dict[str, int] = {}
    for i, body in enumerate(raw or []):
        line = raw.line_of(i)
        if not schema.is_mapping(f, body, line, "each entry of inputs_not_offered"):
            continue
        schema.unknown_keys(f, body, ("name", "reason"), "inputs_not_offered")
        name = schema.text(f, body, "name", "inputs_not_offered")
        where = f"inputs_not_offered {name}" if name else "inputs_not_offered"
        reason = schema.text(f, body, "reason", where)
        if name is not None and not INPUT_NAME.fullmatch(name):
            f.add(codes.SCHEMA, body.line_of("name"), f"{where}: an input is named in lower "
                  "case with underscores, as fal's schema names it (end_user_id)",
                  body.column_of("name"))
            continue
        if name and reason and schema.unique(f, seen, name, line, "inputs_not_offered: input"):
            found[name] = reason
    return found


def validate_limits(data: Any, f: Findings, tiers: set[str] | None = None) -> Limits | None:
    """The limits, or None when they cannot be used; every finding goes to ``f``.

    ``tiers`` are the tier names of data/pricing.yml (an endpoint's tier must
    have a rate); None skips that cross-check.
    """
    if not schema.is_mapping(f, data, 1, "data/limits.yml"):
        return None
    schema.unknown_keys(f, data, _KEYS)
    verified, changed, source = schema.dated(f, data)
    for key in ("resolutions_source", "frame_sizes_source"):
        schema.text(f, data, key, required=False)
    endpoints = _endpoints(f, data, tiers)

    duration = schema.mapping(f, data, "duration")
    d_min = d_max = None
    d_auto = False
    if duration is not None:
        schema.unknown_keys(f, duration, ("min", "max", "auto", "default", "source"), "duration")
        d_min = schema.integer(f, duration, "min", "duration", lo=1, hi=600)
        d_max = schema.integer(f, duration, "max", "duration", lo=1, hi=600)
        d_auto = bool(schema.boolean(f, duration, "auto", "duration", required=False,
                                     default=False))
        schema.text(f, duration, "default", "duration", required=False)
        schema.text(f, duration, "source", "duration", required=False)
        if d_min is not None and d_max is not None and d_min > d_max:
            f.add(codes.SCHEMA, duration.line_of("min"), "duration: min is more than max")
            d_min = None

    resolutions: list[Resolution] = []
    raw_res = schema.seq(f, data, "resolutions", non_empty=True)
    seen: dict[str, int] = {}
    for i, body in enumerate(raw_res or []):
        if not schema.is_mapping(f, body, raw_res.line_of(i), "each resolution"):
            continue
        schema.unknown_keys(f, body, ("name", "status", "tiers", "default", "note"),
                            "resolution")
        name = schema.text(f, body, "name", "resolution")
        status = schema.choice(f, body, "status", STATUSES, f"resolution {name}")
        tiers_of = schema.seq(f, body, "tiers", f"resolution {name}", required=False) or []
        default = schema.boolean(f, body, "default", required=False, default=False)
        note = schema.text(f, body, "note", required=False) or ""
        if name and schema.unique(f, seen, name, raw_res.line_of(i), "resolution") and status:
            resolutions.append(Resolution(name, status, tuple(str(t) for t in tiers_of),
                                          bool(default), note))

    ratios_map = schema.mapping(f, data, "aspect_ratios")
    ratios: tuple[str, ...] = ()
    a_auto = False
    if ratios_map is not None:
        schema.unknown_keys(f, ratios_map, ("values", "auto", "default", "source"),
                            "aspect_ratios")
        ratios = tuple(schema.aspect_ratios(
            f, schema.seq(f, ratios_map, "values", "aspect_ratios", non_empty=True)))
        a_auto = bool(schema.boolean(f, ratios_map, "auto", "aspect_ratios", required=False,
                                     default=False))
        schema.text(f, ratios_map, "default", "aspect_ratios", required=False)
        schema.text(f, ratios_map, "source", "aspect_ratios", required=False)

    sizes = _sizes(f, data, [r.name for r in resolutions], ratios)

    refs = schema.mapping(f, data, "references")
    references: dict[str, int] = {}
    needs_visual = True
    if refs is not None:
        schema.unknown_keys(f, refs, (*REFERENCE_KINDS, "total", "audio_needs_visual",
                                      "source"), "references")
        for key in (*REFERENCE_KINDS, "total"):
            value = schema.integer(f, refs, key, "references", lo=0, hi=100)
            if value is not None:
                references[key] = value
        needs_visual = bool(schema.boolean(f, refs, "audio_needs_visual", "references",
                                           required=False, default=True))
        schema.text(f, refs, "source", "references", required=False)
        if len(references) == 4 and references["total"] > sum(
                references[k] for k in REFERENCE_KINDS):
            f.add(codes.SCHEMA, refs.line_of("total"), "references: total is more than the "
                  "kinds allow together")
    files = _files(f, data)
    not_offered = _not_offered(f, data)

    if f.blocking or verified is None or source is None or d_min is None or d_max is None:
        return None
    confirmed = [r for r in resolutions if r.confirmed]
    durations = tuple(range(d_min, d_max + 1))
    built = {ep_id: Endpoint(ep_id, tier, mode,
                             tuple(r.name for r in confirmed if r.on_tier(tier)), durations)
             for ep_id, tier, mode in endpoints}
    return Limits(
        path=f.path, verified=verified, changed=changed, source=source, endpoints=built,
        duration_min=d_min, duration_max=d_max, duration_auto=d_auto,
        resolutions=tuple(resolutions), aspect_ratios=ratios, aspect_auto=a_auto,
        frame_sizes=sizes, references=references, audio_needs_visual=needs_visual, files=files,
        inputs_not_offered=not_offered,
    )


def load_limits(root: Path, tiers: set[str] | None = None) -> Limits:
    return schema.load(root / LIMITS_FILE, validate_limits, tiers)

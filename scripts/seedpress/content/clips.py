"""The showcase clips: gallery/clips.yml as a typed, validated model.

Each clip is held to what its endpoint accepts (data/limits.yml: endpoints,
durations, resolutions, aspect ratios, reference counts and input fields).
:func:`validate_clips` is the one validator: the gallery commands and the
build load through it, and the ship check prints its findings (SP601 to
SP608 for what fal would refuse, SP007 and SP009 for the file's own shape).

The gallery renders with explicit values only (no ``auto``), so that the
cost, the frame size and the verification of the result are all known
before anything is submitted.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import ROOT, codes
from . import schema
from .limits import REFERENCE_KINDS, SEED_MAX, Limits
from .pricing import PricingModel, load_pricing
from .schema import Findings
from .source import LineDict, load_yaml

CLIPS_FILE = Path("gallery") / "clips.yml"
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: Fields of Seedance 1.x that 2.0 does not take.
OLD_FIELDS = {"negative_prompt": "Seedance 1.x", "camera_fixed": "Seedance 1.x"}
URL = re.compile(r"^https://[^\s/]+/\S*$")
_CLIP_KEYS = ("id", "title", "alt", "endpoint", "inputs", "video_input_seconds")
_NOUN = {"images": "image", "videos": "video", "audio": "audio"}


@dataclass(frozen=True)
class Clip:
    id: str
    title: str
    alt: str
    endpoint: str
    tier: str
    mode: str
    prompt: str
    duration: int
    resolution: str
    aspect_ratio: str
    generate_audio: bool
    seed: int
    #: image_url / end_image_url / image_urls / video_urls / audio_urls, as given
    references: dict[str, Any]
    #: seconds of video input counted by fal's rule (reference-to-video only)
    video_input_seconds: int
    line: int

    @property
    def arguments(self) -> dict[str, Any]:
        """The input JSON sent to fal (duration as fal's string enum)."""
        args: dict[str, Any] = {
            "prompt": self.prompt, "duration": str(self.duration),
            "resolution": self.resolution, "aspect_ratio": self.aspect_ratio,
            "generate_audio": self.generate_audio, "seed": self.seed,
        }
        args.update(self.references)
        return args

    @property
    def reference_video(self) -> bool:
        return bool(self.references.get("video_urls"))

    @property
    def input_hash(self) -> str:
        """What decides whether a render is still current: endpoint and inputs."""
        blob = json.dumps({"endpoint": self.endpoint, "arguments": self.arguments},
                          sort_keys=True, separators=(",", ":"))
        return "sha256:" + hashlib.sha256(blob.encode()).hexdigest()


@dataclass(frozen=True)
class Gallery:
    path: Path
    #: a clip rendered longer ago than this is rendered again
    max_age_days: int
    #: the default ceiling of one refresh, in USD
    budget_usd: float
    clips: tuple[Clip, ...]

    def clip(self, clip_id: str) -> Clip:
        for clip in self.clips:
            if clip.id == clip_id:
                return clip
        raise KeyError(clip_id)


def _url(f: Findings, value: Any, line: int, where: str, key: str) -> bool:
    if isinstance(value, str) and URL.match(value):
        return True
    f.add(codes.SCHEMA, line, f"{where}: {key} must be an https:// URL fal can fetch")
    return False


def _references(f: Findings, inputs: LineDict, where: str, limits: Limits
                ) -> dict[str, Any] | None:
    refs: dict[str, Any] = {}
    counts: dict[str, int] = {}
    ok = True
    for kind, (key, _tag) in REFERENCE_KINDS.items():
        if key not in inputs:
            counts[kind] = 0
            continue
        urls = schema.seq(f, inputs, key, where)
        if urls is None:
            ok = False
            continue
        counts[kind] = len(urls)
        most = limits.references[kind]
        if len(urls) > most:
            f.add(codes.CLIP_REFERENCES, inputs.line_of(key),
                  f"{where}: {len(urls)} {_NOUN[kind]} references, at most {most}")
            ok = False
        for i, url in enumerate(urls):
            ok = _url(f, url, urls.line_of(i), where, f"each of {key}") and ok
        if urls:
            refs[key] = list(urls)
    total = sum(counts.values())
    if total == 0 and ok:
        f.add(codes.CLIP_INPUTS, inputs.line, f"{where}: reference-to-video needs at least one "
              f"of {', '.join(k for k, _ in REFERENCE_KINDS.values())}")
        ok = False
    if total > limits.references["total"]:
        f.add(codes.CLIP_TOTAL, inputs.line, f"{where}: {total} reference files, at most "
              f"{limits.references['total']}")
        ok = False
    if limits.audio_needs_visual and counts.get("audio") and not (
            counts.get("images") or counts.get("videos")):
        f.add(codes.CLIP_AUDIO_ALONE, inputs.line_of("audio_urls"),
              f"{where}: audio references need an image or a video beside them")
        ok = False
    return refs if ok else None


def _clip(f: Findings, body: Any, line: int, limits: Limits, seen: dict[str, int]
          ) -> Clip | None:
    if not schema.is_mapping(f, body, line, "each clip"):
        return None
    clip_id = schema.text(f, body, "id", "clip")
    where = f"clip {clip_id}" if clip_id else f"clip at line {line}"
    schema.unknown_keys(f, body, _CLIP_KEYS, where)
    if clip_id is not None:
        if not ID_PATTERN.match(clip_id):
            f.add(codes.SCHEMA, body.line_of("id"), f"{where}: id must be lower-case words "
                  "joined by hyphens (it names the media files)")
            clip_id = None
        elif not schema.unique(f, seen, clip_id, body.line_of("id"), "clip id"):
            clip_id = None
    title = schema.text(f, body, "title", where)
    alt = schema.text(f, body, "alt", where)
    endpoint_id = schema.text(f, body, "endpoint", where)
    ep = limits.endpoints.get(endpoint_id) if endpoint_id else None
    if endpoint_id and ep is None:
        f.add(codes.CLIP_ENDPOINT, body.line_of("endpoint"), f"{where}: unknown endpoint "
              f"{endpoint_id!r}{schema.did_you_mean(endpoint_id, limits.endpoints)}")
    inputs = schema.mapping(f, body, "inputs", where)
    seconds = schema.integer(f, body, "video_input_seconds", where, lo=0, hi=600,
                             required=False, default=0)
    if ep is None or inputs is None:
        return None

    ok = True
    for key in inputs:
        if key in OLD_FIELDS:
            f.add(codes.CLIP_INPUTS, inputs.line_of(key),
                  f"{where}: '{key}' is a {OLD_FIELDS[key]} input; Seedance 2.0 has none")
            ok = False
        elif key not in ep.inputs:
            f.add(codes.CLIP_INPUTS, inputs.line_of(key), f"{where}: {ep.id} takes no "
                  f"'{key}'{schema.did_you_mean(str(key), ep.inputs)}")
            ok = False
    required = ("prompt", "duration", "resolution", "aspect_ratio", "generate_audio", "seed")
    if ep.mode == "image":
        required += ("image_url",)
    for key in required:
        if inputs.get(key) is None:
            f.add(codes.CLIP_INPUTS, inputs.line, f"{where}: {ep.mode}-to-video input needs "
                  f"'{key}'")
            ok = False
    prompt = schema.text(f, inputs, "prompt", where) if "prompt" in inputs else None
    duration = inputs.get("duration")
    if duration is not None and (isinstance(duration, bool) or not isinstance(duration, int)
                                 or duration not in ep.durations):
        f.add(codes.CLIP_DURATION, inputs.line_of("duration"), f"{where}: duration "
              f"{duration!r} is not whole seconds from {min(ep.durations)} to "
              f"{max(ep.durations)} (the gallery does not use \"auto\")")
        duration = None
    resolution = inputs.get("resolution")
    if resolution is not None and resolution not in ep.resolutions:
        f.add(codes.CLIP_RESOLUTION, inputs.line_of("resolution"), f"{where}: resolution "
              f"{resolution!r} is not offered on the {ep.tier} tier "
              f"({', '.join(ep.resolutions)})")
        resolution = None
    aspect = inputs.get("aspect_ratio")
    if aspect is not None and aspect not in limits.aspect_ratios:
        f.add(codes.CLIP_ASPECT, inputs.line_of("aspect_ratio"), f"{where}: aspect ratio "
              f"{aspect!r} is not one of {', '.join(limits.aspect_ratios)} (the gallery does "
              "not use \"auto\")")
        aspect = None
    audio = schema.boolean(f, inputs, "generate_audio", where) if "generate_audio" in inputs \
        else None
    seed = schema.integer(f, inputs, "seed", where, lo=0, hi=SEED_MAX) if "seed" in inputs \
        else None

    refs: dict[str, Any] | None = {}
    if ep.mode == "image":
        for key in ("image_url", "end_image_url"):
            if key in inputs and _url(f, inputs[key], inputs.line_of(key), where, key):
                refs[key] = inputs[key]
    elif ep.mode == "reference":
        refs = _references(f, inputs, where, limits)
    if prompt is not None and refs is not None:
        for key, tag in REFERENCE_KINDS.values():
            for number in sorted({int(n) for n in re.findall(rf"@{tag}(\d+)", prompt)}):
                have = len(refs.get(key, []))
                if number < 1 or number > have:
                    f.add(codes.SCHEMA, inputs.line_of("prompt"), f"{where}: the prompt names "
                          f"@{tag}{number} but {key} has {have}")
                    ok = False

    if seconds:
        low, high = (limits.files["video"].limits["min_seconds_total"],
                     limits.files["video"].limits["max_seconds_total"])
        if refs is not None and not refs.get("video_urls"):
            f.add(codes.SCHEMA, body.line_of("video_input_seconds"),
                  f"{where}: video_input_seconds needs video_urls")
            ok = False
        elif not low <= seconds <= high:
            f.add(codes.SCHEMA, body.line_of("video_input_seconds"),
                  f"{where}: video inputs last {low} to {high} s together")
            ok = False
    values = (clip_id, title, alt, prompt, duration, resolution, aspect, audio, seed, refs,
              seconds)
    if not ok or None in values:
        return None
    return Clip(clip_id, title.strip(), alt.strip(), ep.id, ep.tier, ep.mode, prompt.strip(),
                duration, resolution, aspect, audio, seed, refs, seconds, body.line)


def validate_clips(data: Any, f: Findings, limits: Limits | None) -> Gallery | None:
    if not schema.is_mapping(f, data, 1, "gallery/clips.yml"):
        return None
    schema.unknown_keys(f, data, ("max_age_days", "budget_usd", "clips"))
    max_age = schema.integer(f, data, "max_age_days", lo=1, hi=3650)
    budget = schema.number(f, data, "budget_usd", lo=0, lo_open=True, hi=10_000)
    raw = schema.seq(f, data, "clips", non_empty=True)
    if limits is None:
        return None
    clips: list[Clip] = []
    seen: dict[str, int] = {}
    for i, body in enumerate(raw or []):
        clip = _clip(f, body, raw.line_of(i), limits, seen)
        if clip is not None:
            clips.append(clip)
    if f.blocking or max_age is None or budget is None:
        return None
    return Gallery(f.path, max_age, float(budget), tuple(clips))


def load_clips(root: Path = ROOT, pricing: PricingModel | None = None) -> Gallery:
    """gallery/clips.yml, validated; ``pricing`` defaults to data/pricing.yml."""
    path = root / CLIPS_FILE
    pricing = pricing or load_pricing(root)
    f = Findings(path)
    return f.result(validate_clips(load_yaml(path), f, pricing.limits))

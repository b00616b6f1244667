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

from .. import codes
from . import schema
from .call import Call, Reason, endpoint_reason, tiers_of, validate_call
from .limits import REFERENCE_KINDS, SEED_MAX, Endpoint, Limits
from .pricing import PricingModel, load_pricing
from .schema import Findings
from .source import LineDict

CLIPS_FILE = Path("gallery") / "clips.yml"
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: Fields of Seedance 1.x that 2.0 does not take.
OLD_FIELDS = {"negative_prompt": "Seedance 1.x", "camera_fixed": "Seedance 1.x"}
URL = re.compile(r"^https://[^\s/]+/\S*$")
_CLIP_KEYS = ("id", "title", "alt", "endpoint", "inputs", "video_input_seconds")


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


#: the one validator's codes, as the ship check files them for a clip
_CLIP_CODES = {
    "endpoint": codes.CLIP_ENDPOINT, "duration": codes.CLIP_DURATION,
    "resolution": codes.CLIP_RESOLUTION, "resolution_tier": codes.CLIP_RESOLUTION,
    "resolution_unconfirmed": codes.CLIP_RESOLUTION, "aspect_ratio": codes.CLIP_ASPECT,
    "count_max": codes.CLIP_REFERENCES, "references_total": codes.CLIP_TOTAL,
    "references_none": codes.CLIP_INPUTS, "audio_alone": codes.CLIP_AUDIO_ALONE,
    "input_old": codes.CLIP_INPUTS, "input_unknown": codes.CLIP_INPUTS,
    "input_missing": codes.CLIP_INPUTS,
}
#: what a clip's findings leave out: the gallery's own checks say it first
#: (the prompt's text, the seed's range), or it is no fault in a clip (a clip
#: records no audio length, so its audio files' is never given)
_NOT_FOR_CLIPS = {"prompt", "seed_type", "seed_range", "url_example", "tag_unused",
                  "seconds_without_video", "audio_seconds_unknown"}


def _inputs(f: Findings, inputs: LineDict, ep: Endpoint, where: str) -> bool:
    """The inputs' names: none of Seedance 1.x, none the endpoint lacks, every one
    it needs."""
    ok = True
    for key in inputs:
        if key in OLD_FIELDS:
            reason = Reason("input_old", str(key), {"value": f"'{key}'"})
        elif key not in ep.inputs:
            reason = Reason("input_unknown", str(key), {
                "endpoint": ep.id, "value": f"'{key}'",
                "hint": schema.did_you_mean(str(key), ep.inputs)})
        else:
            continue
        f.add(_CLIP_CODES[reason.code], inputs.line_of(key), f"{where}: {reason.message}")
        ok = False
    required = ("prompt", "duration", "resolution", "aspect_ratio", "generate_audio", "seed")
    if ep.mode == "image":
        required += ("image_url",)
    for key in required:
        if inputs.get(key) is None:
            reason = Reason("input_missing", key, {"mode": ep.mode, "value": f"'{key}'"})
            f.add(_CLIP_CODES[reason.code], inputs.line, f"{where}: {reason.message}")
            ok = False
    return ok


def _files(f: Findings, inputs: LineDict, ep: Endpoint, where: str
           ) -> tuple[dict[str, Any], dict[str, int], list, dict[str, int], bool]:
    """The file inputs as given (https:// URLs only), how many of each kind, each
    file as the validator judges it, and the line of each file."""
    refs: dict[str, Any] = {}
    counts = {kind: 0 for kind in REFERENCE_KINDS}
    files: list[tuple[str, str, str]] = []
    lines: dict[str, int] = {}
    ok = True
    if ep.mode == "image":
        for key in ("image_url", "end_image_url"):
            if key in inputs and _url(f, inputs[key], inputs.line_of(key), where, key):
                refs[key] = inputs[key]
                files.append(("start_image" if key == "image_url" else "images", key,
                              inputs[key]))
                lines[key] = inputs.line_of(key)
            elif key in inputs:
                ok = False
    elif ep.mode == "reference":
        for kind, (key, tag) in REFERENCE_KINDS.items():
            if key not in inputs:
                continue
            urls = schema.seq(f, inputs, key, where)
            if urls is None:
                ok = False
                continue
            counts[kind] = len(urls)
            for i, url in enumerate(urls):
                if _url(f, url, urls.line_of(i), where, f"each of {key}"):
                    files.append((kind, f"@{tag}{i + 1}", url))
                    lines[f"@{tag}{i + 1}"] = urls.line_of(i)
                else:
                    ok = False
            if urls:
                refs[key] = list(urls)
    return refs, counts, files, lines, ok


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
    inputs = schema.mapping(f, body, "inputs", where)
    seconds = schema.integer(f, body, "video_input_seconds", where, lo=0, hi=600,
                             required=False, default=0)
    if endpoint_id is None:
        return None
    unknown = endpoint_reason(limits, endpoint_id)
    if unknown is not None:
        f.add(codes.CLIP_ENDPOINT, body.line_of("endpoint"), f"{where}: {unknown.message}")
        return None
    ep = limits.endpoints[endpoint_id]
    if inputs is None:
        return None

    ok = _inputs(f, inputs, ep, where)
    prompt = schema.text(f, inputs, "prompt", where) if "prompt" in inputs else None
    audio = schema.boolean(f, inputs, "generate_audio", where) if "generate_audio" in inputs \
        else None
    seed = schema.integer(f, inputs, "seed", where, lo=0, hi=SEED_MAX) if "seed" in inputs \
        else None
    refs, counts, files, file_lines, files_ok = _files(f, inputs, ep, where)
    ok = ok and files_ok
    if seconds and ep.mode == "reference" and not counts["videos"] or \
            seconds and ep.mode != "reference":
        f.add(codes.SCHEMA, body.line_of("video_input_seconds"),
              f"{where}: {Reason('seconds_without_video', 'video_seconds').message}")
        ok = False

    call = Call(endpoint=ep.id, prompt=prompt, duration=inputs.get("duration"),
                resolution=inputs.get("resolution"), aspect_ratio=inputs.get("aspect_ratio"),
                counts=counts if ep.mode == "reference" else None, files=files,
                video_seconds=seconds, video_counted=bool(seconds),
                reference_video=bool(counts["videos"]))
    bad: set[str] = set()
    for reason in validate_call(limits, tiers_of(limits), call, priced=True):
        if reason.code in _NOT_FOR_CLIPS:
            continue
        if reason.field in ("duration", "resolution", "aspect_ratio") and \
                inputs.get(reason.field) is None:
            continue  # missing: said above
        code = _CLIP_CODES.get(reason.code, codes.SCHEMA)
        if reason.code in ("references_none", "references_total"):
            at = inputs.line
        elif reason.code == "audio_alone":
            at = inputs.line_of("audio_urls")
        elif reason.field in file_lines:
            at = file_lines[reason.field]
        elif reason.field in ("video_seconds", "audio_seconds"):
            at = body.line_of("video_input_seconds")
        elif reason.field in inputs:
            at = inputs.line_of(reason.field)
        else:
            at = inputs.line
        if reason.code == "references_none" and not files_ok:
            continue  # a broken list is reported on its own
        f.add(code, at, f"{where}: {reason.message}")
        bad.add(reason.field)
        ok = False
    duration = inputs.get("duration") if "duration" not in bad else None
    resolution = inputs.get("resolution") if "resolution" not in bad else None
    aspect = inputs.get("aspect_ratio") if "aspect_ratio" not in bad else None
    values = (clip_id, title, alt, prompt, duration, resolution, aspect, audio, seed, refs,
              seconds)
    if not ok or None in values:
        return None
    return Clip(clip_id, title.strip(), alt.strip(), ep.id, ep.tier, ep.mode, prompt.strip(),
                int(duration), resolution, aspect, audio, seed, refs, seconds, body.line)


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


def load_clips(root: Path, pricing: PricingModel | None = None) -> Gallery:
    """gallery/clips.yml, validated; ``pricing`` defaults to data/pricing.yml."""
    pricing = pricing or load_pricing(root)
    return schema.load(root / CLIPS_FILE, validate_clips, pricing.limits)

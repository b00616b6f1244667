"""The showcase clips: gallery/clips.yml as a typed, validated model.

Each clip is checked against the rules of its endpoint (FACTS.md, "Inputs"):
the endpoint, its resolutions and durations come from data/pricing.yml (the
one list of endpoints); the reference limits are the ones fal documents.
Every violation is a :class:`ContentError` naming gallery/clips.yml and the
line (code SP007).

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

from .. import ROOT
from .pricing import PricingModel, load_pricing
from .source import error, load_yaml, require

CLIPS_FILE = Path("gallery") / "clips.yml"
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REFERENCE_LIMITS = {"image_urls": 9, "video_urls": 3, "audio_urls": 3}
REFERENCE_TOTAL = 12
REFERENCE_TAGS = {"image_urls": "Image", "video_urls": "Video", "audio_urls": "Audio"}
#: Fields of Seedance 1.x that 2.0 does not take.
OLD_FIELDS = {"negative_prompt": "Seedance 1.x", "camera_fixed": "Seedance 1.x"}
COMMON = ("prompt", "duration", "resolution", "aspect_ratio", "generate_audio", "seed")
BY_MODE = {"text": (), "image": ("image_url", "end_image_url"),
           "reference": ("image_urls", "video_urls", "audio_urls")}
URL = re.compile(r"^https://[^\s/]+/\S*$")


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


def _fail(path: Path, line: int, message: str):
    return error(path, line, "SP007", message)


def _clip(body: Any, line: int, path: Path, pricing: PricingModel) -> Clip:
    if not isinstance(body, dict):
        raise _fail(path, line, "each clip must be a mapping")
    clip_id = require(body, "id", str, path, "clip")
    where = f"clip {clip_id}"
    if not ID_PATTERN.match(clip_id):
        raise _fail(path, body.line_of("id"), f"{where}: id must be lowercase words joined by "
                                              "hyphens (it names the media files)")
    known = {"id", "title", "alt", "endpoint", "inputs", "video_input_seconds"}
    for key in body:
        if key not in known:
            raise _fail(path, body.line_of(key), f"{where}: unknown field '{key}' "
                                                 f"(one of {', '.join(sorted(known))})")
    title = require(body, "title", str, path, where).strip()
    alt = require(body, "alt", str, path, where).strip()
    if not title or not alt:
        raise _fail(path, body.line, f"{where}: title and alt must not be empty")
    endpoint = require(body, "endpoint", str, path, where)
    ep = pricing.endpoints.get(endpoint)
    if ep is None:
        raise _fail(path, body.line_of("endpoint"),
                    f"{where}: unknown endpoint {endpoint!r} (one of "
                    f"{', '.join(pricing.endpoints)})")
    inputs = require(body, "inputs", dict, path, where)
    allowed = COMMON + BY_MODE[ep.mode]
    for key in inputs:
        if key in OLD_FIELDS:
            raise _fail(path, inputs.line_of(key),
                        f"{where}: '{key}' is a {OLD_FIELDS[key]} input; Seedance 2.0 has none")
        if key not in allowed:
            raise _fail(path, inputs.line_of(key),
                        f"{where}: {endpoint} takes no '{key}' (it takes "
                        f"{', '.join(allowed)})")
    prompt = require(inputs, "prompt", str, path, where).strip()
    if not prompt:
        raise _fail(path, inputs.line_of("prompt"), f"{where}: the prompt is empty")
    duration = require(inputs, "duration", int, path, where)
    if duration not in ep.durations:
        raise _fail(path, inputs.line_of("duration"),
                    f"{where}: duration must be whole seconds from {min(ep.durations)} to "
                    f"{max(ep.durations)} (the gallery does not use 'auto')")
    resolution = require(inputs, "resolution", str, path, where)
    if resolution not in ep.resolutions:
        raise _fail(path, inputs.line_of("resolution"),
                    f"{where}: resolution must be one of {', '.join(ep.resolutions)}")
    aspect = require(inputs, "aspect_ratio", str, path, where)
    if aspect not in pricing.sizes[resolution]:
        raise _fail(path, inputs.line_of("aspect_ratio"),
                    f"{where}: aspect_ratio must be one of "
                    f"{', '.join(pricing.sizes[resolution])} (the gallery does not use 'auto')")
    audio = require(inputs, "generate_audio", bool, path, where)
    seed = require(inputs, "seed", int, path, where)
    if seed < 0:
        raise _fail(path, inputs.line_of("seed"), f"{where}: seed must not be negative")

    refs: dict[str, Any] = {}
    if ep.mode == "image":
        for key in ("image_url", "end_image_url"):
            if key in inputs or key == "image_url":
                url = require(inputs, key, str, path, where)
                if not URL.match(url):
                    raise _fail(path, inputs.line_of(key),
                                f"{where}: {key} must be an https:// URL fal can fetch")
                refs[key] = url
    if ep.mode == "reference":
        total = 0
        for key, most in REFERENCE_LIMITS.items():
            if key not in inputs:
                continue
            urls = require(inputs, key, list, path, where)
            if len(urls) > most:
                raise _fail(path, inputs.line_of(key),
                            f"{where}: at most {most} {key}, got {len(urls)}")
            for i, url in enumerate(urls):
                if not isinstance(url, str) or not URL.match(url):
                    raise _fail(path, urls.line_of(i),
                                f"{where}: {key} entries must be https:// URLs fal can fetch")
            total += len(urls)
            if urls:
                refs[key] = list(urls)
        if total == 0:
            raise _fail(path, inputs.line, f"{where}: reference-to-video needs at least one "
                                           "of image_urls, video_urls, audio_urls")
        if total > REFERENCE_TOTAL:
            raise _fail(path, inputs.line, f"{where}: at most {REFERENCE_TOTAL} reference "
                                           f"files in all, got {total}")
        if refs.get("audio_urls") and not (refs.get("image_urls") or refs.get("video_urls")):
            raise _fail(path, inputs.line_of("audio_urls"),
                        f"{where}: audio references need an image or video reference beside "
                        "them")
    for key, tag in REFERENCE_TAGS.items():
        for number in {int(n) for n in re.findall(rf"@{tag}(\d+)", prompt)}:
            if number < 1 or number > len(refs.get(key, [])):
                raise _fail(path, inputs.line_of("prompt"),
                            f"{where}: the prompt names @{tag}{number} but {key} has "
                            f"{len(refs.get(key, []))}")

    seconds = body.get("video_input_seconds", 0)
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 0:
        raise _fail(path, body.line_of("video_input_seconds"),
                    f"{where}: video_input_seconds must be whole seconds")
    if seconds and not refs.get("video_urls"):
        raise _fail(path, body.line_of("video_input_seconds"),
                    f"{where}: video_input_seconds needs video_urls")
    if seconds and not 2 <= seconds <= 15:
        raise _fail(path, body.line_of("video_input_seconds"),
                    f"{where}: video inputs last 2 to 15 s together")
    return Clip(clip_id, title, alt, endpoint, ep.tier, ep.mode, prompt, duration, resolution,
                aspect, audio, seed, refs, seconds, body.line)


def load_clips(root: Path = ROOT, pricing: PricingModel | None = None) -> Gallery:
    """gallery/clips.yml, validated; ``pricing`` defaults to data/pricing.yml."""
    path = root / CLIPS_FILE
    pricing = pricing or load_pricing(root)
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise _fail(path, 1, "gallery/clips.yml must be a mapping with a 'clips' list")
    max_age = require(data, "max_age_days", int, path)
    if max_age <= 0:
        raise _fail(path, data.line_of("max_age_days"), "max_age_days must be positive")
    budget = require(data, "budget_usd", float, path)
    if budget <= 0:
        raise _fail(path, data.line_of("budget_usd"), "budget_usd must be positive")
    raw = require(data, "clips", list, path)
    clips: list[Clip] = []
    seen: dict[str, int] = {}
    for i, body in enumerate(raw):
        clip = _clip(body, raw.line_of(i), path, pricing)
        if clip.id in seen:
            raise _fail(path, clip.line, f"clip id {clip.id!r} is used twice "
                                         f"(first on line {seen[clip.id]})")
        seen[clip.id] = clip.line
        clips.append(clip)
    if not clips:
        raise _fail(path, raw.line, "clips must list at least one clip")
    return Gallery(path, max_age, float(budget), tuple(clips))

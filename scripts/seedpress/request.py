"""One Seedance 2.0 request as a reader composes it: checked, priced and written out.

The request builder page (docs/builder.md, docs/assets/builder.js) does this
in the reader's browser; this module is the same thing in Python, and the
tests hold the two to the same verdict on several thousand requests. Both
read the same data (data/limits.yml and data/pricing.yml, as the site's
JSON), so a limit or a rate changes in one place.

:func:`check_request` gives a :class:`Verdict`:

- ``status``: ``ok`` (fal accepts it), ``refused`` (fal would refuse it; each
  reason in ``errors``) or ``unconfirmed`` (1080p: listed by some fal pages,
  not confirmed, never priced);
- ``warnings``: accepted, but worth a look (a file the prompt never names,
  a tag that names a file the request does not carry);
- the endpoint, the arguments to send (placeholder URLs for the reader's
  files), and the price by the token formula, with the rule it used.

Messages are plain sentences; the JavaScript builds the same strings.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from . import pricing as P
from .content.limits import REFERENCE_KINDS, SEED_MAX, Limits
from .content.pricing import PricingModel

MODES = ("text", "image", "reference")
#: a file tag in a prompt: @Image1, @Video2, @Audio1
TAG = re.compile(r"@(Image|Video|Audio)(\d+)")
_KIND_OF_TAG = {tag: kind for kind, (_field, tag) in REFERENCE_KINDS.items()}
_NOUN = {"images": ("image", "images"), "videos": ("video", "videos"),
         "audio": ("audio file", "audio files")}


@dataclass
class Request:
    mode: str = "text"
    tier: str = "standard"
    resolution: str = "720p"
    aspect_ratio: str = "16:9"
    #: "auto" or whole seconds, as text (fal's schema is a string enum)
    duration: str = "5"
    generate_audio: bool = True
    #: None: let fal pick one (it returns the seed it used)
    seed: int | None = None
    prompt: str = ""
    #: reference-to-video: how many files of each kind
    images: int = 0
    videos: int = 0
    audio: int = 0
    #: reference-to-video: seconds of all video inputs, and of all audio inputs
    video_seconds: Fraction | float | int = 0
    audio_seconds: Fraction | float | int = 0
    #: image-to-video: a last frame too
    end_image: bool = False


@dataclass
class Verdict:
    status: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    endpoint: str = ""
    arguments: dict[str, Any] = field(default_factory=dict)
    #: display figures when priced: tokens, cost, per_second
    price: dict[str, str] | None = None
    #: how the price was worked out, or why there is none
    rule: str = ""


def _count(n: int, kind: str) -> str:
    one, many = _NOUN[kind]
    return f"{n} {one if n == 1 else many}"


def placeholder(kind: str, n: int) -> str:
    ext = {"images": "png", "videos": "mp4", "audio": "mp3"}[kind]
    return f"https://example.com/your-{_NOUN[kind][0].replace(' file', '')}-{n}.{ext}"


def _whole(n: Any) -> int | None:
    """A count of files as an int (2.0 is 2, as in JSON), None when it is not a
    whole number, 0 or more."""
    if isinstance(n, bool) or not isinstance(n, (int, float)):
        return None
    if isinstance(n, float) and not n.is_integer():
        return None
    return int(n) if n >= 0 else None


def _exact(value: Any) -> Fraction | None:
    """Seconds as an exact number, or None when they are not a finite number >= 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    exact = Fraction(value)
    return exact if exact >= 0 else None


def _seconds(value) -> str:
    value = Fraction(value).limit_denominator(1000)
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


def endpoint_id(limits: Limits, tier: str, mode: str) -> str:
    for ep in limits.endpoints.values():
        if ep.tier == tier and ep.mode == mode:
            return ep.id
    return ""


def check_request(limits: Limits, model: PricingModel, req: Request) -> Verdict:
    """What fal would make of ``req``, what it costs, and what to send."""
    errors: list[str] = []
    warnings: list[str] = []
    unconfirmed = False
    if req.mode not in MODES:
        errors.append(f"Pick an endpoint kind: {', '.join(MODES)}.")
    if req.tier not in model.tiers:
        errors.append(f"Pick a tier: {', '.join(model.tiers)}.")
    endpoint = endpoint_id(limits, req.tier, req.mode)
    if not req.prompt.strip():
        errors.append("Write a prompt: fal requires one.")

    resolution = limits.resolution(req.resolution)
    if resolution is None:
        errors.append(f"Resolution {req.resolution} is not one fal offers "
                      f"({', '.join(r.name for r in limits.resolutions)}).")
    elif not resolution.on_tier(req.tier):
        errors.append(f"{req.resolution} is listed for the {' and '.join(resolution.tiers)} "
                      f"tier only.")
    elif not resolution.confirmed:
        unconfirmed = True
        warnings.append(f"{req.resolution} is listed on some fal pages for the standard "
                        "endpoints only and is not confirmed: fal may refuse it, and we do "
                        "not price it.")

    auto_duration = req.duration == "auto"
    if not auto_duration:
        if not re.fullmatch(r"\d+", str(req.duration)) or \
                not limits.duration_min <= int(req.duration) <= limits.duration_max:
            errors.append(f"Duration is whole seconds from {limits.duration_min} to "
                          f"{limits.duration_max}, or auto.")
    auto_ratio = req.aspect_ratio == "auto"
    if not auto_ratio and req.aspect_ratio not in limits.aspect_ratios:
        errors.append(f"Aspect ratio is one of {', '.join(limits.aspect_ratios)}, or auto.")

    if req.seed is not None and not (isinstance(req.seed, int) and 0 <= req.seed <= SEED_MAX):
        errors.append(f"A seed is a whole number from 0 to {SEED_MAX}.")

    counts = {"images": req.images, "videos": req.videos, "audio": req.audio}
    if req.mode == "reference":
        for kind, n in counts.items():
            counts[kind] = _whole(n)
            if counts[kind] is None:
                errors.append(f"The number of {_NOUN[kind][1]} is a whole number, 0 or more.")
                counts[kind] = 0
        for name, value in (("video", req.video_seconds), ("audio", req.audio_seconds)):
            if _exact(value) is None:
                errors.append(f"The {name} seconds are a number, 0 or more.")
        for kind, n in counts.items():
            most = limits.references[kind]
            if n > most:
                errors.append(f"{_count(n, kind)}: a request takes at most {most}.")
        total = sum(counts.values())
        if total == 0:
            errors.append("Reference-to-video needs at least one image, video or audio file.")
        elif total > limits.references["total"]:
            errors.append(f"{total} files in all: a request takes at most "
                          f"{limits.references['total']}.")
        if limits.audio_needs_visual and counts["audio"] and \
                not (counts["images"] or counts["videos"]):
            errors.append("Audio needs at least one image or video beside it.")
        video = limits.files["video"].limits
        video_seconds, audio_seconds = _exact(req.video_seconds), _exact(req.audio_seconds)
        if counts["videos"] and video_seconds is not None:
            low, high = video["min_seconds_total"], video["max_seconds_total"]
            if not low <= video_seconds <= high:
                errors.append(f"The videos run {_seconds(video_seconds)} s together: "
                              f"they must run {low} to {high} s.")
        audio_most = limits.files["audio"].limits.get("max_seconds_total")
        if counts["audio"] and audio_most is not None and audio_seconds is not None \
                and audio_seconds > audio_most:
            errors.append(f"The audio files run {_seconds(audio_seconds)} s together: "
                          f"at most {audio_most} s.")
    named: dict[str, set[int]] = {kind: set() for kind in counts}
    for tag, number in TAG.findall(req.prompt):
        named[_KIND_OF_TAG[tag]].add(int(number))
    if req.mode != "reference":
        tags = [f"@{REFERENCE_KINDS[kind][1]}{n}" for kind in counts for n in sorted(named[kind])]
        if tags:
            warnings.append(f"Only reference-to-video reads file tags such as {tags[0]}: this "
                            "endpoint takes them as words of the prompt.")
    else:
        for kind in counts:
            tag = REFERENCE_KINDS[kind][1]
            for n in sorted(named[kind]):
                if n < 1 or n > counts[kind]:
                    warnings.append(f"The prompt names @{tag}{n}, but the request carries "
                                    f"{_count(counts[kind], kind)}.")
            for n in range(1, counts[kind] + 1):
                if n not in named[kind]:
                    warnings.append(f"@{tag}{n} is attached but the prompt never names it.")

    arguments: dict[str, Any] = {"prompt": req.prompt, "duration": str(req.duration),
                                 "resolution": req.resolution,
                                 "aspect_ratio": req.aspect_ratio,
                                 "generate_audio": bool(req.generate_audio)}
    if req.seed is not None:
        arguments["seed"] = req.seed
    if req.mode == "image":
        arguments["image_url"] = placeholder("images", 1)
        if req.end_image:
            arguments["end_image_url"] = placeholder("images", 2)
    if req.mode == "reference":
        for kind, (key, _tag) in REFERENCE_KINDS.items():
            if counts[kind]:
                arguments[key] = [placeholder(kind, n) for n in range(1, counts[kind] + 1)]

    verdict = Verdict("refused" if errors else "unconfirmed" if unconfirmed else "ok",
                      errors, warnings, endpoint, arguments)
    if errors:
        verdict.rule = "Not priced: fal would refuse this request."
    elif unconfirmed:
        verdict.rule = f"Not priced: {req.resolution} is not confirmed."
    elif auto_duration or auto_ratio:
        verdict.rule = ("Not priced: with auto, fal picks the "
                        f"{'duration' if auto_duration else 'aspect ratio'} and bills what it "
                        "renders. Set it to see the price.")
    else:
        reference_video = req.mode == "reference" and counts["videos"] > 0
        extra = _exact(req.video_seconds) if reference_video else Fraction(0)
        q = P.quote(model, endpoint, int(req.duration), req.resolution, req.aspect_ratio,
                    extra, reference_video=reference_video)
        verdict.price = {"tokens": P.format_tokens(q.exact_tokens),
                         "cost": P.format_total(q.exact_cost),
                         "per_second": P.format_per_second(q.exact_per_second)}
        rate = P.format_rate(model, q.tier)
        if reference_video:
            multiplier = format(model.reference_video_multiplier.normalize(), "f")
            verdict.rule = (f"fal's rule for video inputs: ({_seconds(extra)} s of input + "
                            f"{q.duration_s} s of output) x {q.width} x {q.height} x "
                            f"{model.frame_rate} / {model.tokens_divisor} tokens at {rate} per "
                            f"1,000, times {multiplier}.")
        else:
            verdict.rule = (f"{q.duration_s} s x {q.width} x {q.height} x {model.frame_rate} / "
                            f"{model.tokens_divisor} tokens at {rate} per 1,000.")
    return verdict


def py_literal(value: Any, indent: int = 0) -> str:
    """``value`` (JSON data) as a Python literal, four spaces per level."""
    pad, inner = " " * indent, " " * (indent + 4)
    if isinstance(value, bool):
        return "True" if value else "False"
    if value is None:
        return "None"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, list):
        if not value:
            return "[]"
        items = ",\n".join(inner + py_literal(v, indent + 4) for v in value)
        return "[\n" + items + ",\n" + pad + "]"
    items = ",\n".join(f"{inner}{json.dumps(k)}: {py_literal(v, indent + 4)}"
                       for k, v in value.items())
    return "{\n" + items + ",\n" + pad + "}"


def python_code(endpoint: str, arguments: dict[str, Any]) -> str:
    """The request as a Python script for fal_client."""
    return ("import fal_client\n\n"
            "result = fal_client.subscribe(\n"
            f"    {json.dumps(endpoint)},\n"
            f"    arguments={py_literal(arguments, 4)},\n"
            "    with_logs=True,\n"
            ")\n"
            'print(result["video"]["url"], result["seed"])\n')


def typescript_code(endpoint: str, arguments: dict[str, Any]) -> str:
    """The request as TypeScript for @fal-ai/client."""
    body = json.dumps(arguments, indent=2, ensure_ascii=False).replace("\n", "\n  ")
    return ('import { fal } from "@fal-ai/client";\n\n'
            "fal.config({ credentials: process.env.FAL_KEY });\n\n"
            f"const result = await fal.subscribe({json.dumps(endpoint)}, {{\n"
            f"  input: {body},\n"
            "  logs: true,\n"
            "});\n"
            "console.log(result.data.video.url, result.data.seed);\n")


def json_code(arguments: dict[str, Any]) -> str:
    return json.dumps(arguments, indent=2, ensure_ascii=False) + "\n"

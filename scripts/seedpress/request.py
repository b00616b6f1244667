"""One Seedance 2.0 request as a reader composes it on the builder page.

The request builder (docs/builder.md, docs/assets/builder.js) does this in
the reader's browser; this module is the same thing in Python, and the tests
hold the two to the same verdict on several thousand requests. The rules are
the one validator's (:mod:`seedpress.content.call`), the code is the one
emitter's (:mod:`seedpress.snippets`).

:func:`check_request` gives a :class:`Verdict`:

- ``status``: ``ok`` (within every limit fal publishes; not a promise of
  fal's), ``refused`` (outside one: fal would refuse it; each reason in
  ``errors``) or ``unconfirmed`` (1080p: listed by some fal pages, not
  confirmed, never priced);
- ``warnings``: within the limits, but worth a look (a file the prompt never
  names, a seed outside the range fal's own seeds use, example addresses, a
  reference image or last frame outside the start image's limits, which are
  only a cautious guide since fal publishes none for them);
- the endpoint, the arguments to send (the reader's file URLs, or example
  addresses where a field is empty), and the price by the token formula,
  with the rule it used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from . import pricing as P
from .content.call import (
    REFERENCE_KINDS,
    Call,
    Reason,
    endpoint_of,
    exact_seconds,
    placeholder,
    refuses,
    seconds_text,
    sentence,
    tiers_of,
    validate_call,
    whole_count,
)
from .content.limits import COMMON_INPUTS, MODE_INPUTS, MODES, Limits
from .content.pricing import PricingModel


@dataclass
class Request:
    """The builder's fields. The defaults are fal's where fal has one (``auto``
    ratio and length, 720p, sound on, no seed)."""

    mode: str = "text"
    tier: str = "standard"
    resolution: str = "720p"
    aspect_ratio: str = "auto"
    #: "auto" or whole seconds, as text (fal's schema is a string enum)
    duration: str = "auto"
    generate_audio: bool = True
    #: None: let fal pick one (it returns the seed it used)
    seed: Any = None
    prompt: str = ""
    #: reference-to-video: how many files of each kind
    images: Any = 0
    videos: Any = 0
    audio: Any = 0
    #: reference-to-video: seconds of all video inputs, and of all audio inputs
    video_seconds: Fraction | float | int = 0
    audio_seconds: Fraction | float | int = 0
    #: image-to-video: a last frame too
    end_image: bool = False
    #: the reader's file addresses; an empty one is sent as an example address
    image_url: str = ""
    end_image_url: str = ""
    image_urls: tuple[str, ...] = ()
    video_urls: tuple[str, ...] = ()
    audio_urls: tuple[str, ...] = ()


#: The fal inputs the builder offers (what its requests may send), in its
#: form's order; the drift check compares them with fal's published schema.
BUILDER_FIELDS = COMMON_INPUTS + tuple(key for mode in MODES for key in MODE_INPUTS[mode])


#: how the verdict says what its price rests on, or why there is none (Verdict.rule)
PRICE_BASIS = {
    "refused": "Not priced: fal would refuse this request.",
    "unconfirmed": "Not priced: {resolution} is not confirmed.",
    "auto": "Not priced: with auto, fal picks the {what} and bills what it renders. Set it "
            "to see the price.",
    "reference": "fal's rule for video inputs: ({input} s of input + {output} s of output) x "
                 "{width} x {height} x {frame_rate} / {divisor} tokens at {rate} per 1,000, "
                 "times {multiplier}.",
    "plain": "{output} s x {width} x {height} x {frame_rate} / {divisor} tokens at {rate} per "
             "1,000.",
}
#: how messages name the image-to-video files
FILE_LABELS = {"image_url": "the start image (image_url)",
               "end_image_url": "the last frame (end_image_url)"}


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
    #: every reason, errors and warnings in order, with its code
    reasons: list[Reason] = field(default_factory=list)


def _address(text: Any) -> str:
    """A URL as sent: ASCII spaces around it dropped, as a browser's url field does."""
    return str(text).strip(" \t\n\r\f") if text is not None else ""


def request_files(req: Request, counts: dict[str, int]) -> tuple[dict[str, Any],
                                                                 list[tuple[str, str, str]]]:
    """The file inputs of ``req`` (arguments to send) and each file as the
    validator judges it: (kind, how messages name it, the address)."""
    args: dict[str, Any] = {}
    files: list[tuple[str, str, str]] = []
    if req.mode == "image":
        url = _address(req.image_url) or placeholder("images", 1)
        args["image_url"] = url
        files.append(("start_image", FILE_LABELS["image_url"], url))
        if req.end_image:
            url = _address(req.end_image_url) or placeholder("images", 2)
            args["end_image_url"] = url
            files.append(("images", FILE_LABELS["end_image_url"], url))
    if req.mode == "reference":
        for kind, (key, tag) in REFERENCE_KINDS.items():
            given = list(getattr(req, key))
            urls = []
            for n in range(1, counts[kind] + 1):
                url = _address(given[n - 1]) if n <= len(given) else ""
                urls.append(url or placeholder(kind, n))
                files.append((kind, f"@{tag}{n}", urls[-1]))
            if urls:
                args[key] = urls
    return args, files


def check_request(limits: Limits, model: PricingModel, req: Request) -> Verdict:
    """What fal would make of ``req``, what it costs, and what to send."""
    counts = {kind: (whole_count(getattr(req, kind)) or 0) for kind in REFERENCE_KINDS}
    file_args, files = request_files(req, counts)
    call = Call(mode=req.mode, tier=req.tier, prompt=req.prompt, duration=req.duration,
                resolution=req.resolution, aspect_ratio=req.aspect_ratio, seed=req.seed,
                counts={kind: getattr(req, kind) for kind in REFERENCE_KINDS}, files=files,
                video_seconds=req.video_seconds, audio_seconds=req.audio_seconds)
    reasons = validate_call(limits, tiers_of(limits), call)
    errors = [sentence(r.message) for r in reasons if refuses(r)]
    warnings = [sentence(r.message) for r in reasons if not refuses(r)]
    unconfirmed = any(r.code == "resolution_unconfirmed" for r in reasons)
    found = endpoint_of(limits, req.tier, req.mode)
    endpoint = found.id if found is not None else ""

    arguments: dict[str, Any] = {"prompt": req.prompt, "duration": str(req.duration),
                                 "resolution": req.resolution,
                                 "aspect_ratio": req.aspect_ratio,
                                 "generate_audio": bool(req.generate_audio)}
    if req.seed is not None:
        arguments["seed"] = req.seed
    arguments.update(file_args)

    verdict = Verdict("refused" if errors else "unconfirmed" if unconfirmed else "ok",
                      errors, warnings, endpoint, arguments, reasons=reasons)
    auto_duration, auto_ratio = req.duration == "auto", req.aspect_ratio == "auto"
    if errors:
        verdict.rule = PRICE_BASIS["refused"]
    elif unconfirmed:
        verdict.rule = PRICE_BASIS["unconfirmed"].format(resolution=req.resolution)
    elif auto_duration or auto_ratio:
        verdict.rule = PRICE_BASIS["auto"].format(
            what="duration" if auto_duration else "aspect ratio")
    else:
        reference_video = req.mode == "reference" and counts["videos"] > 0
        extra = exact_seconds(req.video_seconds) if reference_video else Fraction(0)
        q = P.quote(model, endpoint, int(req.duration), req.resolution, req.aspect_ratio,
                    extra, reference_video=reference_video)
        verdict.price = {"tokens": P.format_tokens(q.exact_tokens),
                         "cost": P.format_total(q.exact_cost),
                         "per_second": P.format_per_second(q.exact_per_second)}
        terms = {"output": str(q.duration_s), "width": str(q.width), "height": str(q.height),
                 "frame_rate": str(model.frame_rate), "divisor": str(model.tokens_divisor),
                 "rate": P.format_rate(model, q.tier)}
        if reference_video:
            verdict.rule = PRICE_BASIS["reference"].format(
                input=seconds_text(extra),
                multiplier=format(model.reference_video_multiplier.normalize(), "f"), **terms)
        else:
            verdict.rule = PRICE_BASIS["plain"].format(**terms)
    return verdict

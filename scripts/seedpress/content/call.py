"""What one call to a Seedance 2.0 endpoint may carry: the one validator.

Everything that judges a request asks :func:`validate_call`: the request
builder (:mod:`seedpress.request`), the gallery's clips (``content/clips.py``),
the price of one render (:func:`seedpress.pricing.quote_problem`) and the
pricing data's worked examples. In the reader's browser the builder page and
the estimator do the same in ``docs/assets/seedance.js``, which holds the
logic only: its constants and its messages are this module's, written into
the site's JSON by :func:`call_data`.

A finding is a :class:`Reason`: a code of :data:`CATALOGUE`, the field it
concerns and the values its message names. The message is the catalogue's
template filled in with those values, the same words in Python and in the
browser (tests/test_builder.py holds the two to each other on several
thousand requests). Templates are fragments in lower case, as the ship check
prints them after ``clip <id>:``; :func:`sentence` makes a reader's sentence
of one (the builder and the estimator show those).

``priced`` asks for a call the site can price: no ``auto`` (fal picks, so
the price is unknown until it renders) and no unconfirmed resolution. The
builder judges without it and prices what it can.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .limits import MODES, REFERENCE_KINDS, SEED_MAX, Endpoint, Limits
from .schema import did_you_mean

ERROR, WARNING = "error", "warning"

#: code -> (level, template). Levels are what a reader's request gets; the
#: gallery and the prices treat some warnings as errors (see their modules).
CATALOGUE: dict[str, tuple[str, str]] = {
    # the endpoint and the output
    "mode": (ERROR, "pick an endpoint kind: {choices}"),
    "tier": (ERROR, "pick a tier: {choices}"),
    "endpoint": (ERROR, "unknown endpoint {value}{hint}"),
    "prompt": (ERROR, "write a prompt: fal requires one"),
    "resolution": (ERROR, "fal does not render {value}: the resolution is one of {choices}"),
    "resolution_tier": (ERROR, "{value} is listed for the {tiers} tier only"),
    "resolution_unconfirmed": (WARNING, "{value} is unconfirmed on fal ({note}): fal may "
                                        "refuse it, and we do not price it"),
    "duration": (ERROR, "duration {value} is not whole seconds from {low} to {high}{or_auto}"),
    "aspect_ratio": (ERROR, "aspect ratio {value} is not one of {choices}{or_auto}"),
    "seed_type": (ERROR, "seed {value} is not a whole number: fal's schema takes an integer"),
    "seed_range": (WARNING, "fal documents no range for seed, and {value} is outside 0 to "
                            "{high}: whether fal takes it is unknown"),
    # the files of a reference-to-video call
    "count_type": (ERROR, "the number of {nouns} is a whole number, 0 or more"),
    "seconds_type": (ERROR, "the {kind} seconds are a number, 0 or more"),
    "count_max": (ERROR, "{count}: a request takes at most {most}"),
    "references_none": (ERROR, "a reference-to-video call with no image, video or audio file "
                               "has nothing to follow: add one, or use text-to-video"),
    "references_total": (ERROR, "{total} files in all: a request takes at most {most}"),
    "audio_alone": (ERROR, "audio references need an image or a video beside them"),
    "video_seconds": (ERROR, "the {videos} run {seconds} s together: they must run {low} to "
                             "{high} s"),
    "audio_seconds": (ERROR, "the audio files run {seconds} s together: at most {most} s"),
    "audio_seconds_unknown": (WARNING, "the audio files' length is not given: give it, so "
                                       "the {most} s limit on them can be checked"),
    "video_inputs": (ERROR, "the endpoint {endpoint} takes no video inputs (use a "
                            "reference-to-video endpoint)"),
    "seconds_without_video": (ERROR, "input video seconds count only with video inputs"),
    # each file's address
    "url_scheme": (ERROR, "{file} is not a URL fal can fetch: give an http(s):// address or "
                          "a data: URI"),
    "url_type": (ERROR, "{file} is {what}: fal takes {formats}"),
    "url_type_unpublished": (WARNING, "{file} is {what}: fal publishes no formats for it, "
                                      "and the start image's ({formats}) are the cautious "
                                      "guide"),
    "url_type_unknown": (WARNING, "{file} ends in {what}, none of {formats}: make sure the "
                                  "address serves the file itself, not a page or a document"),
    "url_example": (WARNING, "the request still carries example addresses: put the URLs of "
                             "your files in the fields"),
    # file tags in the prompt
    "tags_ignored": (WARNING, "only reference-to-video reads file tags such as {tag}: this "
                              "endpoint takes them as words of the prompt"),
    "tag_unknown": (WARNING, "the prompt names {tag}, but the request carries {count}"),
    "tag_unused": (WARNING, "{tag} is attached but the prompt never names it"),
    "tag_case": (WARNING, "the prompt writes {written}: write it as {tag}, the form fal "
                          "documents"),
    # inputs written by hand (the gallery's clips)
    "input_old": (ERROR, "{value} is a Seedance 1.x input; Seedance 2.0 has none"),
    "input_unknown": (ERROR, "{endpoint} takes no {value}{hint}"),
    "input_missing": (ERROR, "{mode}-to-video input needs {value}"),
}

#: kind -> (one, many), as messages count files
NOUNS = {"images": ("image", "images"), "videos": ("video", "videos"),
         "audio": ("audio file", "audio files")}
#: kind of file -> the file limits' key in data/limits.yml ("image" is the start
#: image's, image-to-video's image_url, the only image whose limits fal publishes)
FILE_KIND = {"start_image": "image", "images": "image", "videos": "video", "audio": "audio"}
#: kinds of file fal publishes no formats or size for: reference images (image_urls)
#: and the last frame (end_image_url). The start image's limits are the cautious
#: guide for them (data/rules.yml, input-files and start-image): a file outside
#: them gets a warning, never a refusal.
UNPUBLISHED = ("images",)
#: a format named in data/limits.yml -> (file extensions, media types)
FORMATS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "JPEG": (("jpg", "jpeg"), ("image/jpeg",)),
    "PNG": (("png",), ("image/png",)),
    "WebP": (("webp",), ("image/webp",)),
    "MP4": (("mp4",), ("video/mp4",)),
    "MOV": (("mov",), ("video/quicktime",)),
    "MP3": (("mp3",), ("audio/mpeg", "audio/mp3")),
    "WAV": (("wav",), ("audio/wav", "audio/x-wav", "audio/wave")),
}
#: extensions of other media files: a URL ending in one says it is the wrong kind
MEDIA_EXTENSIONS = ("gif", "bmp", "tif", "tiff", "heic", "heif", "avif", "svg", "ico",
                    "webm", "mkv", "avi", "wmv", "flv", "m4v", "mpg", "mpeg", "3gp", "ogv",
                    "ogg", "oga", "opus", "flac", "aac", "m4a", "aif", "aiff", "wma")
#: what reads as a file extension (.pdf, .html), not a version number (v1.2)
_EXTENSION = re.compile(r"[a-z][a-z0-9]{1,4}")
#: the example address of a reader's file: PLACEHOLDER + "image-1.png"
PLACEHOLDER = "https://example.com/your-"
PLACEHOLDER_EXT = {"images": "png", "videos": "mp4", "audio": "mp3"}
#: a file tag in a prompt: @Image1, @Video2, @Audio1
#: a file tag, its word in any case (ASCII letters only, as seedance.js reads it): a
#: tag written in another case than fal documents is named, and said to be
TAG = re.compile(r"@([Ii][Mm][Aa][Gg][Ee]|[Vv][Ii][Dd][Ee][Oo]|[Aa][Uu][Dd][Ii][Oo])(\d+)")
_KIND_OF_TAG = {tag: kind for kind, (_field, tag) in REFERENCE_KINDS.items()}
_URL = re.compile(r"(?:(https?)://[^/?#\x00-\x20]+([^?#\x00-\x20]*)(?:[?#][^\x00-\x20]*)?"
                  r"|data:([^,;]*)[,;].*)", re.I | re.S)


@dataclass(frozen=True)
class Reason:
    code: str
    #: the input it concerns (a request field, or "" for the call as a whole)
    field: str
    #: the values the message names, as text
    params: dict[str, str] = field(default_factory=dict)

    @property
    def level(self) -> str:
        return CATALOGUE[self.code][0]

    @property
    def message(self) -> str:
        return CATALOGUE[self.code][1].format(**self.params)


def refuses(reason: Reason, priced: bool = False) -> bool:
    """Whether ``reason`` stops the call: an error, or (for a price) a resolution
    the site does not price."""
    return reason.level == ERROR or (priced and reason.code == "resolution_unconfirmed")


def sentence(message: str) -> str:
    """A message as a reader's sentence: a capital first letter (fal's name stays
    in lower case) and a full stop."""
    if message[:1].islower() and message[:1].isascii() and not message.startswith("fal"):
        message = message[0].upper() + message[1:]
    return message if message.endswith(".") else message + "."


def show(value: Any) -> str:
    """A value a message names: text in quotes, a number as Python writes it."""
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, (int, float)):
        return repr(value)
    return repr(value)


def either(items: list[str] | tuple[str, ...]) -> str:
    """"a, b or c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def count_of(n: int, kind: str) -> str:
    one, many = NOUNS[kind]
    return f"{n} {one if n == 1 else many}"


def seconds_text(value: Fraction) -> str:
    value = Fraction(value).limit_denominator(1000)
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


def placeholder(kind: str, n: int) -> str:
    return f"{PLACEHOLDER}{NOUNS[kind][0].replace(' file', '')}-{n}.{PLACEHOLDER_EXT[kind]}"


def whole_count(n: Any) -> int | None:
    """A count of files as an int (2.0 is 2, as in JSON), None when it is not a
    whole number, 0 or more."""
    if isinstance(n, bool) or not isinstance(n, (int, float)):
        return None
    if isinstance(n, float) and not n.is_integer():
        return None
    return int(n) if n >= 0 else None


def exact_seconds(value: Any) -> Fraction | None:
    """Seconds as an exact number, or None when they are not a finite number >= 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    exact = Fraction(value)
    return exact if exact >= 0 else None


@dataclass
class Call:
    """One call as a consumer knows it. ``endpoint`` names it, or ``mode`` and
    ``tier`` do (the builder's form). A value left None is not judged:
    ``prompt`` (a price needs none) and ``counts`` (a price knows only whether
    video inputs come, ``reference_video``)."""

    endpoint: str | None = None
    mode: str | None = None
    tier: str | None = None
    prompt: Any = None
    duration: Any = "auto"
    resolution: Any = "720p"
    aspect_ratio: Any = "auto"
    seed: Any = None
    #: images, videos, audio -> how many (reference-to-video)
    counts: dict[str, Any] | None = None
    #: (kind, the file as messages name it, the address sent) for each file
    files: list[tuple[str, str, str]] = field(default_factory=list)
    video_seconds: Any = 0
    audio_seconds: Any = 0
    #: the call carries video inputs (for a price, which counts no files)
    reference_video: bool | None = None
    #: False: the input video seconds are left out of the count (the short
    #: reading of fal's rule a price may use; a request never does)
    video_counted: bool = True


def url_problem(address: str, kind: str, label: str, limits: Limits) -> Reason | None:
    """What fal would make of one file's address, as far as the address says:
    its scheme, and its type where the path's extension or a data: URI names one
    (a signed URL's query string is not part of its path). A type outside the
    limits of a kind fal publishes none for (:data:`UNPUBLISHED`) is a caution."""
    m = _URL.fullmatch(address)
    if m is None:
        return Reason("url_scheme", label, {"file": label})
    names = limits.files[FILE_KIND[kind]].formats
    extensions = [e for n in names for e in FORMATS.get(n, ((), ()))[0]]
    types = [t for n in names for t in FORMATS.get(n, ((), ()))[1]]
    params = {"file": label, "formats": either(list(names))}
    code = "url_type_unpublished" if kind in UNPUBLISHED else "url_type"
    if m.group(1) is None:  # data: URI
        media = m.group(3).strip().lower()
        if media not in types:
            return Reason(code, label, {**params, "what": f"{media or 'untyped'} data"})
        return None
    last = m.group(2).rsplit("/", 1)[-1]
    ext = last.rsplit(".", 1)[1].lower() if "." in last else ""
    known = {e for n in FORMATS.values() for e in n[0]} | set(MEDIA_EXTENSIONS)
    if ext and ext not in extensions and ext in known:
        return Reason(code, label, {**params, "what": f"a .{ext} file"})
    if ext not in extensions and _EXTENSION.fullmatch(ext):  # .pdf, .html: a caution only
        return Reason("url_type_unknown", label, {**params, "what": f".{ext}"})
    return None


def endpoint_of(limits: Limits, tier: Any, mode: Any) -> Endpoint | None:
    """The endpoint of a tier and an endpoint kind (the one lookup; None when the
    two name none)."""
    return next((e for e in limits.endpoints.values() if e.tier == tier and e.mode == mode),
                None)


def endpoint_reason(limits: Limits, endpoint: Any) -> Reason | None:
    """The reason an endpoint id is not one of the six, or None."""
    if endpoint in limits.endpoints:
        return None
    return Reason("endpoint", "endpoint", {
        "value": show(endpoint), "hint": did_you_mean(str(endpoint), limits.endpoints)})


def _endpoint(limits: Limits, tiers: tuple[str, ...], call: Call, out: list[Reason]):
    if call.endpoint is not None:
        unknown = endpoint_reason(limits, call.endpoint)
        if unknown is not None:
            out.append(unknown)
        return limits.endpoints.get(call.endpoint)
    if call.mode not in MODES:
        out.append(Reason("mode", "mode", {"choices": ", ".join(MODES)}))
    if call.tier not in tiers:
        out.append(Reason("tier", "tier", {"choices": ", ".join(tiers)}))
    return endpoint_of(limits, call.tier, call.mode)


def _duration_ok(limits: Limits, value: Any, priced: bool) -> bool:
    if value == "auto" and isinstance(value, str):
        return not priced and limits.duration_auto
    if isinstance(value, bool):
        return False
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)
                                  and value.is_integer()):
        return limits.duration_min <= value <= limits.duration_max
    return isinstance(value, str) and value in {str(d) for d in limits.durations}


def validate_call(limits: Limits, tiers: tuple[str, ...], call: Call, *,
                  priced: bool = False) -> list[Reason]:
    """Every reason fal would refuse ``call`` (errors) or that is worth a look
    (warnings), in the order a reader reads the form."""
    out: list[Reason] = []
    ep = _endpoint(limits, tiers, call, out)
    mode = ep.mode if ep is not None else call.mode
    tier = ep.tier if ep is not None else call.tier
    if call.prompt is not None and not str(call.prompt).strip():
        out.append(Reason("prompt", "prompt"))

    res = limits.resolution(call.resolution) if isinstance(call.resolution, str) else None
    if res is None:
        out.append(Reason("resolution", "resolution", {
            "value": show(call.resolution),
            "choices": ", ".join(r.name for r in limits.resolutions)}))
    elif not res.on_tier(tier):
        out.append(Reason("resolution_tier", "resolution",
                          {"value": res.name, "tiers": " and ".join(res.tiers)}))
    elif not res.confirmed:
        out.append(Reason("resolution_unconfirmed", "resolution",
                          {"value": res.name, "note": res.note}))

    auto_duration = ", or auto" if limits.duration_auto and not priced else ""
    if not _duration_ok(limits, call.duration, priced):
        out.append(Reason("duration", "duration", {
            "value": show(call.duration), "low": str(limits.duration_min),
            "high": str(limits.duration_max), "or_auto": auto_duration}))
    ratio_auto = limits.aspect_auto and not priced
    if not (call.aspect_ratio == "auto" and ratio_auto) and \
            call.aspect_ratio not in limits.aspect_ratios:
        out.append(Reason("aspect_ratio", "aspect_ratio", {
            "value": show(call.aspect_ratio), "choices": ", ".join(limits.aspect_ratios),
            "or_auto": ", or auto" if ratio_auto else ""}))

    seed = call.seed
    if seed is not None:
        if isinstance(seed, bool) or not isinstance(seed, int):
            out.append(Reason("seed_type", "seed", {"value": show(seed)}))
        elif not 0 <= seed <= SEED_MAX:
            out.append(Reason("seed_range", "seed", {"value": str(seed), "high": str(SEED_MAX)}))

    example = False
    for kind, label, address in call.files:
        if address.startswith(PLACEHOLDER):
            example = True
            continue
        problem = url_problem(address, kind, label, limits)
        if problem is not None:
            out.append(problem)

    counts = {kind: 0 for kind in REFERENCE_KINDS}
    if mode == "reference" and call.counts is not None:
        for kind in REFERENCE_KINDS:
            counts[kind] = whole_count(call.counts.get(kind, 0))
            if counts[kind] is None:
                out.append(Reason("count_type", REFERENCE_KINDS[kind][0],
                                  {"nouns": NOUNS[kind][1]}))
                counts[kind] = 0
    video_seconds = exact_seconds(call.video_seconds)
    audio_seconds = exact_seconds(call.audio_seconds)
    for name, exact in (("video", video_seconds), ("audio", audio_seconds)):
        judged = (mode == "reference" and call.counts is not None) or \
            (name == "video" and call.counts is None and call.video_counted)
        if judged and exact is None:
            kind = name if call.counts is not None else "video input"
            out.append(Reason("seconds_type", f"{name}_seconds", {"kind": kind}))

    if call.counts is None:  # a price: video inputs or none, no files counted
        has_video = bool(call.reference_video) if call.reference_video is not None else \
            bool(video_seconds) and call.video_counted
        if video_seconds and call.video_counted and not has_video:
            out.append(Reason("seconds_without_video", "video_seconds"))
        elif has_video and ep is not None and mode != "reference":
            out.append(Reason("video_inputs", "video_seconds", {"endpoint": ep.id}))
        elif has_video and video_seconds is not None and call.video_counted:
            _video_range(limits, video_seconds, out, "video inputs")
    elif mode == "reference":
        for kind, n in counts.items():
            most = limits.references[kind]
            if n > most:
                out.append(Reason("count_max", REFERENCE_KINDS[kind][0],
                                  {"count": count_of(n, kind), "most": str(most)}))
        total = sum(counts.values())
        if total == 0:
            out.append(Reason("references_none", ""))
        elif total > limits.references["total"]:
            out.append(Reason("references_total", "", {
                "total": str(total), "most": str(limits.references["total"])}))
        if limits.audio_needs_visual and counts["audio"] and \
                not (counts["images"] or counts["videos"]):
            out.append(Reason("audio_alone", "audio_urls"))
        if counts["videos"] and video_seconds is not None and call.video_counted:
            _video_range(limits, video_seconds, out, "videos")
        audio_most = limits.files["audio"].limits.get("max_seconds_total")
        if counts["audio"] and audio_most is not None and audio_seconds is not None \
                and audio_seconds > audio_most:
            out.append(Reason("audio_seconds", "audio_seconds", {
                "seconds": seconds_text(audio_seconds), "most": str(audio_most)}))
        elif counts["audio"] and audio_most is not None and audio_seconds == 0:
            out.append(Reason("audio_seconds_unknown", "audio_seconds",
                              {"most": str(audio_most)}))
    if example:
        out.append(Reason("url_example", ""))

    if isinstance(call.prompt, str):
        out += _tags(call.prompt, mode, counts, limits.references)
    return out


def _video_range(limits: Limits, seconds: Fraction, out: list[Reason], videos: str) -> None:
    video = limits.files["video"].limits
    low, high = video["min_seconds_total"], video["max_seconds_total"]
    if not low <= seconds <= high:
        out.append(Reason("video_seconds", "video_seconds", {
            "videos": videos, "seconds": seconds_text(seconds), "low": str(low),
            "high": str(high)}))


def _tags(prompt: str, mode: str | None, counts: dict[str, int], most: dict[str, int]
          ) -> list[Reason]:
    """File tags against the files: ``most`` is how many of each kind a request
    takes (a file past that is refused by its count, not asked to be named)."""
    named: dict[str, set[int]] = {kind: set() for kind in REFERENCE_KINDS}
    cased: list[Reason] = []
    for found in TAG.finditer(prompt):
        word, number = found.group(1), found.group(2)
        tag = word[0].upper() + word[1:].lower()
        named[_KIND_OF_TAG[tag]].add(int(number))
        written = {"written": found.group(0), "tag": f"@{tag}{number}"}
        if word != tag and all(r.params != written for r in cased):
            cased.append(Reason("tag_case", "prompt", written))
    out = []
    if mode != "reference":
        tags = [f"@{REFERENCE_KINDS[kind][1]}{n}" for kind in named for n in sorted(named[kind])]
        if tags:
            out.append(Reason("tags_ignored", "prompt", {"tag": tags[0]}))
        return out
    out += cased
    for kind in REFERENCE_KINDS:
        tag = REFERENCE_KINDS[kind][1]
        for n in sorted(named[kind]):
            if n < 1 or n > counts[kind]:
                out.append(Reason("tag_unknown", "prompt", {
                    "tag": f"@{tag}{n}", "count": count_of(counts[kind], kind)}))
        for n in range(1, min(counts[kind], most[kind]) + 1):
            if n not in named[kind]:
                out.append(Reason("tag_unused", "prompt", {"tag": f"@{tag}{n}"}))
    return out


def tiers_of(limits: Limits) -> tuple[str, ...]:
    """The tiers of the endpoints, in the order data/limits.yml lists them."""
    return tuple(dict.fromkeys(ep.tier for ep in limits.endpoints.values()))


def call_data(limits: Limits) -> dict[str, Any]:
    """This module's constants and messages, as the browser's seedance.js reads them."""
    return {
        "catalogue": {code: {"level": level, "text": text}
                      for code, (level, text) in CATALOGUE.items()},
        "modes": list(MODES),
        "tiers": list(tiers_of(limits)),
        "kinds": [[kind, key, tag] for kind, (key, tag) in REFERENCE_KINDS.items()],
        "nouns": {kind: list(pair) for kind, pair in NOUNS.items()},
        "file_kinds": dict(FILE_KIND),
        "unpublished": list(UNPUBLISHED),
        "formats": {name: {"extensions": list(ext), "types": list(types)}
                    for name, (ext, types) in FORMATS.items()},
        "media_extensions": list(MEDIA_EXTENSIONS),
        "placeholder": PLACEHOLDER,
        "placeholder_ext": dict(PLACEHOLDER_EXT),
        "seed_max": str(SEED_MAX),
    }

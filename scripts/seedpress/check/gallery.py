"""SP601..SP608: the clips of gallery/clips.yml ask only for what fal accepts.

Endpoints, their tiers, modes, resolutions and durations come from the
pricing model (data/pricing.yml); aspect ratios are those it has frame
sizes for, plus "auto". The input fields and the reference limits (9
images, 3 videos, 3 audio files, 12 in all) are those of the gallery's own
loader (seedpress.content.clips), stated once there. For the publication's
gallery/clips.yml that loader then runs as a backstop: what these finer
rules do not name (a missing field, a bad URL) comes back as SP007.

A clip is a mapping with ``endpoint`` and its inputs, either under
``input`` (or ``inputs``/``arguments``) or beside ``endpoint`` itself. The
file is a list of clips or a mapping with a ``clips`` list.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..content import LineDict, LineList
from ..content.clips import BY_MODE, COMMON, REFERENCE_LIMITS, REFERENCE_TOTAL, load_clips
from ..diagnostics import ContentError
from .context import Context
from .source import Source

MAX_REFS = REFERENCE_LIMITS
MAX_FILES = REFERENCE_TOTAL
COMMON_FIELDS = set(COMMON)
MODE_FIELDS = {mode: set(fields) for mode, fields in BY_MODE.items()}
REQUIRED = {"text": {"prompt"}, "image": {"prompt", "image_url"}, "reference": {"prompt"}}
_INPUT_KEYS = ("input", "inputs", "arguments")


def is_clips_file(path: Path) -> bool:
    return path.name == "clips.yml" or path.parent.name == "gallery"


def _clips(data: Any) -> LineList | None:
    if isinstance(data, LineDict):
        data = data.get("clips")
    return data if isinstance(data, LineList) else None


def _inputs(clip: LineDict) -> LineDict:
    for key in _INPUT_KEYS:
        if isinstance(clip.get(key), LineDict):
            return clip[key]
    return clip


def _duration_ok(value: Any, allowed: tuple[int, ...]) -> bool:
    if value == "auto":
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    return isinstance(value, int) and value in allowed


def _check_clip(src: Source, clip: LineDict, line: int, ctx: Context) -> None:
    name = clip.get("id") or clip.get("slug") or clip.get("name") or f"at line {line}"
    where = f"clip {name}"
    endpoint_id = clip.get("endpoint")
    endpoint = ctx.endpoints.get(endpoint_id) if isinstance(endpoint_id, str) else None
    if endpoint is None:
        src.add(clip.line_of("endpoint", line), 1, "SP601",
                f"{where}: unknown endpoint {endpoint_id!r}")
        return
    inputs = _inputs(clip)
    own = inputs is not clip
    accepted = COMMON_FIELDS | MODE_FIELDS[endpoint.mode]

    for key in sorted(REQUIRED[endpoint.mode] - set(inputs)):
        src.add(inputs.line, 1, "SP608", f"{where}: {endpoint.mode} input needs '{key}'")
    if own:
        for key in inputs:
            if key not in accepted:
                src.add(inputs.line_of(key), 1, "SP608",
                        f"{where}: {endpoint_id} does not accept '{key}'")
    else:
        for fields in MODE_FIELDS.values():
            for key in fields - accepted:
                if key in inputs:
                    src.add(inputs.line_of(key), 1, "SP608",
                            f"{where}: {endpoint_id} does not accept '{key}'")

    if "duration" in inputs and not _duration_ok(inputs["duration"], endpoint.durations):
        src.add(inputs.line_of("duration"), 1, "SP602",
                f"{where}: duration {inputs['duration']!r} is not \"auto\" or "
                f"{min(endpoint.durations)} to {max(endpoint.durations)} seconds")
    if "resolution" in inputs and inputs["resolution"] not in endpoint.resolutions:
        src.add(inputs.line_of("resolution"), 1, "SP603",
                f"{where}: resolution {inputs['resolution']!r} is not offered on the "
                f"{endpoint.tier} tier ({', '.join(endpoint.resolutions)})")
    ratios = ("auto", *ctx.pricing.aspect_ratios)
    if "aspect_ratio" in inputs and inputs["aspect_ratio"] not in ratios:
        src.add(inputs.line_of("aspect_ratio"), 1, "SP604",
                f"{where}: aspect ratio {inputs['aspect_ratio']!r} is not one of "
                f"{', '.join(ratios)}")

    if endpoint.mode != "reference":
        return
    counts = {}
    for key, limit in MAX_REFS.items():
        value = inputs.get(key) or []
        count = len(value) if isinstance(value, list) else 1
        counts[key] = count
        if count > limit:
            src.add(inputs.line_of(key), 1, "SP605",
                    f"{where}: {count} {key.removesuffix('_urls')} references, at most {limit}")
    total = sum(counts.values())
    if total > MAX_FILES:
        src.add(inputs.line, 1, "SP606", f"{where}: {total} reference files, at most {MAX_FILES}")
    if counts["audio_urls"] and not (counts["image_urls"] or counts["video_urls"]):
        src.add(inputs.line_of("audio_urls"), 1, "SP607",
                f"{where}: audio references need an image or a video beside them")


def check(src: Source, data: Any, ctx: Context) -> None:
    if ctx.pricing is None:
        return
    clips = _clips(data)
    if clips is None:
        if data is not None:
            src.add(getattr(data, "line", 1), 1, "SP007",
                    "a clips file is a list of clips, or a mapping with a 'clips' list")
        return
    before = len(src.findings)
    for i, clip in enumerate(clips):
        line = clips.line_of(i)
        if not isinstance(clip, LineDict):
            src.add(line, 1, "SP007", "each clip must be a mapping")
            continue
        _check_clip(src, clip, line, ctx)
    own = (ctx.root / "gallery" / "clips.yml").resolve()
    if len(src.findings) == before and src.path.resolve() == own:
        try:
            load_clips(ctx.root, ctx.pricing)
        except ContentError as err:
            src.extend(err)

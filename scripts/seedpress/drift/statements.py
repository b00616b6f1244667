"""What one of fal's input fields states, read as the data's limits, and how a
drift finding writes values (money, plain decimals, lists)."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .. import pricing as P
from ..content.limits import Limits
from .page import Field


def money(value: Decimal | Fraction, decimals: int) -> str:
    return f"${P.round_half_up(value, decimals):.{decimals}f}"


def plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def words(values) -> str:
    values = [str(v) for v in values]
    return ", ".join(values) if values else "none"


#: input field -> the kind of file it carries
_FILE_FIELDS = {"image_url": "image", "end_image_url": "image", "image_urls": "image",
                "video_urls": "video", "audio_urls": "audio"}
_KIND_NOUN = {"image": "images", "video": "videos", "audio": "audio files"}


def limit_statements(f: Field) -> list[tuple[str, Any]]:
    """(limit id, value) for every limit the description of ``f`` states."""
    kind = _FILE_FIELDS.get(f.name)
    if kind is None:
        return []
    text = re.sub(r"\s+", " ", f.description)
    out: list[tuple[str, Any]] = []
    m = re.search(r"supported formats?:?\s*([A-Za-z0-9][A-Za-z0-9 ,/]*?)\s*(?:\.|;|$)", text, re.I)
    if m:
        names = [w.strip() for w in re.split(r",|/|\band\b|\bor\b", m.group(1)) if w.strip()]
        out.append((f"files.{kind}.formats", tuple(names)))
    listed = f.type.lower().startswith(("list", "array")) or f.name.endswith("_urls")
    m = re.search(r"up to\s+(\d+)\s+(?:images?|videos?|files?|audio(?: files?| clips?)?|clips?)",
                  text, re.I)
    if m and listed:
        out.append((f"references.{ {'image': 'images', 'video': 'videos'}.get(kind, kind)}",
                    int(m.group(1))))
    m = re.search(r"\bmax(?:imum)?\s+(?:size\s+)?(\d+)\s*MB", text, re.I)
    if m:
        out.append((f"files.{kind}.max_mb_each", int(m.group(1))))
    m = re.search(r"total size\s+(?:must be\s+)?(?:under|below|less than|at most|up to|of at "
                  r"most)\s+(\d+)\s*MB", text, re.I)
    if m:
        out.append((f"files.{kind}.max_mb_total", int(m.group(1))))
    m = re.search(r"combined duration must be between\s+(\d+)\s+and\s+(\d+)\s+seconds", text,
                  re.I)
    if m:
        out.append((f"files.{kind}.min_seconds_total", int(m.group(1))))
        out.append((f"files.{kind}.max_seconds_total", int(m.group(2))))
    else:
        m = re.search(r"combined duration (?:must not exceed|of at most|up to|at most|must be "
                      r"at most)\s+(\d+)\s+seconds", text, re.I)
        if m:
            out.append((f"files.{kind}.max_seconds_total", int(m.group(1))))
    m = re.search(r"total files across all modalities must not exceed\s+(\d+)", text, re.I)
    if m:
        out.append(("references.total", int(m.group(1))))
    if kind == "audio" and re.search(r"at least one reference image or video is required",
                                     text, re.I):
        out.append(("references.audio_needs_visual", True))
    return out


def limit_label(limit_id: str) -> str:
    parts = limit_id.split(".")
    if parts[0] == "references":
        if parts[1] == "total":
            return "the most files in one request"
        if parts[1] == "audio_needs_visual":
            return "that audio needs an image or video beside it"
        return f"the most {_KIND_NOUN.get(parts[1].rstrip('s'), parts[1])} in one request"
    kind, name = parts[1], parts[2]
    return {"formats": f"the {kind} formats", "max_mb_each": f"the largest {kind} file (MB)",
            "max_mb_total": f"the most MB of {_KIND_NOUN[kind]} together",
            "min_seconds_total": f"the fewest seconds of {_KIND_NOUN[kind]} together",
            "max_seconds_total": f"the most seconds of {_KIND_NOUN[kind]} together"}[name]


def limit_data(limits: Limits, limit_id: str) -> Any:
    parts = limit_id.split(".")
    if parts[0] == "references":
        if parts[1] == "audio_needs_visual":
            return limits.audio_needs_visual
        return limits.references.get(parts[1])
    files = limits.files.get(parts[1])
    if files is None:
        return None
    if parts[2] == "formats":
        return files.formats
    return files.limits.get(parts[2])


def same_limit(fal: Any, data: Any) -> bool:
    if isinstance(fal, tuple):
        return {str(x).casefold() for x in fal} == {str(x).casefold() for x in data or ()}
    return fal == data


def shown(value: Any) -> str:
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    if value is True:
        return "yes"
    return str(value)


def fal_type(f: Field) -> type | None:
    t = f.type.lower()
    if t in ("string", "str", "text"):
        return str
    if t in ("integer", "int"):
        return int
    if t in ("boolean", "bool"):
        return bool
    if t in ("float", "number"):
        return float
    if t.startswith(("list", "array")):
        return list
    if f.options:
        kinds = {type(o) for o in f.options}
        if len(kinds) == 1:
            return kinds.pop()
    return None


TYPE_WORDS = {str: "text", int: "a whole number", float: "a number", bool: "true or false",
               list: "a list"}


def ints(options) -> tuple[list[int], list[str], bool]:
    nums, other, auto = [], [], False
    for o in options:
        s = str(o)
        if s == "auto":
            auto = True
        elif re.fullmatch(r"\d+", s):
            nums.append(int(s))
        else:
            other.append(s)
    return sorted(set(nums)), other, auto

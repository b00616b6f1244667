"""SP402: a typed count, duration or resolution that contradicts data/limits.yml.

Prices are checked against the formula (SP401); this rule does the same for
the model's limits. It reads prose only (code, inline code, template
expressions and comments are blanked first), sentence by sentence, and
recognises three kinds of claim (the grammar is documented on the ship
check page, docs/ship-check.md):

- **reference counts**: a limit word then a number then a kind of file
  ("up to 10 reference images", "at most 3 videos", "no more than 12
  files"), a number, a kind and "in all" or "at most" ("12 files in all"),
  "N-file" before surface, limit, cap, budget or ceiling, and "the rule of
  N". The number must be the limit of that kind (images, videos, audio, or
  files in all).
- **durations**: a limit word then seconds ("up to 20 seconds", "tops out
  at 12 s", "longest shot of 15 seconds") must name the longest duration; a
  shot, take, render or output of N seconds ("20-second shots") must be
  one the model renders; a range of seconds in a sentence about duration,
  shots, output or renders ("durations run from 4 to 15 seconds") must be
  the whole range.
- **resolutions**: a verb of capability then a resolution ("renders 1080p",
  "outputs 4K") must name a confirmed resolution; a verb of limit ("tops out
  at 720p", "up to 1080p", "highest resolution is 720p") must name the
  highest confirmed one.

A sentence is about Seedance 2.0 unless it names another model (Kling, Veo,
Grok, HappyHorse, Seedance 1.5 Pro, 1.x, ...): that is how a competitor's
figure is quoted. A claim just after a negation ("does not render 1080p",
"no 1080p") is not a claim.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import codes
from ..content.markdown import markdown_prose
from .context import Context
from .source import Source

_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
NUM = r"(?:\d{1,4}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")"
OTHER_MODEL = re.compile(
    r"\b(?:kling|veo|grok|happyhorse|sora|runway|pika|hailuo|minimax|luma|"
    r"seedance[\s-]*1(?:\.\d+)?|1\.5[\s-]*pro|1\.x|v1\.5)\b", re.I)
NEGATION = re.compile(
    r"\b(?:not|no|never|cannot|can't|doesn't|don't|isn't|aren't|without|nor|neither|"
    r"nothing|unconfirmed|unsupported|instead of)\b[^.;:|]{0,40}$", re.I)

_KIND = (r"(?P<kind>(?:reference\s+)?(?:images?|stills?|photos?|pictures?|videos?|"
         r"video\s+(?:clips?|references?|files?)|audio(?:\s+(?:files?|clips?|references?))?|"
         r"files?|references?|refs?))")
_LIMIT_WORD = (r"(?:up\s+to|at\s+most|a\s+maximum\s+of|maximum\s+of|max(?:imum)?|as\s+many\s+as|"
               r"no\s+more\s+than)")
COUNT_BEFORE = re.compile(rf"\b{_LIMIT_WORD}\s+(?P<n>{NUM})\s+{_KIND}\b", re.I)
COUNT_AFTER = re.compile(rf"\b(?P<n>{NUM})\s+{_KIND}\s+(?P<tail>in\s+all|in\s+total|at\s+most|"
                         r"at\s+the\s+most|max(?:imum)?)\b", re.I)
COUNT_FILES = re.compile(rf"\b(?P<n>{NUM})-file\s+(?:multimodal\s+|reference\s+)*"
                         r"(?:surface|limit|cap|budget|ceiling)\b", re.I)
RULE_OF = re.compile(rf"\brule\s+of\s+(?P<n>{NUM})\b", re.I)

_SECONDS = r"(?:-|\s)?(?:seconds?|secs?|s)\b"
MAX_DURATION = re.compile(
    rf"\b(?:up\s+to|at\s+most|a\s+maximum\s+of|maximum\s+of|max(?:imum)?|as\s+long\s+as|"
    rf"no\s+longer\s+than|longest(?:\s+single)?(?:\s+(?:shot|take))?(?:\s+(?:is|of))?|"
    rf"tops\s+out\s+at|stops\s+at|caps\s+at|ceiling\s+of)\s+(?P<n>{NUM}){_SECONDS}", re.I)
SHOT_LENGTH = re.compile(
    rf"\b(?P<n>{NUM})(?:-|\s)(?:seconds?|s)(?:\s+long)?\s+(?:single[\s-]+)?"
    r"(?:shots?|takes?|renders?|outputs?)\b", re.I)
RANGE = re.compile(rf"\b(?P<a>{NUM})\s+(?:to|through)\s+(?P<b>{NUM})\s+(?:whole\s+)?seconds?\b",
                   re.I)
#: a range of seconds is a claim about the model when the sentence speaks of what it
#: accepts or renders, not of what works best
RANGE_TOPIC = re.compile(r"\b(?:durations?|renders?|accepts?|shot\s+length|"
                         r"output\s+(?:runs?|lasts?))\b", re.I)
RANGE_NOT = re.compile(r"\b(?:reference|references|input|inputs|audio|together|best|hold|"
                       r"recommend\w*|aim|keep|sweet\s+spot|usually|typical\w*)\b", re.I)
#: "the caps add up to fifteen files" is a sum, not a limit
_SUM = re.compile(r"\b(?:add|adds|added|sum|sums|come|comes)\s*$", re.I)

_RES = r"(?P<res>\d{3,4}p|[248]k)\b"
RES_LIMIT = re.compile(
    rf"\b(?P<verb>tops\s+out\s+at|stops\s+at|caps\s+at|maxes\s+out\s+at|up\s+to|reaches|"
    rf"goes\s+up\s+to|ceiling\s+(?:is|of)|maximum(?:\s+resolution)?\s+(?:is|of)|"
    rf"highest\s+resolution\s+(?:is|of)?)\s+(?:native\s+)?{_RES}", re.I)
RES_CAN = re.compile(
    rf"\b(?P<verb>renders?|rendering|outputs?|generates?|delivers?|supports?)\s+"
    rf"(?:(?:at|in)\s+)?(?:native\s+)?{_RES}", re.I)

_SEGMENT_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`\"'(\[*_])|\n\s*\n|\||\n(?=\s*(?:[-*+]|\d+\.)\s)")


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBERS[text.lower()]


def _kind(word: str) -> str | None:
    word = word.lower()
    if re.search(r"audio", word):
        return "audio"
    if re.search(r"video", word):
        return "videos"
    if re.search(r"image|still|photo|picture", word):
        return "images"
    if re.search(r"file|reference|ref", word):
        return "total"
    return None


def segments(prose: str) -> Iterator[tuple[int, str]]:
    """(offset, text) of each sentence, table cell or list item of ``prose``."""
    start = 0
    for m in _SEGMENT_END.finditer(prose):
        yield start, prose[start:m.start()]
        start = m.end()
    yield start, prose[start:]


def _negated(segment: str, at: int) -> bool:
    return bool(NEGATION.search(segment[:at]))


#: Cheap tests (substrings of the lower-cased segment, its whitespace folded) that
#: tell whether a pattern can match at all; each is implied by its pattern, so a
#: segment they rule out has no claim of that kind. Most prose is ruled out
#: without running a single pattern.
_OTHER_HINTS = ("kling", "veo", "grok", "happyhorse", "sora", "runway", "pika", "hailuo",
                "minimax", "luma", "seedance", "1.5", "1.x")
_KIND_WORDS = ("image", "still", "photo", "picture", "video", "audio", "file", "ref")
_COUNT_BEFORE_HINTS = ("up to", "at most", "maximum", "max", "as many as", "no more than")
_COUNT_AFTER_HINTS = ("in all", "in total", "at most", "at the most", "max")
_MAX_DURATION_HINTS = ("up to", "at most", "max", "as long as", "no longer than", "longest",
                       "tops out at", "stops at", "caps at", "ceiling of")
_SHOT_HINTS = ("shot", "take", "render", "output")
_RES_LIMIT_HINTS = ("tops out at", "stops at", "caps at", "maxes out at", "up to", "reaches",
                    "goes up to", "ceiling", "maximum", "highest resolution")
_RES_CAN_HINTS = ("render", "output", "generate", "deliver", "support")
#: a number of seconds without "sec": "15 s", "15s", "fifteen s"
_DIGIT_SECONDS = re.compile(r"\d[\s-]?s\b")
_WORD_SECONDS = re.compile(r"[a-z][\s-]s\b")
#: a resolution: "720p", "4k"
_RES_HINT = re.compile(r"\d[pk]\b")


def _any(low: str, words: tuple[str, ...]) -> bool:
    return any(word in low for word in words)


def claims(segment: str, limits) -> Iterator[tuple[int, str]]:
    """(offset in the segment, why it is false) of each false claim."""
    low = " ".join(segment.lower().split())
    has_kind = _any(low, _KIND_WORDS)
    has_seconds = ("sec" in low or _DIGIT_SECONDS.search(low) is not None
                   or ((" s" in low or "-s" in low) and _WORD_SECONDS.search(low) is not None))
    has_res = _RES_HINT.search(low) is not None
    has_rule = "rule of" in low
    if not (has_kind or has_seconds or has_res or has_rule):
        return
    if _any(low, _OTHER_HINTS) and OTHER_MODEL.search(segment):
        return
    refs = limits.references
    names = {"images": "images", "videos": "videos", "audio": "audio files",
             "total": "files in all"}

    def count(m: re.Match, kind: str | None) -> Iterator[tuple[int, str]]:
        if kind is None or kind not in refs:
            return
        n = _number(m["n"])
        if n != refs[kind] and not _negated(segment, m.start()):
            yield m.start(), (f"{m.group().strip()!r}: a request takes at most {refs[kind]} "
                              f"{names[kind]} (data/limits.yml), not {n}")

    if has_kind:
        if _any(low, _COUNT_BEFORE_HINTS):
            for m in COUNT_BEFORE.finditer(segment):
                if not _SUM.search(segment[:m.start()]):
                    yield from count(m, _kind(m["kind"]))
        if _any(low, _COUNT_AFTER_HINTS):
            for m in COUNT_AFTER.finditer(segment):
                tail = m["tail"].lower()
                kind = "total" if tail.startswith("in") else _kind(m["kind"])
                yield from count(m, kind)
        if "-file" in low:
            for m in COUNT_FILES.finditer(segment):
                yield from count(m, "total")
    if has_rule:
        for m in RULE_OF.finditer(segment):
            yield from count(m, "total")
    if has_seconds:
        yield from _duration_claims(segment, low, limits)
    if has_res:
        yield from _resolution_claims(segment, low, limits)


def _duration_claims(segment: str, folded: str, limits) -> Iterator[tuple[int, str]]:
    low, high = limits.duration_min, limits.duration_max
    if _any(folded, _MAX_DURATION_HINTS):
        for m in MAX_DURATION.finditer(segment):
            if _number(m["n"]) != high and not _negated(segment, m.start()):
                yield m.start(), (f"{m.group().strip()!r}: the longest shot is {high} seconds "
                                  "(data/limits.yml)")
    if _any(folded, _SHOT_HINTS):
        for m in SHOT_LENGTH.finditer(segment):
            n = _number(m["n"])
            if not low <= n <= high and not _negated(segment, m.start()):
                yield m.start(), (f"{m.group().strip()!r}: a shot lasts {low} to {high} "
                                  "seconds (data/limits.yml)")
    if (" to " in folded or " through " in folded) and RANGE_TOPIC.search(segment) \
            and not RANGE_NOT.search(segment):
        for m in RANGE.finditer(segment):
            a, b = _number(m["a"]), _number(m["b"])
            if (a, b) != (low, high) and not _negated(segment, m.start()):
                yield m.start(), (f"{m.group().strip()!r}: output runs {low} to {high} seconds "
                                  "(data/limits.yml)")


def _resolution_claims(segment: str, folded: str, limits) -> Iterator[tuple[int, str]]:
    confirmed = [r.lower() for r in limits.confirmed_resolutions]
    known = {r.name.lower(): r for r in limits.resolutions}
    top = confirmed[-1]
    limit_hit = _any(folded, _RES_LIMIT_HINTS)
    for m in RES_LIMIT.finditer(segment) if limit_hit else ():
        res = m["res"].lower()
        if res != top and not _negated(segment, m.start()):
            yield m.start(), (f"{m.group().strip()!r}: the highest confirmed resolution is "
                              f"{top} (data/limits.yml)")
    for m in RES_CAN.finditer(segment) if _any(folded, _RES_CAN_HINTS) else ():
        res = m["res"].lower()
        if res in confirmed or _negated(segment, m.start()):
            continue
        why = ("is unconfirmed: state it as such, never as settled" if res in known
               else f"is not one it renders ({', '.join(confirmed)})")
        yield m.start(), f"{m.group().strip()!r}: {res} {why} (data/limits.yml)"


def check(src: Source, text: str, ctx: Context, *, markdown: bool = True) -> None:
    limits = ctx.limits
    if limits is None or not limits.references:
        return
    prose = markdown_prose(text) if markdown else text
    for offset, segment in segments(prose):
        if not segment.strip():
            continue
        for at, why in claims(segment, limits):
            src.add_at(offset + at, codes.LIMIT_CLAIM, why)

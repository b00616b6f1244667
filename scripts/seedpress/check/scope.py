"""What a sentence is about: the context the price and claim rules judge a figure in.

A figure is never judged alone. Prose (code, inline code, template
expressions and comments already blanked) is read as **blocks** (a
paragraph, a list item, a table row, a YAML value) made of **sentences**
(a sentence, or a table cell). For each sentence this module works out:

- **its model**: a sentence that names another model (Kling, Veo, Grok,
  Seedance 1.5 Pro, ...) is about that model, one that names Seedance 2.0
  (or "2.0") is about ours, one that names both is a comparison, and one
  that names none is about the model the sentence before it in its block
  was about (a block starts with Seedance 2.0). Only sentences about
  Seedance 2.0 are judged: quoting another model's figure stays allowed.
- **what it names**: the tiers ("standard", "fast"), resolutions, aspect
  ratios ("16:9", "vertical", "square") and lengths ("a 5 s clip",
  "10-second shot") in it, and whether it speaks of video inputs or of a
  saving. A sentence that names no tier is read with the tiers its block
  names, and so on for each kind; a block that names none leaves all open.

Everything here is cheap string work; the rules call it only for sentences
that their own quick tests say may hold a claim.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_NUMBER_WORDS.update({"thirty": 30, "forty": 40, "sixty": 60})
NUM = r"(?:\d{1,4}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"


def number(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBER_WORDS[text.lower()]


#: models other than Seedance 2.0: a sentence that names one is quoting it
OTHER_MODEL = re.compile(
    r"\b(?:kling|veo|grok|happyhorse|sora|runway|pika|hailuo|minimax|luma|wan\s*2|hunyuan|"
    r"ltx|mochi|midjourney|gen-[34]|seedance[\s-]*1(?:\.\d+)?|1\.5[\s-]*pro|1\.x|v1\.5)\b",
    re.I)
OWN_MODEL = re.compile(r"\bseedance[\s-]*2(?:\.0)?\b|(?<![\w.])2\.0(?![\w.])", re.I)
_OTHER_HINTS = ("kling", "veo", "grok", "happyhorse", "sora", "runway", "pika", "hailuo",
                "minimax", "luma", "wan", "hunyuan", "ltx", "mochi", "midjourney", "gen-",
                "seedance", "1.5", "1.x")

TIER = re.compile(r"\b(?P<tier>standard|fast)\b", re.I)
#: "as fast as", "fast motion", "standard library": the word, not the tier
_NOT_TIER_BEFORE = re.compile(r"\b(?:as|so|too|how|very)\s+$", re.I)
_NOT_TIER_AFTER = re.compile(r"-(?:moving|paced)|\s+(?:enough|motion|moving|action|cuts?|pans?|"
                             r"library|deviation|practice|definition|error)\b", re.I)
RESOLUTION = re.compile(r"\b(?P<res>\d{3,4}p|[248]k)\b", re.I)
RATIO = re.compile(r"(?<![\d:])(?P<ratio>21:9|16:9|4:3|1:1|3:4|9:16)(?![\d:])")
_RATIO_WORDS = {"vertical": ("9:16", "3:4"), "portrait": ("9:16", "3:4"), "square": ("1:1",),
                "landscape": ("16:9", "21:9", "4:3"), "widescreen": ("16:9", "21:9"),
                "horizontal": ("16:9", "21:9", "4:3")}
RATIO_WORD = re.compile(r"\b(?P<word>" + "|".join(_RATIO_WORDS) + r")\b", re.I)
#: a length in seconds: "5 s", "5s", "5-second", "five seconds", "10 sec"
SECONDS = re.compile(rf"(?<![\w.$])(?P<n>{NUM})(?:\s*-\s*|\s+)?(?:seconds?|secs?|s)\b"
                     r"(?P<input>\s+of\s+(?:(?:the\s+)?input|video\s+input|input\s+video|"
                     r"reference\s+video|video))?", re.I)
_SECONDS_HINT = re.compile(r"\d\s*-?\s*s\b|\d\s*-?\s*sec|[a-z][\s-]sec", re.I)
REFERENCE_VIDEO = re.compile(
    r"\b(?:video\s+(?:inputs?|references?|refs?)|reference\s+(?:videos?|clips?)|"
    r"input\s+video|video_urls|multiplier|reference\s+video\s+inputs?)\b", re.I)
SAVING = re.compile(r"\b(?:save[sd]?|saving|savings|cheaper|dearer|less|more|difference|gap|"
                    r"extra|costlier)\b", re.I)

#: where a block ends: a blank line, a list item, a table row
_BLOCK_END = re.compile(r"\n[ \t]*\n\s*|\n(?=[ \t]*(?:[-*+]|\d+\.)\s)|\n(?=[ \t]*\|)")
#: in YAML, also where a new key starts (each FAQ answer is its own block)
_YAML_KEY = re.compile(r"\n(?=[ \t]*(?:-[ \t]+)?[A-Za-z_][\w-]*:(?:\s|$))")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`\"'(\[*_])|\|")
#: a clause ends at punctuation (not inside "16:9" or "1,000") and before a conjunction
_CLAUSE_END = re.compile(r"[;()]|(?<!\d)[:,]|:(?!\d)|,(?!\d{3})|"
                         r"\s(?:but|so|while|whereas|although|though|which)\s", re.I)


def _split(pattern: re.Pattern, text: str, base: int = 0) -> Iterator[tuple[int, str]]:
    start = 0
    for m in pattern.finditer(text):
        yield base + start, text[start:m.start()]
        start = m.end()
    yield base + start, text[start:]


def clauses(text: str) -> Iterator[tuple[int, str]]:
    """(offset, text) of each clause of a sentence (split at punctuation and
    at "but", "so", "while", "which", ...)."""
    return _split(_CLAUSE_END, text)


def folded(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass
class Names:
    """What a piece of prose names (empty sets: it names none of that kind)."""

    text: str

    @cached_property
    def low(self) -> str:
        return folded(self.text)

    @cached_property
    def tiers(self) -> frozenset[str]:
        low = self.low
        if "standard" not in low and "fast" not in low:
            return frozenset()
        text = self.text
        return frozenset(
            m["tier"].lower() for m in TIER.finditer(text)
            if not _NOT_TIER_BEFORE.search(text, max(0, m.start() - 6), m.start())
            and not _NOT_TIER_AFTER.match(text, m.end()))

    @cached_property
    def resolutions(self) -> frozenset[str]:
        if not re.search(r"\d[pk]\b", self.low):
            return frozenset()
        return frozenset(m["res"].lower() for m in RESOLUTION.finditer(self.text))

    @cached_property
    def ratios(self) -> frozenset[str]:
        found = set()
        if ":" in self.text:
            found.update(m["ratio"] for m in RATIO.finditer(self.text))
        low = self.low
        if any(word in low for word in _RATIO_WORDS):
            for m in RATIO_WORD.finditer(self.text):
                found.update(_RATIO_WORDS[m["word"].lower()])
        return frozenset(found)

    @cached_property
    def lengths(self) -> tuple[frozenset[int], frozenset[int]]:
        """(output seconds, input video seconds) named."""
        if not _SECONDS_HINT.search(self.low):
            return frozenset(), frozenset()
        out, inputs = set(), set()
        for m in SECONDS.finditer(self.text):
            (inputs if m["input"] else out).add(number(m["n"]))
        return frozenset(out), frozenset(inputs)

    @property
    def seconds(self) -> frozenset[int]:
        """Output lengths named."""
        return self.lengths[0]

    @property
    def input_seconds(self) -> frozenset[int]:
        """Seconds of input video named ("6 seconds of input video")."""
        return self.lengths[1]

    @cached_property
    def reference_video(self) -> bool:
        low = self.low
        return (("video" in low or "multiplier" in low)
                and REFERENCE_VIDEO.search(self.text) is not None)

    @cached_property
    def saving(self) -> bool:
        return SAVING.search(self.text) is not None


def subject_of(low: str, text: str) -> str | None:
    """"own", "other", "both" or None (names no model), for one sentence."""
    other = any(h in low for h in _OTHER_HINTS) and OTHER_MODEL.search(text) is not None
    own = ("2.0" in low or "seedance" in low) and OWN_MODEL.search(text) is not None
    if other and own:
        return "both"
    if other:
        return "other"
    return "own" if own else None


@dataclass
class Sentence:
    offset: int
    text: str
    block: Block
    #: "own" (Seedance 2.0), "other" (another model) or "both" (a comparison)
    subject: str
    #: whether the sentence names its model itself (else it follows the one before)
    named: bool = False

    @cached_property
    def names(self) -> Names:
        return Names(self.text)

    @property
    def about_our_model(self) -> bool:
        return self.subject == "own"

    @cached_property
    def clauses(self) -> list[tuple[int, int, Names]]:
        """(start, end, what it names) of each clause, offsets in the sentence."""
        out = []
        for start, text in clauses(self.text):
            out.append((start, start + len(text), Names(text)))
        return out

    def pick_at(self, kind: str, at: int, owns) -> frozenset:
        """What is named of ``kind`` for the figure at offset ``at``: by its
        clause, else by the nearest clause before it ("On the fast tier, a
        second costs ..."), else by the clauses after it that hold no figure
        of their own (``owns(start, end)`` says whether a clause does), else
        by the other sentences of its block."""
        if getattr(self.names, kind):
            before: frozenset = frozenset()
            after: set = set()
            for start, end, names in self.clauses:
                found = getattr(names, kind)
                if start <= at < end:
                    if found:
                        return found
                elif end <= at:
                    if found:
                        before = found
                elif found and not owns(start, end):
                    after.update(found)
            if before:
                return before
            if after:
                return frozenset(after)
        return self.elsewhere(kind)

    def elsewhere(self, kind: str):
        """What the other sentences of the block about our model name of
        ``kind`` (for a yes-or-no kind, whether any does)."""
        others = [o for o in self.block.sentences if o is not self and o.subject == "own"]
        values = [getattr(o.names, kind) for o in others]
        if kind in ("reference_video", "saving"):
            return any(values)
        return frozenset().union(*values)


@dataclass
class Block:
    offset: int
    text: str

    @cached_property
    def names(self) -> Names:
        return Names(self.text)

    @cached_property
    def sentences(self) -> list[Sentence]:
        """The block's sentences, each with the model it is about."""
        found = []
        subject = "own"
        for s_off, s_text in _split(_SENTENCE_END, self.text, self.offset):
            if not s_text.strip():
                continue
            named = subject_of(s_text.lower(), s_text)
            if named is not None:
                subject = named
            found.append(Sentence(s_off, s_text, self, subject, named is not None))
        return found


#: a link's target is not prose: "[1080p](rules.md#resolution-1080p)"
_LINK_TARGET = re.compile(r"\]\([^)\n]*\)")


def _blank(m: re.Match) -> str:
    return "]" + " " * (len(m.group()) - 1)


#: the last prose read and its blocks: the price and the claim rules read the same
#: prose one after the other
_LAST: list = [None, None, None]


def blocks(prose: str, *, yaml: bool = False) -> list[Block]:
    """The blocks of ``prose`` with their sentences, each sentence's model decided."""
    if _LAST[0] is prose and _LAST[1] == yaml:
        return _LAST[2]
    found = list(_blocks(prose, yaml))
    _LAST[:] = [prose, yaml, found]
    return found


def _blocks(prose: str, yaml: bool) -> Iterator[Block]:
    if "](" in prose:
        prose = _LINK_TARGET.sub(_blank, prose)
    for b_off, b_text in _split(_BLOCK_END, prose):
        parts = _split(_YAML_KEY, b_text, b_off) if yaml else [(b_off, b_text)]
        for off, text in parts:
            if not text.strip():
                continue
            yield Block(off, text)


def sentences(prose: str, *, yaml: bool = False) -> Iterator[Sentence]:
    for block in blocks(prose, yaml=yaml):
        yield from block.sentences

"""SP402: a count, duration or resolution that contradicts data/limits.yml.

Prices are checked against the formula (SP401); this rule does the same for
the model's limits. It reads prose only (code, inline code, template
expressions and comments are blanked first), sentence by sentence, and only
sentences about Seedance 2.0 (:mod:`seedpress.check.scope`: a sentence that
names another model, or follows one that does in its paragraph, is quoting
that model). A claim is judged whatever its verb, for minimums as well as
maximums, and for the tier it names. The grammar (documented on the ship
check page, docs/ship-check.md):

- **reference counts**: a limit word then a number then a kind of file
  ("up to 10 reference images", "at most 3 videos", "limited to 12
  files"), a number, a kind and "in all" or "at most" ("12 files in all"),
  "N-file" before surface, limit, cap, budget or ceiling, and "the rule of
  N" must name the limit of that kind (images, videos, audio, or files in
  all); a number of files with a verb of capability ("you can attach 20
  reference images", "it accepts 10 videos") must not exceed it.
- **durations**: a limit word then seconds ("up to 20 seconds", "tops out
  at 12 s", "is limited to 20 seconds", "longest shot of 15 seconds") must
  name the longest duration, and a minimum ("at least 2 seconds", "as short
  as 3 s", "the shortest shot is 4 seconds") the shortest; a shot, take,
  clip, render or output of N seconds ("20-second shots", "clips can be 20
  seconds long") must be one the model renders; a range of seconds in a
  sentence about duration, shots, output or renders ("durations run from 4
  to 15 seconds") must be the whole range. Seconds of video or audio
  references are judged against the limits of those inputs.
- **resolutions**: a verb of limit ("tops out at 720p", "up to 1080p",
  "highest resolution is 720p") must name the highest confirmed
  resolution; a resolution the model is said to offer, render, output or
  support, in any wording ("now offers 1080p output", "renders 4K", "1080p
  is available"), must be a confirmed one, unless the sentence says it is
  unconfirmed or only listed; and a resolution offered only on some tiers
  ("standard only" in data/limits.yml) is never given to another tier or
  to every endpoint, however hedged.

A claim in a clause that negates ("does not render 1080p", "1080p is not
available") is not a claim.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import codes
from ..content.markdown import markdown_prose
from .context import Context
from .scope import NUM, OTHER_MODEL, blocks, clauses
from .scope import number as _number
from .source import Source

NEGATION = re.compile(
    r"\b(?:not|no|never|cannot|can't|doesn't|don't|isn't|aren't|won't|without|nor|neither|"
    r"nothing|unconfirmed|unsupported|instead of)\b[^.;:|]{0,40}$", re.I)
#: a negation anywhere in a clause: "1080p is not available", "nothing above 720p"
CLAUSE_NEGATION = re.compile(
    r"\b(?:not|no|never|cannot|can't|doesn't|don't|isn't|aren't|won't|wasn't|without|nor|"
    r"neither|nothing|none|lacks?|missing|instead\s+of|rather\s+than|beyond|above|"
    r"upscal\w*)\b|n't\b", re.I)
#: words that say a figure is reported, not settled: "1080p is unconfirmed",
#: "some later fal pages list 1080p", "if fal confirms 1080p"
HEDGE = re.compile(
    r"\b(?:unconfirmed|not\s+(?:yet\s+)?confirmed|confirms?|unverified|lists?|listed|"
    r"mentions?|mentioned|may|might|if|whether|unknown|until|reportedly|rumou?r\w*|"
    r"what\s+is\s+known|claims?|some\s+(?:later\s+)?(?:fal\s+)?pages)\b|\?", re.I)

_KIND = (r"(?P<kind>(?:reference\s+)?(?:images?|stills?|photos?|pictures?|videos?|"
         r"video\s+(?:clips?|references?|files?)|audio(?:\s+(?:files?|clips?|references?))?|"
         r"files?|references?|refs?))")
_LIMIT_WORD = (r"(?:up\s+to|at\s+most|a\s+maximum\s+of|maximum\s+of|max(?:imum)?|as\s+many\s+as|"
               r"no\s+more\s+than|limited\s+to|capped\s+at|a\s+cap\s+of|a\s+limit\s+of)")
COUNT_BEFORE = re.compile(rf"\b{_LIMIT_WORD}\s+(?P<n>{NUM})\s+{_KIND}\b", re.I)
COUNT_AFTER = re.compile(rf"\b(?P<n>{NUM})\s+{_KIND}\s+(?P<tail>in\s+all|in\s+total|at\s+most|"
                         r"at\s+the\s+most|max(?:imum)?)\b", re.I)
COUNT_FILES = re.compile(rf"\b(?P<n>{NUM})-file\s+(?:multimodal\s+|reference\s+)*"
                         r"(?:surface|limit|cap|budget|ceiling)\b", re.I)
RULE_OF = re.compile(rf"\brule\s+of\s+(?P<n>{NUM})\b", re.I)
#: a count with a verb of capability: "you can attach 20 reference images"
COUNT_ANY = re.compile(rf"(?<![\w.,])(?P<n>{NUM})\s+(?:more\s+|extra\s+|separate\s+)?{_KIND}\b",
                       re.I)
#: (a verb of doing alone, "upload 20 images to a bucket", is not about a request)
CAPABLE = re.compile(
    r"\b(?:can|may|lets?|allows?|allowed|accepts?|takes?|supports?|carry|carries|hold|holds|"
    r"fits?|per\s+(?:request|call)|(?:to|in|into|with)\s+(?:one|a\s+single|each|a|the)\s+"
    r"(?:request|call|render))\b", re.I)

_SECONDS = r"(?:-|\s)?(?:seconds?|secs?|s)\b"
MAX_DURATION = re.compile(
    rf"\b(?:up\s+to|at\s+most|a\s+maximum\s+of|maximum\s+of|max(?:imum)?|as\s+long\s+as|"
    rf"no\s+longer\s+than|longest(?:\s+single)?(?:\s+(?:shot|take|clip|render))?"
    rf"(?:\s+(?:is|of|runs?|lasts?))?|tops\s+out\s+at|stops\s+at|caps\s+at|ceiling\s+of|"
    rf"limited\s+to|capped\s+at|a\s+cap\s+of|a\s+limit\s+of|cannot\s+exceed|"
    rf"can't\s+exceed|maxes\s+out\s+at)\s+(?P<n>{NUM}){_SECONDS}", re.I)
MIN_DURATION = re.compile(
    rf"\b(?:at\s+least|a\s+minimum\s+of|minimum\s+of|min(?:imum)?|as\s+short\s+as|"
    rf"no\s+shorter\s+than|shortest(?:\s+single)?(?:\s+(?:shot|take|clip|render|output))?"
    rf"(?:\s+(?:is|of|runs?|lasts?))?|floor\s+of|starts?\s+at)\s+(?P<n>{NUM}){_SECONDS}", re.I)
_OUTPUT_NOUN = r"(?:shots?|takes?|renders?|outputs?|clips?|videos?|generations?)"
SHOT_LENGTH = re.compile(
    rf"\b(?P<n>{NUM})(?:-|\s)(?:seconds?|s)(?:\s+long)?\s+(?:single[\s-]+)?"
    rf"{_OUTPUT_NOUN}\b", re.I)
#: "clips can be 20 seconds long", "a shot may run 20 s", "renders last 30 seconds"
LENGTH_CAN = re.compile(
    rf"\b{_OUTPUT_NOUN}\s+(?:can|may|will|could)?\s*(?:be|run|last|go)\s+(?:for\s+)?"
    rf"(?P<n>{NUM}){_SECONDS}", re.I)
#: what makes a length about the wait, not the output: "a render takes 90 seconds"
TIMING = re.compile(r"\b(?:wait\w*|finish\w*|queue\w*|poll\w*|timeouts?|latency|turnaround|"
                    r"come\s+back|completes?|within|minutes?|hours?|after|every|later|"
                    r"stitch\w*|edit\w*|sequence|together|in\s+all|total|spot|ad|timeline|"
                    r"montage)\b", re.I)
RANGE = re.compile(rf"\b(?P<a>{NUM})\s+(?:to|through)\s+(?P<b>{NUM})\s+(?:whole\s+)?seconds?\b",
                   re.I)
#: a range of seconds is a claim about the model when the sentence speaks of what it
#: accepts or renders, not of what works best
RANGE_TOPIC = re.compile(r"\b(?:durations?|renders?|accepts?|shot\s+length|"
                         r"output\s+(?:runs?|lasts?))\b", re.I)
RANGE_NOT = re.compile(r"\b(?:reference|references|input|inputs|audio|together|best|hold|"
                       r"recommend\w*|aim|keep|sweet\s+spot|usually|typical\w*)\b", re.I)
#: seconds of reference inputs, not of output
INPUT_AUDIO = re.compile(r"\baudio\b", re.I)
INPUT_VIDEO = re.compile(r"\b(?:video\s+(?:inputs?|references?|refs?|clips?)|reference\s+"
                         r"(?:videos?|clips?)|input\s+videos?|video_urls)\b", re.I)
#: "the caps add up to fifteen files" is a sum, not a limit
_SUM = re.compile(r"\b(?:add|adds|added|sum|sums|come|comes)\s*$", re.I)

_RES = r"(?P<res>\d{3,4}p|[248]k)\b"
RES_LIMIT = re.compile(
    rf"\b(?P<verb>tops\s+out\s+at|stops\s+at|caps\s+at|maxes\s+out\s+at|up\s+to|reaches|"
    rf"goes\s+up\s+to|ceiling\s+(?:is|of)|maximum(?:\s+resolution)?\s+(?:is|of)|"
    rf"highest\s+resolution\s+(?:is|of)?|limited\s+to|capped\s+at)\s+(?:native\s+)?{_RES}",
    re.I)
RES_ANY = re.compile(rf"(?<![\w/#-]){_RES}(?!-)", re.I)
#: words that say the model offers a resolution, in any wording
OFFERS = re.compile(
    r"\b(?:offers?|offered|offering|renders?|rendered|rendering|outputs?|supports?|supported|"
    r"generates?|delivers?|produces?|available|availability|options?|choose|pick|select|"
    r"ask\s+for|accepts?|reaches|gives?|ships?|comes?\s+in|unlocks?|enabled?|now|endpoints?|"
    r"tiers?|resolution)\b", re.I)
#: the tier scope a sentence gives: every endpoint, both tiers, ...
EVERY_TIER = re.compile(r"\b(?:every|all|each|any|both|either)\s+(?:six\s+|of\s+the\s+)?"
                        r"(?:endpoints?|tiers?|versions?)\b|\ball\s+six\b", re.I)

_HINTS_OTHER = ("kling", "veo", "grok", "happyhorse", "sora", "runway", "pika", "hailuo",
                "minimax", "luma", "wan", "hunyuan", "ltx", "mochi", "midjourney", "gen-",
                "seedance", "1.5", "1.x")
_KIND_WORDS = ("image", "still", "photo", "picture", "video", "audio", "file", "ref")
_COUNT_BEFORE_HINTS = ("up to", "at most", "maximum", "max", "as many as", "no more than",
                       "limited to", "capped at", "cap of", "limit of")
_COUNT_AFTER_HINTS = ("in all", "in total", "at most", "at the most", "max")
_MAX_DURATION_HINTS = ("up to", "at most", "max", "as long as", "no longer than", "longest",
                       "tops out at", "stops at", "caps at", "ceiling of", "limited to",
                       "capped at", "cap of", "limit of", "exceed")
_MIN_DURATION_HINTS = ("at least", "minimum", "min", "as short as", "no shorter than",
                       "shortest", "floor of", "start at", "starts at")
_SHOT_HINTS = ("shot", "take", "render", "output", "clip", "video", "generation")
_RES_LIMIT_HINTS = ("tops out at", "stops at", "caps at", "maxes out at", "up to", "reaches",
                    "goes up to", "ceiling", "maximum", "highest resolution", "limited to",
                    "capped at")
_DIGIT_SECONDS = re.compile(r"\d[\s-]?s\b")
_WORD_SECONDS = re.compile(r"[a-z][\s-]s\b")
_RES_HINT = re.compile(r"\d[pk]\b")


def _kind(word: str) -> str | None:
    word = word.lower()
    if "audio" in word:
        return "audio"
    if "video" in word:
        return "videos"
    if re.search(r"image|still|photo|picture", word):
        return "images"
    if re.search(r"file|reference|ref", word):
        return "total"
    return None


def _negated(segment: str, at: int) -> bool:
    return bool(NEGATION.search(segment[:at]))


def _clause_at(segment: str, at: int) -> str:
    for start, text in clauses(segment):
        if start <= at <= start + len(text):
            return text
    return segment


def _any(low: str, words: tuple[str, ...]) -> bool:
    return any(word in low for word in words)


_NAMES = {"images": "images", "videos": "videos", "audio": "audio files",
          "total": "files in all"}


def claims(segment: str, limits, tiers: frozenset[str] = frozenset()
           ) -> Iterator[tuple[int, str]]:
    """(offset in the segment, why it is false) of each false claim in one
    sentence about Seedance 2.0 (``tiers``: the tiers its context names, when
    the sentence names none). A sentence that names another model is skipped."""
    low = " ".join(segment.lower().split())
    has_kind = _any(low, _KIND_WORDS)
    has_seconds = ("sec" in low or _DIGIT_SECONDS.search(low) is not None
                   or ((" s" in low or "-s" in low) and _WORD_SECONDS.search(low) is not None))
    has_res = _RES_HINT.search(low) is not None
    has_rule = "rule of" in low
    if not (has_kind or has_seconds or has_res or has_rule):
        return
    if _any(low, _HINTS_OTHER) and OTHER_MODEL.search(segment):
        return
    if has_kind or has_rule:
        yield from _count_claims(segment, low, limits, has_kind, has_rule)
    if has_seconds:
        yield from _duration_claims(segment, low, limits)
    if has_res:
        yield from _resolution_claims(segment, low, limits, tiers)


def _count_claims(segment: str, low: str, limits, has_kind: bool, has_rule: bool
                  ) -> Iterator[tuple[int, str]]:
    refs = limits.references
    seen: set[int] = set()

    def count(m: re.Match, kind: str | None, exact: bool = True) -> Iterator[tuple[int, str]]:
        if kind is None or kind not in refs or m.start("n") in seen:
            return
        n = _number(m["n"])
        wrong = n != refs[kind] if exact else n > refs[kind]
        if wrong and not _negated(segment, m.start()):
            seen.add(m.start("n"))
            if exact:
                yield m.start(), (f"{m.group().strip()!r}: a request takes at most "
                                  f"{refs[kind]} {_NAMES[kind]} (data/limits.yml), not {n}")
            else:
                yield m.start(), (f"{m.group().strip()!r}: a request takes at most "
                                  f"{refs[kind]} {_NAMES[kind]} (data/limits.yml)")

    if has_kind:
        if _any(low, _COUNT_BEFORE_HINTS):
            for m in COUNT_BEFORE.finditer(segment):
                if not _SUM.search(segment[:m.start()]):
                    yield from count(m, _kind(m["kind"]))
                else:
                    seen.add(m.start("n"))
        if _any(low, _COUNT_AFTER_HINTS):
            for m in COUNT_AFTER.finditer(segment):
                tail = m["tail"].lower()
                kind = "total" if tail.startswith("in") else _kind(m["kind"])
                yield from count(m, kind)
        if "-file" in low:
            for m in COUNT_FILES.finditer(segment):
                yield from count(m, "total")
        for m in COUNT_ANY.finditer(segment):
            if m.start("n") in seen:
                continue
            clause = _clause_at(segment, m.start())
            if CAPABLE.search(clause) and not _SUM.search(segment[:m.start()]) \
                    and not CLAUSE_NEGATION.search(clause):
                yield from count(m, _kind(m["kind"]), exact=False)
    if has_rule:
        for m in RULE_OF.finditer(segment):
            yield from count(m, "total")


def _input_limits(clause: str, limits) -> tuple[str, int | None, int | None] | None:
    """(what, least, most) seconds when a clause speaks of reference inputs."""
    files = limits.files
    if INPUT_AUDIO.search(clause) and "audio" in files:
        lim = files["audio"].limits
        return "audio references together", lim.get("min_seconds_total"), \
            lim.get("max_seconds_total")
    if INPUT_VIDEO.search(clause) and "video" in files:
        lim = files["video"].limits
        return "video references together", lim.get("min_seconds_total"), \
            lim.get("max_seconds_total")
    return None


def _duration_claims(segment: str, folded: str, limits) -> Iterator[tuple[int, str]]:
    low, high = limits.duration_min, limits.duration_max
    seen: set[int] = set()

    def bound(m: re.Match, which: str) -> Iterator[tuple[int, str]]:
        if _negated(segment, m.start()):
            return
        clause = _clause_at(segment, m.start())
        inputs = _input_limits(clause, limits)
        if not inputs and TIMING.search(clause):
            return  # a bound on a wait ("each poll is capped at 30 seconds"), not on a shot
        what, least, most = inputs if inputs else ("a shot", low, high)
        want = most if which == "max" else least
        n = _number(m["n"])
        if want is not None and n != want:
            seen.add(m.start())
            word = "at most" if which == "max" else "at least"
            verb = "lasts" if what == "a shot" else "last"
            yield m.start(), (f"{m.group().strip()!r}: {what} {verb} {word} {want} seconds "
                              "(data/limits.yml)")

    if _any(folded, _MAX_DURATION_HINTS):
        for m in MAX_DURATION.finditer(segment):
            yield from bound(m, "max")
    if _any(folded, _MIN_DURATION_HINTS):
        for m in MIN_DURATION.finditer(segment):
            clause = _clause_at(segment, m.start())
            if re.search(_OUTPUT_NOUN + r"|\bdurations?\b|\blength\b|\breferences?\b|\binputs?\b",
                         clause, re.I) and not TIMING.search(clause):
                yield from bound(m, "min")
    if _any(folded, _SHOT_HINTS):
        for pattern in (SHOT_LENGTH, LENGTH_CAN):
            for m in pattern.finditer(segment):
                if m.start() in seen:
                    continue
                n = _number(m["n"])
                clause = _clause_at(segment, m.start())
                if low <= n <= high or _negated(segment, m.start()) \
                        or _input_limits(clause, limits) or TIMING.search(clause):
                    continue
                seen.add(m.start())
                yield m.start(), (f"{m.group().strip()!r}: a shot lasts {low} to {high} "
                                  "seconds (data/limits.yml)")
    if (" to " in folded or " through " in folded) and RANGE_TOPIC.search(segment) \
            and not RANGE_NOT.search(segment):
        for m in RANGE.finditer(segment):
            a, b = _number(m["a"]), _number(m["b"])
            if (a, b) != (low, high) and not _negated(segment, m.start()):
                yield m.start(), (f"{m.group().strip()!r}: output runs {low} to {high} seconds "
                                  "(data/limits.yml)")


def _resolution_claims(segment: str, folded: str, limits, tiers: frozenset[str]
                       ) -> Iterator[tuple[int, str]]:
    confirmed = [r.lower() for r in limits.confirmed_resolutions]
    known = {r.name.lower(): r for r in limits.resolutions}
    top = confirmed[-1]
    seen: set[int] = set()
    if _any(folded, _RES_LIMIT_HINTS):
        for m in RES_LIMIT.finditer(segment):
            res = m["res"].lower()
            if res != top and not _negated(segment, m.start()):
                seen.add(m.start("res"))
                yield m.start(), (f"{m.group().strip()!r}: the highest confirmed resolution is "
                                  f"{top} (data/limits.yml)")
    all_tiers = sorted({ep.tier for ep in limits.endpoints.values()})
    for m in RES_ANY.finditer(segment):
        res = m["res"].lower()
        if res in confirmed or m.start() in seen:
            continue
        clause = _clause_at(segment, m.start())
        if not _offered(segment, m.start(), m.end()) or CLAUSE_NEGATION.search(clause) \
                or _negated(segment, m.start()):
            continue
        found = known.get(res)
        if found is None:
            yield m.start(), (f"{m.group().strip()!r}: {res} is not one it renders "
                              f"({', '.join(confirmed)}; data/limits.yml)")
            continue
        scope = _tiers_for(segment, clause, tiers)
        every = EVERY_TIER.search(clause) is not None or (
            EVERY_TIER.search(segment) is not None and not _tiers_named(clause))
        lacking = [t for t in (all_tiers if every else sorted(scope)) if not found.on_tier(t)]
        if lacking:
            only = " and ".join(found.tiers) if found.tiers else "some"
            who = "every endpoint" if every else f"the {' and '.join(lacking)} tier"
            yield m.start(), (f"{m.group().strip()!r}: {res} is listed for the {only} "
                              f"endpoints only, not {who} (data/limits.yml)")
            continue
        if not HEDGE.search(segment):
            yield m.start(), (f"{m.group().strip()!r}: {res} is unconfirmed: state it as such, "
                              "never as settled (data/limits.yml)")


_WORDS_NEAR = 4


def _offered(segment: str, start: int, end: int) -> bool:
    """Whether a word of offering stands within a few words of the resolution at
    ``start``..``end``, in its clause ("now offers 1080p output", "1080p is
    available")."""
    clause_start = 0
    for at, text in clauses(segment):
        if at <= start <= at + len(text):
            clause_start, clause_end = at, at + len(text)
            break
    else:
        clause_end = len(segment)
    before = segment[clause_start:start].split()[-_WORDS_NEAR:]
    after = segment[end:clause_end].split()[:_WORDS_NEAR + 1]
    return OFFERS.search(" ".join(before + ["|"] + after)) is not None


_TIER = re.compile(r"\b(standard|fast)\b", re.I)


def _tiers_named(text: str) -> frozenset[str]:
    return frozenset(t.lower() for t in _TIER.findall(text))


def _tiers_for(segment: str, clause: str, context: frozenset[str]) -> frozenset[str]:
    """The tiers a resolution claim is made for: its clause's, else those of
    the sentence's clauses that do not negate, else its paragraph's."""
    named = _tiers_named(clause)
    if named:
        return named
    free: set[str] = set()
    for _, text in clauses(segment):
        if not CLAUSE_NEGATION.search(text):
            free |= _tiers_named(text)
    return frozenset(free) or context


def block_findings(block, limits) -> list[tuple[int, str]]:
    """(offset in the block, why) of each false claim in ``block``."""
    found = []
    for sentence in block.sentences:
        if sentence.about_our_model and sentence.text.strip():
            found += [(sentence.offset - block.offset + at, why)
                      for at, why in claims(sentence.text, limits,
                                            sentence.elsewhere("tiers"))]
    return found


def check(src: Source, text: str, ctx: Context, *, markdown: bool = True,
          yaml: bool = False) -> None:
    limits = ctx.limits
    if limits is None or not limits.references:
        return
    prose = markdown_prose(text) if markdown else text
    memo = ctx.block_findings
    for block in blocks(prose, yaml=yaml):
        key = ("claim", block.text)
        if key not in memo:
            memo[key] = block_findings(block, limits)
        for at, why in memo[key]:
            src.add_at(block.offset + at, codes.LIMIT_CLAIM, why)

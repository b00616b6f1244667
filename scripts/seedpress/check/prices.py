"""SP401: a dollar amount in prose that the formula does not give in its context.

A figure is judged in its context (:mod:`seedpress.check.scope`): the tier,
resolution, aspect ratio and length its sentence names, or, where the
sentence names none of a kind, its paragraph; where neither does, every
value of that kind the model renders. What the amount is comes from the
words around it:

- **per second** ("$0.3024 per second", "$0.24/s", "a second costs $0.30"):
  the price of one output second;
- **per 1,000 tokens** (or per million): a tier's rate;
- otherwise **a total**: one render of a length the context names (of any
  length the model renders, when none is named), or a per-second price or
  a rate when nothing says which.

Video inputs count only in a sentence or paragraph that speaks of them
(then with any number of input seconds fal allows, or the ones named, "6
seconds of input"), and the difference between the tiers only where it
speaks of a saving ("cheaper", "saves", "less").

**The rounding rule.** An amount passes when a price the formula gives in
its context, rounded half up to the decimals the amount is written with,
equals it; never to fewer than cents, so "$2" claims $2.00. An amount
written as approximate ("about $0.30", "roughly $1.50", "~$3") passes
when it is that rounding or lies within 5 percent of such a price; a bound
("under $2", "less than $0.25 per second", "over $4") passes when some
price in context is on the right side of it.

Sentences about another model are not ours to judge (:mod:`scope`); an
amount that data/field.yml lists for another model passes in a paragraph
that names another model. Code blocks, inline code and template
expressions (``{{ price(...) }}``) are not prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .. import codes
from .. import pricing as P
from .context import Context
from .scope import NUM, Sentence, blocks, number
from .source import Source

# starts with the literal "$" so the scan is fast; the look-behind then
# rejects "$$", "\\$" and "US$"-like words
AMOUNT = re.compile(r"\$(?<![\w$\\]\$)[ \t]?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\d,]*\d)")
#: data files whose dollar figures are not ours to produce
COMPETITOR_FILES = ("field.yml",)

_PER_SECOND_AFTER = re.compile(
    r"\s*(?:/\s*(?:s|sec|second)\b|(?:per|a|an|each|every|for\s+each|for\s+every|of\s+every)"
    r"\s+(?:output\s+|rendered\s+|video\s+)?(?:second|sec|s)\b(?!\w))", re.I)
_PER_SECOND_BEFORE = re.compile(
    r"(?:\bper[\s-]second\b|(?<![\w-])(?:a|an|one|each|every|that|the|this|per)\s+"
    r"(?:(?:\d{3,4}p|\d+:\d+|standard|fast|output|rendered|extra|single|additional|video|"
    r"same|next|first|last)\s+){0,2}second\b(?!s))[^$;,]{0,40}$", re.I)
#: "$0.3024, about $0.30": the second amount restates the first
_RESTATED = re.compile(r"\s*[,(]?\s*(?:or|about|around|roughly|approximately|that\s+is|"
                       r"i\.e\.|so)?\s*$", re.I)
_RATE_AFTER = re.compile(
    r"\s*(?:per|for\s+(?:every|each)|/|a|for)\s*(?P<scale>1,000|1000|1k|(?:a\s+)?thousand|"
    r"1,000,000|1000000|1m|(?:a\s+)?million)\s+tokens\b", re.I)
_APPROX = re.compile(r"(?:\babout|\baround|\broughly|\bapproximately|\bapprox\.?|~|\bnearly|"
                     r"\balmost|\bclose\s+to|\bjust\s+over|\bjust\s+under|\bsome|\bcirca|"
                     r"\bon\s+the\s+order\s+of)\s*$", re.I)
_AT_MOST = re.compile(r"(?:\bunder|\bbelow|\bless\s+than|\bat\s+most|\bno\s+more\s+than|"
                      r"\bup\s+to|\bwithin|\bcheaper\s+than|\bnot\s+more\s+than)\s*$", re.I)
_AT_LEAST = re.compile(r"(?:\bover|\babove|\bmore\s+than|\bat\s+least|\bupwards\s+of|"
                       r"\bdearer\s+than)\s*$", re.I)
#: a figure set against another: its context is not the other's
_CONTRAST = re.compile(r"(?:\binstead\s+of|\brather\s+than|\bagainst|\bcompared\s+(?:with|to)|"
                       r"\bversus|\bvs\.?|\bthan|\bup\s+from|\bdown\s+from)\s*$", re.I)
#: a bare number after "with", read as input seconds where the sentence names some
_BARE_WITH = re.compile(rf"\bwith\s+(?P<n>{NUM})(?=\s*[.,;)]|\s*$)", re.I)
#: an approximate amount may lie this far (a fraction) from the price
APPROX_TOLERANCE = Fraction(5, 100)


def amounts(text: str) -> list[tuple[int, Decimal, int, str]]:
    """(offset, amount, decimals, as written) of every dollar amount in ``text``."""
    if "$" not in text:
        return []
    found = []
    for m in AMOUNT.finditer(text):
        whole, frac = m.group(1).replace(",", ""), m.group(2) or ""
        found.append((m.start(), Decimal(f"{whole}.{frac}" if frac else whole), len(frac),
                      m.group()))
    return found


@dataclass(frozen=True)
class Scope:
    """The renders an amount may be the price of (each a tuple of what is allowed)."""

    kind: str  # "second", "total", "rate", "any"
    tiers: tuple[str, ...]
    resolutions: tuple[str, ...]
    ratios: tuple[str, ...]
    durations: tuple[int, ...]
    #: (False,), (True,) or (False, True): whether video inputs count
    reference_video: tuple[bool, ...]
    input_seconds: tuple[int, ...]
    saving: bool
    #: the rate is quoted per million tokens instead of per 1,000
    per_million: bool = False

    def describe(self, model) -> str:
        """The context, as the message names it ("fast, 720p, 5 s")."""
        parts = []
        if len(self.tiers) < len(model.tiers):
            parts.append(" or ".join(self.tiers))
        if len(self.resolutions) < len(model.resolutions):
            parts.append(" or ".join(self.resolutions))
        if len(self.ratios) < len(model.aspect_ratios):
            parts.append(" or ".join(self.ratios))
        if self.kind in ("total", "any") and len(self.durations) < len(model.durations):
            parts.append(" or ".join(f"{d} s" for d in self.durations))
        return ", ".join(parts)


class PriceBook:
    """The prices a pricing model gives, worked out once per scope for one run
    (the check's context holds one): a thousand posts ask for the same scopes."""

    def __init__(self, model):
        self.model = model
        #: scope -> {exact price: the render that gives it}
        self.by_scope: dict[Scope, dict[Fraction, str]] = {}
        #: (scope, decimals) -> {rounded price: exact price}
        self.rounded: dict[tuple[Scope, int], dict[Decimal, Fraction]] = {}


def _candidates(book: PriceBook, scope: Scope) -> dict[Fraction, str]:
    """Every exact price the formula gives in ``scope``, each with the render
    that gives it ("fast, 720p 16:9, 5 s")."""
    if scope not in book.by_scope:
        book.by_scope[scope] = _compute_candidates(book.model, scope)
    return book.by_scope[scope]


def _compute_candidates(model, scope: Scope) -> dict[Fraction, str]:
    found: dict[Fraction, str] = {}
    if scope.kind in ("rate", "any"):
        scale = 1000 if scope.per_million else 1
        unit = "million" if scope.per_million else "1,000"
        for t in scope.tiers:
            found.setdefault(P.rate(model, t) * scale, f"the {t} rate per {unit} tokens")
    if scope.kind == "rate":
        return found
    for res in scope.resolutions:
        for ratio in scope.ratios:
            for ref in scope.reference_video:
                per_s = {t: P.per_second(model, t, res, ratio, ref) for t in model.tiers}
                frame = f"{res} {ratio}" + (" with video inputs" if ref else "")
                values = [(per_s[t], t) for t in scope.tiers]
                if scope.saving and len(per_s) > 1:
                    values.append((per_s["standard"] - per_s["fast"], "standard minus fast"))
                if scope.kind in ("second", "any"):
                    for v, t in values:
                        found.setdefault(v, f"{t}, {frame}, per second")
                if scope.kind in ("total", "any"):
                    extras = scope.input_seconds if ref else (0,)
                    for v, t in values:
                        for d in scope.durations:
                            for e in extras:
                                found.setdefault(v * (d + e), f"{t}, {frame}, {d} s" + (
                                    f" with {e} s of input" if e else ""))
    return found


def _rounded(book: PriceBook, scope: Scope, places: int) -> dict[Decimal, Fraction]:
    """The prices in ``scope`` rounded half up to ``places`` decimals."""
    key = (scope, places)
    if key not in book.rounded:
        table: dict[Decimal, Fraction] = {}
        for c in _candidates(book, scope):
            table.setdefault(P.round_half_up(c, places), c)
        book.rounded[key] = table
    return book.rounded[key]


def _verdict(book: PriceBook, scope: Scope, amount: Decimal, decimals: int, how: str
             ) -> tuple[bool, Fraction | None]:
    """(passes, the nearest price in scope) for one amount."""
    prices = _candidates(book, scope)
    if not prices:
        return False, None
    places = max(decimals, 2)
    target = amount.quantize(Decimal(1).scaleb(-places))
    if how == "exact" and target in _rounded(book, scope, places):
        return True, None
    exact = Fraction(amount)
    nearest = min(prices, key=lambda c: abs(c - exact))
    if how == "at_most":
        return any(c <= exact for c in prices), nearest
    if how == "at_least":
        return any(c >= exact for c in prices), nearest
    if how == "approx":
        written = amount.quantize(Decimal(1).scaleb(-decimals))
        ok = written in _rounded(book, scope, decimals) \
            or abs(nearest - exact) <= nearest * APPROX_TOLERANCE
        return ok, nearest
    return False, nearest


def _kind(sentence: Sentence, at: int, end: int) -> tuple[str, bool]:
    """("second", "rate", "total" or "any", per million) for the amount at
    ``at``..``end`` of the sentence."""
    text = sentence.text
    after = text[end:end + 40]
    m = _RATE_AFTER.match(after)
    if m:
        return "rate", "m" in m["scale"].lower() or "0,000" in m["scale"] \
            or m["scale"].replace(",", "") == "1000000"
    if _PER_SECOND_AFTER.match(after):
        return "second", False
    before = text[max(0, at - 60):at]
    if "second" in before.lower() and _PER_SECOND_BEFORE.search(before):
        return "second", False
    for start, stop, names in sentence.clauses:
        if start <= at < stop:
            return ("total" if names.lengths[0] else "any"), False
    return "any", False


def scope_of(sentence: Sentence, at: int, end: int, model,
             starts: list[int] | None = None) -> Scope:
    kind, per_million = _kind(sentence, at, end)
    if starts is None:
        starts = [a for a, *_ in amounts(sentence.text)]

    def owns(start: int, stop: int) -> bool:
        return any(start <= a < stop for a in starts)

    if _CONTRAST.search(sentence.text, max(0, at - 25), at):
        # "$1.21 instead of $1.51": the other figure is another render's
        tiers, named_res, ratios = frozenset(model.tiers), frozenset(), frozenset()
    else:
        tiers = sentence.pick_at("tiers", at, owns) or frozenset(model.tiers)
        named_res = sentence.pick_at("resolutions", at, owns)
        ratios = sentence.pick_at("ratios", at, owns) or frozenset(model.aspect_ratios)
    priced = tuple(r for r in model.resolutions if not named_res or r in named_res)
    ratios = ratios or frozenset(model.aspect_ratios)
    out = sentence.names.seconds or sentence.elsewhere("seconds")
    inputs = sentence.names.input_seconds or sentence.elsewhere("input_seconds")
    if inputs:
        # "... with 3 seconds of input video, and $1.63 with 4": the bare number too
        inputs = inputs | {number(m["n"]) for m in _BARE_WITH.finditer(sentence.text)}
    durations = tuple(sorted(d for d in out if d in model.durations)) if out \
        else model.durations
    reference = _reference_video(sentence, at)
    low, high = model.video_input_seconds
    input_seconds = tuple(sorted(inputs)) if inputs else (0, *range(low, high + 1))
    return Scope(kind, tuple(t for t in model.tiers if t in tiers), priced,
                 tuple(r for r in model.aspect_ratios if r in ratios), durations, reference,
                 input_seconds, sentence.names.saving or sentence.elsewhere("saving"),
                 per_million)


def _how(before: str) -> str:
    if _APPROX.search(before):
        return "approx"
    if _AT_MOST.search(before):
        return "at_most"
    if _AT_LEAST.search(before):
        return "at_least"
    return "exact"


def judge(sentence: Sentence, book: PriceBook, competitor: frozenset[Decimal] = frozenset()
          ) -> list[tuple[int, str]]:
    """(offset in the sentence, message) for each amount the formula does not
    give in the sentence's context."""
    if not sentence.about_our_model:
        return []
    model = book.model
    found = []
    previous = None
    found_amounts = amounts(sentence.text)
    starts = [a for a, *_ in found_amounts]
    for at, amount, decimals, written in found_amounts:
        end = at + len(written)
        if amount in competitor and _names_other(sentence):
            continue
        if previous is not None and _RESTATED.fullmatch(sentence.text[previous[0]:at]):
            scope = previous[1]  # "$0.3024, about $0.30": the same price again
        else:
            scope = scope_of(sentence, at, end, model, starts)
        suffix = _PER_SECOND_AFTER.match(sentence.text, end) or \
            _RATE_AFTER.match(sentence.text, end)
        previous = (suffix.end() if suffix else end, scope)
        if not scope.resolutions:
            found.append((at, f"{written}: the formula prices only "
                              f"{' and '.join(model.resolutions)} renders (an unconfirmed "
                              "resolution is not priced; data/limits.yml)"))
            continue
        if not scope.durations:
            found.append((at, f"{written}: no render of the length named; the model renders "
                              f"{model.durations[0]} to {model.durations[-1]} seconds"))
            continue
        how = _how(sentence.text[max(0, at - 30):at])
        ok, nearest = _verdict(book, scope, amount, decimals, how)
        if ok:
            continue
        label = _candidates(book, scope).get(nearest) if nearest is not None else None
        found.append((at, _message(written, decimals, scope, nearest, label, how, model)))
    return found


def _names_other(sentence: Sentence) -> bool:
    """A sentence that names no model, in a paragraph that names another one
    (a table row of the comparison, a figure quoted after its model)."""
    return not sentence.named and any(s.subject in ("other", "both")
                                      for s in sentence.block.sentences)


_WITHOUT = re.compile(r"\b(?:without|no|not)\b", re.I)


def _reference_video(sentence: Sentence, at: int) -> tuple[bool, ...]:
    """Whether the price at ``at`` counts video inputs: only, when its clause
    speaks of them ("with video inputs, a second costs $0.1814"); not, when
    it rules them out ("without video references"); either, when only the
    sentence or its paragraph speaks of them; not, when nothing does."""
    for start, end, names in sentence.clauses:
        if start <= at < end and names.reference_video:
            return (False,) if _WITHOUT.search(names.text) else (True,)
    if sentence.names.reference_video or sentence.elsewhere("reference_video"):
        return (False, True)
    return (False,)


def _message(written: str, decimals: int, scope: Scope, nearest: Fraction | None,
             label: str | None, how: str, model) -> str:
    where = scope.describe(model)
    what = {"second": "per-second price", "rate": "rate", "total": "price of one render",
            "any": "price"}[scope.kind]
    context = f" for {where}" if where else ""
    rounding = {"approx": "even approximately", "at_most": "as an upper bound",
                "at_least": "as a lower bound"}.get(how, f"at {max(decimals, 2)} decimals")
    near = ""
    if nearest is not None:
        if scope.kind == "rate" or (label or "").endswith("tokens"):
            shown = f"${format(Decimal(nearest.numerator) / nearest.denominator, 'f')}"
        elif scope.kind == "second" or (label or "").endswith("per second"):
            shown = P.format_per_second(nearest)
        else:
            shown = P.format_total(nearest)
        near = f"; the nearest is {shown} ({label})"
    return (f"{written} is not a {what} the formula gives{context} ({rounding}){near}: "
            "compute it with {{ price(...) }} or {{ price_per_second(...) }}")


def block_findings(block, book: PriceBook, competitor: frozenset[Decimal] = frozenset()
                   ) -> list[tuple[int, str]]:
    """(offset in the block, message) of each amount of ``block`` the formula
    does not give in its context."""
    found = []
    for sentence in block.sentences:
        if "$" in sentence.text:
            found += [(sentence.offset - block.offset + at, why)
                      for at, why in judge(sentence, book, competitor)]
    return found


def check(src: Source, prose: str, ctx: Context, *, yaml: bool = False) -> None:
    model = ctx.pricing
    if model is None or src.path.name in COMPETITOR_FILES or "$" not in prose:
        return
    if ctx.price_book is None:
        ctx.price_book = PriceBook(model)
    book = ctx.price_book
    competitor = ctx.competitor_figures
    memo = ctx.block_findings
    for block in blocks(prose, yaml=yaml):
        if "$" not in block.text:
            continue
        key = ("price", block.text)
        if key not in memo:
            memo[key] = block_findings(block, book, competitor)
        for at, why in memo[key]:
            src.add_at(block.offset + at, codes.PRICE, why)

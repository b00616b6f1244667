"""Reading one of fal's llms.txt model pages: its input fields and its pricing paragraph.

fal publishes each endpoint's schema and price as plain Markdown at
``https://fal.ai/models/<endpoint-id>/llms.txt``. The layout, as read:

- ``# Title``, a ``>`` summary, ``## Overview`` (``**Model ID**`` among its bullets);
- ``## Pricing``: one paragraph of prose, for example "For every second of
  720p video you generated, you will be charged **$0.2419/second**. Your
  request will cost **$0.0112** per 1000 tokens. The number of tokens is
  given by (height of output video * width of output video * duration * 24)
  / 1024.";
- ``### Input Schema``: one bullet per field,
  ``- **`name`** (`Type`, _required_):`` then the description, then
  sub-bullets ``- Default: `"720p"``` and ``- Options: `"480p"`, `"720p"```;
- the output schema and usage examples after it.

:func:`parse_page` turns that text into a :class:`FalPage`. Prices are prose,
so the pricing paragraph is read defensively: every figure is looked for on
its own, and a figure that is not found is ``None`` (the comparison decides
whether it needed it). A page whose layout no longer has what the comparison
relies on (no pricing section, no input schema, a page that ends inside it)
raises :class:`PageError`: it is never read as "nothing changed".
Pure functions, no I/O.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


class PageError(Exception):
    """This page cannot be judged (not fal's llms.txt, laid out differently, cut
    short, too large); the message says why."""


@dataclass(frozen=True)
class Amount:
    """A figure as fal wrote it: its exact value and how many decimals it has."""

    value: Decimal
    decimals: int
    written: str

    @classmethod
    def of(cls, text: str) -> Amount:
        text = text.replace(",", "")
        decimals = len(text.split(".", 1)[1]) if "." in text else 0
        return cls(Decimal(text), decimals, text)


@dataclass(frozen=True)
class Field:
    name: str
    #: the type as fal writes it: string, integer, boolean, list<string>, ResolutionEnum
    type: str
    required: bool
    description: str
    #: the default as a JSON value ("720p", 5, False); None when fal gives none
    default: Any = None
    has_default: bool = False
    #: the allowed values as JSON values; None when fal lists none
    options: tuple[Any, ...] | None = None
    #: line of the field's bullet on the page
    line: int = 0


@dataclass(frozen=True)
class Formula:
    """The token formula as fal writes it: ``(height * width * duration * 24) / 1024``."""

    text: str
    #: the frame rate when written as a number; None when it is a name (FPS)
    frame_rate: int | None
    #: the name written for the frame rate (FPS), "" when it is a number
    frame_rate_name: str
    divisor: int
    #: the formula counts the input video seconds with the output seconds
    counts_input_seconds: bool
    #: terms that are none of height, width, duration and frame rate
    unknown_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pricing:
    text: str
    #: "For every second of 720p video ... $0.2419/second"
    per_second_720p: Amount | None = None
    #: "$0.0112 per 1000 tokens"
    rate_per_1k: Amount | None = None
    #: Seedance 1.5 Pro: "1 million video tokens with audio costs $2.4", and without audio
    rate_per_1m_audio: Amount | None = None
    rate_per_1m_silent: Amount | None = None
    formula: Formula | None = None
    #: reference-to-video: "If video inputs are provided the price is multiplied by 0.6"
    reference_multiplier: Amount | None = None
    #: "With video inputs and 720p resolution the price is $0.1814 per second"
    reference_per_second_720p: Amount | None = None
    #: "Each 720p 5 second video with audio costs roughly $0.26": (resolution, seconds,
    #: audio, amount)
    example: tuple[str, int, bool, Amount] | None = None


@dataclass(frozen=True)
class FalPage:
    title: str
    model_id: str
    pricing: Pricing
    fields: dict[str, Field] = field(default_factory=dict)
    #: line of the Input Schema heading and of the Pricing heading
    inputs_line: int = 0
    pricing_line: int = 0


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_FIELD = re.compile(r"^- \*\*`(?P<name>[^`]+)`\*\*\s*\(`(?P<type>[^`]*)`"
                    r"(?:\s*,\s*_(?P<req>required|optional)_)?\)\s*:?\s*(?P<rest>.*)$")
_SUB = re.compile(r"^\s+[-*]\s+(?P<key>[A-Za-z][A-Za-z ]*?):\s*(?P<value>.*)$")
_TICKED = re.compile(r"`([^`]*)`")
_MODEL_ID = re.compile(r"^\s*[-*]\s+\*\*Model ID\*\*\s*:\s*`([^`]+)`", re.M)
_NUMBER = r"([0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?|\.[0-9]+)"


@dataclass(frozen=True)
class _Section:
    level: int
    title: str
    #: 0-based index of the heading line, and one past the section's last line
    start: int
    end: int
    #: the section runs to the end of the page (no heading after it)
    last: bool


def _sections(lines: list[str]) -> list[_Section]:
    heads: list[tuple[int, str, int]] = []
    fenced = False
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        m = _HEADING.match(line)
        if m:
            heads.append((len(m.group(1)), m.group(2).strip(), i))
    if fenced:
        raise PageError("the page ends inside a code block: it was cut short")
    out = []
    for n, (level, title, start) in enumerate(heads):
        end = next((s for lv, _t, s in heads[n + 1:] if lv <= level), len(lines))
        out.append(_Section(level, title, start, end, end == len(lines)))
    return out


def _find(sections: list[_Section], title: str) -> _Section | None:
    return next((s for s in sections if s.title.lower() == title.lower()), None)


def literal(text: str) -> Any:
    """A backticked value as JSON when it is JSON ("720p" is text, 5 a number)."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def _fields(lines: list[str], section: _Section) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    current: dict[str, Any] | None = None

    def close() -> None:
        if current is not None and current["name"] not in fields:
            fields[current["name"]] = Field(
                current["name"], current["type"], current["required"],
                " ".join(current["text"]).strip(), current["default"], current["has_default"],
                current["options"], current["line"])

    fenced = False
    for i in range(section.start + 1, section.end):
        line = lines[i]
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        m = _FIELD.match(line)
        if m:
            close()
            current = {"name": m["name"].strip(), "type": m["type"].strip(),
                       "required": m["req"] == "required", "text": [m["rest"]],
                       "default": None, "has_default": False, "options": None, "line": i + 1}
            continue
        if current is None or not line.strip():
            continue
        if not line[0].isspace():
            close()  # text of the section itself ("**Required Parameters Example**:")
            current = None
            continue
        sub = _SUB.match(line)
        if sub:
            key, value = sub["key"].strip().lower(), sub["value"]
            ticked = _TICKED.findall(value)
            if key == "default" and ticked:
                current["default"], current["has_default"] = literal(ticked[0]), True
            elif key in ("options", "possible values", "enum") and ticked:
                current["options"] = tuple(literal(t) for t in ticked)
            continue
        current["text"].append(line.strip())
    close()
    for name, f in list(fields.items()):
        if not f.has_default:
            m = re.search(r"Default value:\s*`([^`]*)`", f.description)
            if m:
                fields[name] = Field(f.name, f.type, f.required, f.description,
                                     literal(m.group(1)), True, f.options, f.line)
    return fields


def _amount(pattern: str, text: str) -> Amount | None:
    m = re.search(pattern, text, re.I)
    return Amount.of(m.group(1)) if m else None


def _split_terms(expr: str) -> list[str]:
    """The factors of ``a * b x (c + d) x 24``, split at the top level only."""
    terms, depth, start = [], 0, 0
    i = 0
    while i < len(expr):
        ch = expr[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and (ch in "*\u00d7" or (ch == "x" and expr[i - 1:i] == " "
                                                  and expr[i + 1:i + 2] == " ")):
            terms.append(expr[start:i])
            start = i + 1
        i += 1
    terms.append(expr[start:])
    return [t.strip() for t in terms if t.strip()]


def _formula(text: str) -> Formula | None:
    for m in re.finditer(r"\(((?:[^()]|\([^()]*\))*)\)\s*/\s*([0-9][0-9,]*)", text):
        inner, divisor = m.group(1), int(m.group(2).replace(",", ""))
        low = inner.lower()
        if "height" not in low or "width" not in low:
            continue
        rate: int | None = None
        rate_name = ""
        counts_input = False
        unknown = []
        seen_duration = False
        for term in _split_terms(inner):
            word = term.strip("() ").lower()
            if "height" in word or "width" in word:
                continue
            if "duration" in word or "second" in word:
                seen_duration = True
                counts_input = counts_input or "input" in word
            elif re.fullmatch(r"[0-9]+", word):
                rate = int(word)
            elif word in ("fps", "frame rate", "frame_rate", "frames per second"):
                rate_name = term.strip("() ")
            else:
                unknown.append(term)
        if not seen_duration:
            unknown.append("(no duration)")
        return Formula(m.group(0), rate, rate_name, divisor, counts_input, tuple(unknown))
    return None


def _example(text: str) -> tuple[str, int, bool, Amount] | None:
    m = re.search(r"each\s+([0-9]+p)\s+([0-9]+)[- ]second\s+video\s+(with|without)\s+audio\s+"
                  r"costs\s+(?:roughly\s+|about\s+|around\s+)?\$\s*" + _NUMBER, text, re.I)
    if not m:
        return None
    return m.group(1), int(m.group(2)), m.group(3).lower() == "with", Amount.of(m.group(4))


def parse_pricing(text: str) -> Pricing:
    """Every figure the pricing paragraph states (``None`` for one it does not)."""
    plain = re.sub(r"\s+", " ", text.replace("**", "").replace("__", ""))
    return Pricing(
        text=plain.strip(),
        per_second_720p=_amount(r"every second of 720p video[^$]*\$\s*" + _NUMBER
                                + r"\s*(?:/|per)\s*second", plain),
        rate_per_1k=_amount(r"\$\s*" + _NUMBER + r"\s*per\s*1,?000\s*tokens", plain),
        rate_per_1m_audio=_amount(r"(?:1|one)\s+million\s+(?:video\s+)?tokens\s+with\s+audio\s+"
                                  r"costs?\s+\$?\s*" + _NUMBER, plain),
        rate_per_1m_silent=_amount(r"without\s+audio,?\s+the\s+price\s+is\s+\$?\s*" + _NUMBER
                                   + r"\s*(?:USD\s*)?per\s+(?:1\s+)?mil\w*\s+tokens", plain),
        formula=_formula(plain),
        reference_multiplier=_amount(r"multiplied\s+by\s+" + _NUMBER, plain),
        reference_per_second_720p=_amount(r"with\s+video\s+inputs\s+and\s+720p\s+resolution\s+"
                                          r"the\s+price\s+is\s+\$\s*" + _NUMBER, plain),
        example=_example(plain),
    )


def parse_page(text: str) -> FalPage:
    """The fields and pricing of one llms.txt page; :class:`PageError` when the
    page lacks what a judgement needs."""
    stripped = text.lstrip()
    if stripped[:15].lower().startswith(("<!doctype", "<html")) or "<body" in text[:2000]:
        raise PageError("an HTML page, not fal's plain-text llms.txt")
    lines = text.split("\n")
    sections = _sections(lines)
    title = next((s.title for s in sections if s.level == 1), "")
    if not title:
        raise PageError("no '# Title' line: this is not one of fal's llms.txt pages")
    m = _MODEL_ID.search(text)
    model_id = m.group(1).strip() if m else ""

    pricing_section = _find(sections, "Pricing")
    if pricing_section is None:
        raise PageError("no '## Pricing' section (fal's layout changed?)")
    body = "\n".join(lines[pricing_section.start + 1:pricing_section.end])
    if not body.strip():
        raise PageError("the '## Pricing' section is empty")

    inputs = _find(sections, "Input Schema")
    if inputs is None:
        raise PageError("no '### Input Schema' section (fal's layout changed?)")
    if inputs.last:
        raise PageError("the page ends inside its Input Schema (it was cut short)")
    fields = _fields(lines, inputs)
    if not fields:
        raise PageError("the '### Input Schema' section lists no fields (fal's layout "
                              "changed?)")
    return FalPage(title, model_id, parse_pricing(body), fields, inputs.start + 1,
                   pricing_section.start + 1)

"""The one renderer of computed names in pages, posts and FAQ answers.

Markdown is a Jinja template: a guide writes ``{{ price("standard", "720p", 5) }}``
and never types a figure. The build renders with :func:`render_text`; the
ship check calls :func:`template_findings`, which runs the very same
rendering on the template constructs only (the text between them cannot
change the outcome), cached by those constructs, so a check of a thousand
posts stays quick. Both turn a failure into one :class:`Diagnostic` through
:func:`diagnose`, so the check reports exactly what the build would stop
on, at the same line and column:

- a syntax error at its construct; an unclosed ``{% for %}`` or ``{{`` at
  its opening tag, not at the end of the file where Jinja notices it;
- an unknown name at the expression that uses it;
- a computed name called wrongly (``price("standard", "9000p", 5)``,
  ``price()``) at its expression, with the reason the name gave;
- braces in code (a Python f-string's ``{{``) with the way to keep them as
  text, and an unknown name with the names there are and how to write
  literal braces.

An :class:`Origin` maps a template's lines to the file it came from: a
page's body starts after its front matter; a FAQ answer sits inside a YAML
scalar, so its expressions are found in the file's text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import jinja2

from .. import codes
from ..content.markdown import code_spans
from ..content.schema import nearest
from ..content.source import Positions
from ..diagnostics import Diagnostic
from ..errors import ContentError


class Unavailable(Exception):
    """A name whose data could not be loaded (its own file's findings say why).

    The check renders with whatever loaded; an expression that needs a broken
    file is not reported again against the page that uses it.
    """


def make_environment(autoescape: bool = True) -> jinja2.Environment:
    return jinja2.Environment(
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


#: pages and posts (values from YAML are escaped) and FAQ answers (plain text,
#: escaped later by the FAQ's own Markdown subset)
PAGE_ENV = make_environment(autoescape=True)
TEXT_ENV = make_environment(autoescape=False)

_OPENERS = re.compile(r"\{[{%#]")
_CLOSE = {"{{": "}}", "{%": "%}", "{#": "#}"}
_TAG = re.compile(r"\{%[-+]?\s*(\w+)")
_LOCALS = re.compile(r"[\w.]*<locals>[.]")
_BLOCK_TAGS = {"for", "if", "macro", "call", "filter", "with", "block", "autoescape", "trans"}


def has_template(text: str) -> bool:
    return "{{" in text or "{%" in text or "{#" in text


@dataclass(frozen=True)
class Construct:
    start: int
    #: one past the closing delimiter; -1 when it is never closed
    end: int
    kind: str

    @property
    def text_end(self) -> int:
        return self.end


def constructs(text: str) -> list[Construct]:
    """Every ``{{ }}``, ``{% %}`` and ``{# #}`` of ``text`` with its offsets (raw
    blocks are one data span; an opener never closed ends the list)."""
    found: list[Construct] = []
    pos = 0
    while True:
        m = _OPENERS.search(text, pos)
        if m is None:
            return found
        kind = m.group()
        close = text.find(_CLOSE[kind], m.end())
        if close < 0:
            found.append(Construct(m.start(), -1, kind))
            return found
        found.append(Construct(m.start(), close + 2, kind))
        pos = close + 2
        tag = _TAG.match(text, m.start())
        if kind == "{%" and tag and tag.group(1) == "raw":
            end = re.compile(r"\{%[-+]?\s*endraw\s*[-+]?%\}").search(text, pos)
            if end is None:
                return found
            found.append(Construct(end.start(), end.end(), "{%"))
            pos = end.end()


def skeleton(text: str, found: list[Construct] | None = None) -> str:
    """Only the constructs of ``text``, each on its own line as before: Jinja gives
    the same outcome on it, and parses it far quicker than the whole page."""
    out, pos = [], 0
    for c in found if found is not None else constructs(text):
        out.append("\n" * text.count("\n", pos, c.start))
        if c.end < 0:
            out.append(text[c.start:])
            return "".join(out)
        out.append(text[c.start:c.end])
        pos = c.end
    return "".join(out)


@dataclass
class Origin:
    """Where a template's text comes from: the file shown in findings, and how
    a (line, column) of the template maps to a (line, column) of that file."""

    path: str
    line_offset: int = 0
    #: maps (template line, template column, construct text) to the file's (line, column)
    locate: Callable[[int, int, str], tuple[int, int]] | None = None

    def place(self, line: int, column: int, snippet: str = "") -> tuple[int, int]:
        if self.locate is not None:
            return self.locate(line, column, snippet)
        return line + self.line_offset, column


def _find_words(text: str, snippet: str, start: int) -> int:
    """Where ``snippet`` is written in a YAML file's ``text``: its words in order,
    any whitespace or line break between them, a quote possibly escaped (a
    double-quoted scalar)."""
    words = snippet.split()
    if not words:
        return -1
    parts = [re.escape(w).replace('"', '\\\\?"') for w in words]
    m = re.compile(r"\s+".join(parts)).search(text, start)
    return m.start() if m else -1


def scalar_origin(path: str, text: str, value_line: int) -> Origin:
    """Positions in a YAML scalar (a FAQ answer, a rule statement), mapped to its
    file: the scalar may be folded or quoted, so each expression is looked up
    in the file's text from the line the value starts on."""
    pos = Positions(text) if text else None

    def locate(line: int, column: int, snippet: str) -> tuple[int, int]:
        if pos is None:
            return value_line, 1
        at = _find_words(text, snippet, pos.offset(value_line))
        return pos.at(at) if at >= 0 else (value_line, 1)

    return Origin(path, locate=locate)


def _template_line(err: BaseException) -> int | None:
    """The template line an exception came from (Jinja keeps it in the traceback)."""
    line = None
    tb = err.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _on_line(found: list[Construct], pos: Positions, line: int) -> list[Construct]:
    first, last = pos.offset(line), pos.offset(line + 1) if line < len(pos.starts) else None
    out = []
    for c in found:
        end = c.end if c.end >= 0 else len(pos.text)
        if c.start < (last if last is not None else len(pos.text) + 1) and end > first:
            out.append(c)
    return out


def _unclosed(text: str, found: list[Construct]) -> Construct | None:
    """The innermost block tag never closed, or an opener never closed."""
    stack: list[tuple[str, Construct]] = []
    for c in found:
        if c.end < 0:
            return c
        if c.kind != "{%":
            continue
        m = _TAG.match(text, c.start)
        if not m:
            continue
        name = m.group(1)
        if name in _BLOCK_TAGS or (name == "set" and "=" not in text[c.start:c.end]):
            stack.append((name, c))
        elif name.startswith("end"):
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name[3:]:
                    del stack[i:]
                    break
    return stack[-1][1] if stack else None


def _culprit(text: str, found: list[Construct], pos: Positions, line: int,
             name: str | None = None, env: jinja2.Environment = PAGE_ENV) -> Construct | None:
    """The construct on ``line`` that caused the error: the one naming ``name``,
    else the first expression that does not parse alone, else the first."""
    here = _on_line(found, pos, line)
    if not here:
        return None
    if name:
        word = re.compile(rf"(?<![\w.]){re.escape(name)}(?!\w)")
        for c in here:
            if word.search(text, c.start, c.end if c.end >= 0 else len(text)):
                return c
    for c in here:
        if c.kind == "{{":
            try:
                env.parse(text[c.start:c.end])
            except jinja2.TemplateSyntaxError:
                return c
    return here[0]


_OFFSET = re.compile(r" at \d+$")
_RAW_HINT = {
    "a code block": "put the block between {% raw %} and {% endraw %}, each on a line of its "
                    "own around the fences, or write {{ '{{' }} for two braces",
    "inline code": "put the code span between {% raw %} and {% endraw %}, or write "
                   "{{ '{{' }} for two braces",
}


def _in_code(text: str, offset: int) -> str | None:
    """"a code block" or "inline code" when ``offset`` lies in one, else None."""
    if "```" in text or "~~~" in text:
        for start, end in code_spans(text):
            if start <= offset < end:
                return "a code block"
    line_start = text.rfind("\n", 0, offset) + 1
    if text.count("`", line_start, offset) % 2:
        return "inline code"
    return None


def _unknown_name(name: str, snippet: str, names: Iterable[str] | None) -> str:
    """What to say about a name no computed name has."""
    known = sorted(n for n in names or () if not n.startswith("_"))
    near = nearest(name, known) if known else None
    if near is not None:
        return f"unknown name '{name}' (did you mean '{near}'?)"
    what = f"unknown name '{name}'"
    if known:
        what += f": the names a page can use are {', '.join(known)}"
    literal = snippet if snippet.startswith("{{") and snippet.endswith("}}") \
        else "{{ " + name + " }}"
    return what + f"; to show the braces as text, write {{% raw %}}{literal}{{% endraw %}}"


def diagnose(err: Exception, text: str, origin: Origin,
             env: jinja2.Environment = PAGE_ENV, names: Iterable[str] | None = None
             ) -> Diagnostic:
    """The finding for ``err``, raised while rendering ``text`` (the full template
    text, whichever part of it was rendered); ``names`` are the computed names
    the text was rendered with, listed when it uses one that is not there."""
    found = constructs(text)
    pos = Positions(text)
    rule = codes.TEMPLATE
    name = None
    if isinstance(err, jinja2.TemplateSyntaxError):
        line = err.lineno or 1
        what = f"template error: {_OFFSET.sub('', err.message or '')}"
        culprit = None
        if "nexpected end of template" in (err.message or ""):
            culprit = _unclosed(text, found)
            if culprit is not None and culprit.end < 0:
                what = f"template error: {_CLOSE[culprit.kind]!r} is missing to close this " \
                       f"{culprit.kind!r}"
            elif culprit is not None:
                tag = _TAG.match(text, culprit.start).group(1)
                what = f"template error: this {{% {tag} %}} is never closed " \
                       f"(no {{% end{tag} %}})"
        if culprit is None:
            culprit = _culprit(text, found, pos, line, env=env)
    else:
        line = _template_line(err) or 1
        if isinstance(err, jinja2.UndefinedError):
            m = re.search(r"'([^']+)' is undefined", str(err.message or ""))
            name = m.group(1) if m else None
            what = f"unknown name: {err.message}"
        elif isinstance(err, KeyError):
            what = f"computed value failed: {err.args[0] if err.args else err}"
        else:
            what = "computed value failed: " + _LOCALS.sub("", str(err))
        culprit = _culprit(text, found, pos, line, name, env)
    if culprit is not None:
        line, column = pos.at(culprit.start)
        snippet = text[culprit.start:culprit.end if culprit.end >= 0 else len(text)]
    else:
        column, snippet = 1, ""
    code = _in_code(text, culprit.start) if culprit is not None else None
    if code is not None:
        why = (f"'{name}' is not one" if name is not None
               else f"it does not parse: {what.removeprefix('template error: ')}")
        what = (f"this {culprit.kind} in {code} is read as a computed name, since a page is "
                f"a template, and {why}; {_RAW_HINT[code]}")
    elif name is not None and isinstance(err, jinja2.UndefinedError):
        what = _unknown_name(name, snippet, names)
    file_line, file_column = origin.place(line, column, snippet)
    return Diagnostic(origin.path, file_line, file_column, rule.code, what, rule.severity)


#: what a render may raise from a computed name or a template
_FAILURES = (Exception,)


@functools.lru_cache(maxsize=512)
def _compiled(env: jinja2.Environment, text: str) -> jinja2.Template:
    """A template compiled once per text: FAQ answers and rules are included on
    several pages, and a check renders many posts with the same expressions."""
    return env.from_string(text)


def render_text(text: str, names: dict[str, Any], origin: Origin,
                env: jinja2.Environment = PAGE_ENV) -> str:
    """``text`` with its computed names rendered; a failure raises ContentError
    at the line and column of the expression."""
    if not has_template(text):
        return text
    try:
        return _compiled(env, text).render(**names)
    except ContentError:
        raise  # a nested render (a FAQ answer) already placed its own finding
    except Unavailable as err:
        raise ContentError(Diagnostic(origin.path, 1 + origin.line_offset, 1, codes.TEMPLATE.code,
                                      f"computed value unavailable: {err}",
                                      codes.TEMPLATE.severity)) from None
    except _FAILURES as err:
        raise ContentError(diagnose(err, text, origin, env, names)) from None


@dataclass
class RenderCache:
    """Outcomes of rendering template skeletons in one check run: pages often
    share their expressions, and a thousand posts share many."""

    #: (the environment escapes, skeleton) -> the exception, or None when it rendered
    outcomes: dict[tuple[bool, str], Exception | None] = field(default_factory=dict)


def template_findings(text: str, names: dict[str, Any], origin: Origin,
                      cache: RenderCache | None = None,
                      env: jinja2.Environment = PAGE_ENV) -> list[Diagnostic]:
    """What :func:`render_text` would raise for ``text``, found by rendering only
    its constructs: [] when it renders."""
    if not has_template(text):
        return []
    found = constructs(text)
    key = (bool(env.autoescape), skeleton(text, found))
    if cache is not None and key in cache.outcomes:
        outcome = cache.outcomes[key]
    else:
        try:
            _compiled(env, key[1]).render(**names)
            outcome = None
        except (Unavailable, ContentError):
            outcome = None  # a broken file, or a nested render, reported on its own
        except _FAILURES as err:
            outcome = err
        if cache is not None:
            cache.outcomes[key] = outcome
    if outcome is None:
        return []
    return [diagnose(outcome, text, origin, env, names)]

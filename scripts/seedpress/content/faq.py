"""The FAQ: data/faq.yml as a typed, validated model.

Each entry has a ``question`` and an ``answer``. Answers are short Markdown
(paragraphs, `code` and [links](url)) and may use the computed names of the
site (``{{ price("standard", "720p", 5) }}``), so no answer types a price.
Errors name the file and line (SP003 YAML, SP007 schema, SP008 template).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .. import ROOT
from .source import error, load_yaml, require


@dataclass(frozen=True)
class FaqEntry:
    id: str
    question: str
    #: the answer as written: Markdown that may hold {{ computed names }}
    answer: str
    line: int
    answer_line: int


@dataclass(frozen=True)
class Faq:
    path: Path
    entries: tuple[FaqEntry, ...]


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")


def _non_empty(mapping, key: str, path: Path, where: str) -> str:
    value = require(mapping, key, str, path, where)
    if not value.strip():
        raise error(path, mapping.line_of(key), "SP007", f"{where}: '{key}' is empty")
    return value.strip()


def load_faq(root: Path = ROOT) -> Faq:
    path = root / "data" / "faq.yml"
    data = load_yaml(path)
    items = require(data, "questions", list, path)
    if not items:
        raise error(path, items.line, "SP007", "questions: the list is empty")
    syntax = jinja2.Environment()
    entries: list[FaqEntry] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        line = items.line_of(i)
        if not isinstance(item, dict):
            raise error(path, line, "SP007", f"question {i + 1} must be a mapping with "
                        "'question' and 'answer'")
        where = f"question {i + 1}"
        question = _non_empty(item, "question", path, where)
        answer = _non_empty(item, "answer", path, where)
        answer_line = item.line_of("answer")
        try:
            syntax.parse(answer)
        except jinja2.TemplateSyntaxError as err:
            raise error(path, answer_line + (err.lineno or 1) - 1, "SP008",
                        f"{where}: template error in the answer: {err.message}") from None
        entry_id = str(item.get("id") or slugify(question))
        if entry_id in seen:
            raise error(path, line, "SP007",
                        f"{where}: id {entry_id!r} is used twice (first at line {seen[entry_id]})")
        seen[entry_id] = line
        entries.append(FaqEntry(entry_id, question, answer, line, answer_line))
    return Faq(path=path, entries=tuple(entries))

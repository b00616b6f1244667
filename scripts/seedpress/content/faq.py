"""The FAQ: data/faq.yml as a typed, validated model.

Each entry has a ``question`` and an ``answer`` (and an optional ``id``, the
anchor; else one is made from the question). Answers are short Markdown
(paragraphs, `code` and [links](url)) and may use the site's computed names
(``{{ price("standard", "720p", 5) }}``), so no answer types a figure. Their
expressions are run by the one renderer (:mod:`seedpress.pages.render`), in
the build and in the ship check alike, which report an error at the line
and column of the expression in this file. :func:`validate_faq` holds the
file's structural rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import codes
from . import schema
from .schema import Findings
from .slugs import slugify

FAQ_FILE = Path("data") / "faq.yml"
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


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
    #: the file's text, so that an error inside an answer can be placed exactly
    text: str = ""


def validate_faq(data: Any, f: Findings, text: str = "") -> Faq | None:
    if not schema.is_mapping(f, data, 1, "data/faq.yml"):
        return None
    schema.unknown_keys(f, data, ("questions",))
    items = schema.seq(f, data, "questions", non_empty=True)
    entries: list[FaqEntry] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items or []):
        line = items.line_of(i)
        where = f"question {i + 1}"
        if not schema.is_mapping(f, item, line, where):
            continue
        schema.unknown_keys(f, item, ("id", "question", "answer"), where)
        question = schema.text(f, item, "question", where)
        answer = schema.text(f, item, "answer", where)
        entry_id = schema.text(f, item, "id", where, required=False)
        if entry_id is not None and not ID.match(entry_id):
            f.add(codes.SCHEMA, item.line_of("id"), f"{where}: id {entry_id!r} must be "
                  "lower-case words joined by hyphens (it is the anchor)")
            continue
        if question is None or answer is None:
            continue
        entry_id = entry_id or slugify(question, 60)
        if schema.unique(f, seen, entry_id, line, f"{where}: id"):
            entries.append(FaqEntry(entry_id, question.strip(), answer.strip(), line,
                                    item.line_of("answer")))
    if f.blocking:
        return None
    return Faq(path=f.path, entries=tuple(entries), text=text)

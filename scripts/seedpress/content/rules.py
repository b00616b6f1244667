"""The rules: data/rules.yml, the one statement of each rule several pages rely on.

How fal bills reference video, where its break-even lies, what a seed does
across tiers and resolutions, which retry fits which failure, what is known
of 1080p: each is written once here, with its source, in short Markdown
that may use the computed names (so its figures are computed too). The
rules page prints them all; any page, post or FAQ answer includes one with
``{{ rule("reference-billing") }}`` or links to its anchor on the rules
page. :func:`validate_rules` is the file's one validator; the statements'
expressions are rendered by the one renderer, in the build and the check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import codes
from . import schema
from .schema import Findings

RULES_FILE = Path("data") / "rules.yml"
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_KEYS = ("id", "title", "statement", "source")


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    #: Markdown that may hold {{ computed names }}
    statement: str
    source: str
    line: int
    statement_line: int


@dataclass(frozen=True)
class Rules:
    path: Path
    rules: tuple[Rule, ...]
    #: the file's text, so an error inside a statement can be placed exactly
    text: str = ""

    def get(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(f"no rule {rule_id!r} in data/rules.yml"
                       f"{schema.did_you_mean(rule_id, [r.id for r in self.rules])}")


def validate_rules(data: Any, f: Findings, text: str = "") -> Rules | None:
    if not schema.is_mapping(f, data, 1, "data/rules.yml"):
        return None
    schema.unknown_keys(f, data, ("rules",))
    items = schema.seq(f, data, "rules", non_empty=True)
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items or []):
        where = f"rule {i + 1}"
        if not schema.is_mapping(f, item, items.line_of(i), where):
            continue
        rule_id = schema.text(f, item, "id", where)
        where = f"rule {rule_id}" if rule_id else where
        schema.unknown_keys(f, item, _KEYS, where)
        if rule_id is not None and not ID.match(rule_id):
            f.add(codes.SCHEMA, item.line_of("id"), f"{where}: an id is lower-case words "
                  "joined by hyphens (it is the anchor on the rules page)")
            rule_id = None
        values = [schema.text(f, item, key, where) for key in ("title", "statement", "source")]
        if rule_id is None or None in values:
            continue
        if schema.unique(f, seen, rule_id, item.line_of("id"), "rule id"):
            title, statement, source = values
            rules.append(Rule(rule_id, title.strip(), statement.strip(), source.strip(),
                              items.line_of(i), item.line_of("statement")))
    if f.blocking:
        return None
    return Rules(path=f.path, rules=tuple(rules), text=text)

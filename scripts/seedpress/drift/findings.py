"""Drift findings: one difference between fal's page and the data, placed at the data
line it contradicts (:class:`Doc` finds it), and merged across endpoints."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..codes import Code
from ..content.limits import Limits
from ..content.source import LineDict, LineList, read_yaml

LIMITS = Path("data") / "limits.yml"
PRICING = Path("data") / "pricing.yml"


@dataclass(frozen=True)
class Finding:
    code: Code
    file: Path
    line: int
    column: int
    #: the fact it concerns (a key of :data:`seedpress.drift.pages.FACT_NAMES`)
    fact: str
    #: the message, with ``{where}`` for the endpoints it concerns
    message: str
    endpoints: tuple[str, ...]
    #: where the merged finding goes when its endpoints sit on different lines
    list_line: tuple[int, int] | None = None


class Doc:
    """A data file as line-marked YAML: positions of keys, for findings."""

    def __init__(self, root: Path, rel: Path):
        self.rel = rel
        self.data, self.text = read_yaml(root / rel)

    def pos(self, *keys: Any) -> tuple[int, int]:
        """(line, column) of the deepest of ``keys`` that exists."""
        node: Any = self.data
        line, col = 1, 1
        for key in keys:
            if isinstance(node, LineDict) and key in node:
                line, col = node.line_of(key), node.column_of(key)
                node = node[key]
            elif isinstance(node, LineList) and isinstance(key, int) and key < len(node):
                line = node.line_of(key)
                node = node[key]
                col = getattr(node, "column", col)
            else:
                break
        return line, col

    def item(self, list_key: str, match: str, value: str, *keys: str) -> tuple[int, int]:
        """(line, column) in the item of ``list_key`` whose ``match`` is ``value``."""
        items = self.data.get(list_key) if isinstance(self.data, LineDict) else None
        for i, body in enumerate(items or []):
            if isinstance(body, LineDict) and body.get(match) == value:
                return self.pos(list_key, i, *keys) if keys else self.pos(list_key, i)
        return self.pos(list_key)


def where(endpoints: tuple[str, ...], limits: Limits) -> str:
    """The endpoints a finding concerns, in words."""
    eps = [e for e in endpoints if e]
    if not eps:
        return ""
    every = list(limits.endpoints)
    if len(eps) > 1 and set(eps) == set(every):
        return f"every Seedance 2.0 endpoint ({len(every)})"
    for tier in sorted({e.tier for e in limits.endpoints.values()}):
        of_tier = [e for e in every if limits.endpoints[e].tier == tier]
        if len(eps) > 1 and set(eps) == set(of_tier):
            return f"every {tier} endpoint ({len(of_tier)})"
    order = {e: i for i, e in enumerate(every)}
    return ", ".join(sorted(eps, key=lambda e: order.get(e, len(order))))


def merge(findings: list[Finding]) -> list[Finding]:
    """The same difference on several endpoints as one finding: at its line when they
    share it, else at the line of the list that holds them."""
    groups: dict[tuple, list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.code.code, f.file, f.fact, f.message), []).append(f)
    out = []
    for items in groups.values():
        first = items[0]
        eps = tuple(dict.fromkeys(e for f in items for e in f.endpoints))
        lines = {(f.line, f.column) for f in items}
        if len(lines) == 1 or first.list_line is None:
            out.extend(replace(f, endpoints=tuple(dict.fromkeys(
                e for g in items if (g.line, g.column) == (f.line, f.column)
                for e in g.endpoints))) for f in _first_per_line(items))
        else:
            out.append(replace(first, line=first.list_line[0], column=first.list_line[1],
                               endpoints=eps))
    return out


def _first_per_line(items: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in items:
        if (f.line, f.column) not in seen:
            seen.add((f.line, f.column))
            out.append(f)
    return out


__all__ = ["Doc", "Finding", "merge", "where"]

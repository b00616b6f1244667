"""The field: data/field.yml, the models Seedance 2.0 is compared with.

Every figure carries its source and the date it was recorded. Seedance 2.0's
own prices are not typed here: they come from data/pricing.yml.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .. import ROOT
from .source import as_date, error, load_yaml, require

KINDS = ("usd_per_second", "number", "seconds", "text")


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: str | int | float
    kind: str
    source: str
    date: dt.date

    def display(self) -> str:
        if self.kind == "usd_per_second":
            return f"${float(self.value):.2f} per second"
        if self.kind == "seconds":
            return f"{self.value} s"
        return str(self.value)


@dataclass(frozen=True)
class FieldModel:
    id: str
    name: str
    maker: str
    wins: str
    pick_when: str
    figures: tuple[Figure, ...]

    def figure(self, key: str) -> Figure:
        for f in self.figures:
            if f.key == key:
                return f
        raise KeyError(f"{self.id} has no figure {key!r} in data/field.yml")


@dataclass(frozen=True)
class Field:
    path: Path
    models: tuple[FieldModel, ...]

    def model(self, model_id: str) -> FieldModel:
        for m in self.models:
            if m.id == model_id:
                return m
        raise KeyError(f"no model {model_id!r} in data/field.yml")


def load_field(root: Path = ROOT) -> Field:
    path = root / "data" / "field.yml"
    data = load_yaml(path)
    items = require(data, "models", list, path)
    models: list[FieldModel] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise error(path, items.line_of(i), "SP007", "each model must be a mapping")
        model_id = require(item, "id", str, path, "model")
        where = f"model {model_id}"
        figures: list[Figure] = []
        raw = item.get("figures") or []
        if not isinstance(raw, list):
            raise error(path, item.line_of("figures"), "SP007", f"{where}: figures must be a list")
        for j, fig in enumerate(raw):
            fwhere = f"{where}, figure {j + 1}"
            if not isinstance(fig, dict):
                raise error(path, raw.line_of(j), "SP007", f"{fwhere} must be a mapping")
            kind = require(fig, "kind", str, path, fwhere)
            if kind not in KINDS:
                raise error(path, fig.line_of("kind"), "SP007",
                            f"{fwhere}: kind must be one of {', '.join(KINDS)}")
            value = require(fig, "value", (str, int, float), path, fwhere)
            if kind != "text" and (isinstance(value, bool) or not isinstance(value, int | float)):
                raise error(path, fig.line_of("value"), "SP007",
                            f"{fwhere}: value must be a number")
            date = as_date(fig.get("date"))
            if date is None:
                raise error(path, fig.line_of("date"), "SP007",
                            f"{fwhere}: 'date' must be a calendar date (YYYY-MM-DD)")
            figures.append(Figure(
                key=require(fig, "key", str, path, fwhere),
                label=require(fig, "label", str, path, fwhere),
                value=value, kind=kind,
                source=require(fig, "source", str, path, fwhere),
                date=date,
            ))
        models.append(FieldModel(
            id=model_id,
            name=require(item, "name", str, path, where),
            maker=require(item, "maker", str, path, where),
            wins=require(item, "wins", str, path, where),
            pick_when=require(item, "pick_when", str, path, where),
            figures=tuple(figures),
        ))
    return Field(path=path, models=tuple(models))

"""The field: data/field.yml, the models Seedance 2.0 is compared with.

Every figure carries its source and the date it was recorded, which may not
lie in the future. Seedance 2.0's own prices and limits are not typed here:
they come from data/pricing.yml and data/limits.yml. :func:`validate_field`
is the file's one validator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .. import codes
from . import schema
from .schema import Findings

FIELD_FILE = Path("data") / "field.yml"
#: the model the publication is about: its limits come from data/limits.yml
OWN_MODEL = "seedance-2.0"
#: figure kind -> (smallest, largest) sane value; None for text
KINDS: dict[str, tuple[float, float] | None] = {
    "usd_per_second": (0.001, 100.0),
    "number": (0.0, 1_000_000.0),
    "seconds": (0.1, 3600.0),
    "text": None,
}
_MODEL_KEYS = ("id", "name", "maker", "wins", "pick_when", "figures")
_FIGURE_KEYS = ("key", "label", "value", "kind", "source", "date")


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: str | int | float
    kind: str
    source: str
    date: dt.date
    #: since when the value has held, where it is read from a file that says
    #: so (data/limits.yml's ``changed:``); None: ``date``
    since: dt.date | None = None

    def display(self) -> str:
        if self.kind == "usd_per_second":
            return f"${float(self.value):.2f} per second"
        if self.kind == "seconds":
            return f"{self.value:g} s" if isinstance(self.value, float) else f"{self.value} s"
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
        known = [f.key for f in self.figures]
        raise KeyError(f"{self.id} has no figure {key!r} in data/field.yml"
                       f"{schema.did_you_mean(key, known)}")


@dataclass(frozen=True)
class Field:
    path: Path
    models: tuple[FieldModel, ...]

    def with_own_limits(self, limits) -> Field:
        """The field with Seedance 2.0's longest shot and highest resolution read
        from data/limits.yml (the one source of its limits), not typed here."""
        own = [
            Figure("max_shot", "Longest single shot", limits.duration_max, "seconds",
                   limits.source, limits.verified, limits.values_since),
            Figure("max_resolution", "Highest confirmed resolution",
                   limits.confirmed_resolutions[-1], "text", limits.source, limits.verified,
                   limits.values_since),
        ]
        models = tuple(
            replace(m, figures=m.figures + tuple(f for f in own
                                                 if f.key not in {x.key for x in m.figures}))
            if m.id == OWN_MODEL else m for m in self.models)
        return replace(self, models=models)

    def model(self, model_id: str) -> FieldModel:
        for m in self.models:
            if m.id == model_id:
                return m
        raise KeyError(f"no model {model_id!r} in data/field.yml"
                       f"{schema.did_you_mean(model_id, [m.id for m in self.models])}")


def _figure(f: Findings, fig: Any, line: int, where: str, today: dt.date) -> Figure | None:
    if not schema.is_mapping(f, fig, line, where):
        return None
    schema.unknown_keys(f, fig, _FIGURE_KEYS, where)
    key = schema.text(f, fig, "key", where)
    label = schema.text(f, fig, "label", where)
    kind = schema.choice(f, fig, "kind", KINDS, where)
    source = schema.text(f, fig, "source", where)
    date = schema.date(f, fig, "date", where, not_after=today)
    value = fig.get("value")
    if value is None:
        f.add(codes.SCHEMA, fig.line, f"{where}: missing field 'value'")
        return None
    if kind is None:
        return None
    bounds = KINDS[kind]
    if bounds is None:
        if not isinstance(value, str) or not value.strip():
            f.add(codes.SCHEMA, fig.line_of("value"), f"{where}: a text figure's value "
                  "must be text", fig.column_of("value"))
            return None
    elif not schema.check_number(f, value, fig.line_of("value"), f"{where}: 'value'",
                                 lo=bounds[0], hi=bounds[1], column=fig.column_of("value")):
        return None
    if None in (key, label, source, date):
        return None
    return Figure(key, label, value, kind, source, date)


def validate_field(data: Any, f: Findings, today: dt.date) -> Field | None:
    if not schema.is_mapping(f, data, 1, "data/field.yml"):
        return None
    schema.unknown_keys(f, data, ("models",))
    items = schema.seq(f, data, "models", non_empty=True)
    models: list[FieldModel] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items or []):
        if not schema.is_mapping(f, item, items.line_of(i), "each model"):
            continue
        model_id = schema.text(f, item, "id", "model")
        where = f"model {model_id}" if model_id else f"model {i + 1}"
        schema.unknown_keys(f, item, _MODEL_KEYS, where)
        if model_id is not None and not schema.unique(f, seen, model_id, item.line_of("id"),
                                                      "model id"):
            model_id = None
        texts = {k: schema.text(f, item, k, where) for k in ("name", "maker", "wins",
                                                              "pick_when")}
        raw = schema.seq(f, item, "figures", where, required=False)
        figures: list[Figure] = []
        keys: dict[str, int] = {}
        for j, fig in enumerate(raw or []):
            figure = _figure(f, fig, raw.line_of(j), f"{where}, figure {j + 1}", today)
            if figure is not None and schema.unique(f, keys, figure.key, fig.line_of("key"),
                                                    f"{where}: figure key"):
                figures.append(figure)
        if model_id is not None and None not in texts.values():
            models.append(FieldModel(model_id, texts["name"], texts["maker"], texts["wins"],
                                     texts["pick_when"], tuple(figures)))
    if f.blocking:
        return None
    return Field(path=f.path, models=tuple(models))

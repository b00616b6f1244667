"""The pieces every schema validator is made of.

A validator reads a parsed file (line-marked by :mod:`.source`) and returns
all of its findings at once, as Material's ``PostConfig.validate()`` does,
instead of stopping at the first. :class:`Findings` collects them for one
file; the helpers below read one field each, report what is wrong with it
(missing, wrong type, out of range, not a real date, an unknown key with the
nearest known one) and return the value, or None when it cannot be used.

The loaders raise :class:`ContentError` when a file has a finding that
stops the build (``Findings.raise_for_build``); the ship check prints every
finding. So each rule is written once, here or in the schema that uses it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import codes
from ..codes import Code
from ..diagnostics import Diagnostic, display_path
from ..errors import ContentError
from .source import InvalidDate, LineDict, LineList, as_date, read_yaml


class Findings:
    """The diagnostics of one file, in the order found."""

    def __init__(self, path: str | Path, *, display: str | None = None):
        self.path = Path(path)
        self.display = display if display is not None else display_path(path)
        self.items: list[Diagnostic] = []

    def add(self, code: Code, line: int, message: str, column: int = 1) -> None:
        self.items.append(Diagnostic(self.display, max(int(line), 1), max(int(column), 1),
                                     code.code, message, code.severity))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.items.extend(diagnostics)

    def absorb(self, err: ContentError) -> None:
        self.items.extend(err.diagnostics)

    @property
    def blocking(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    def raise_for_build(self) -> None:
        """Raise every finding of the file when one of them stops the build."""
        if self.blocking:
            raise ContentError(sorted(self.items, key=lambda d: (d.line, d.column)))

    def result(self, value):
        """``value`` for the build, or the file's findings raised when they stop it."""
        self.raise_for_build()
        if value is None:
            raise ContentError(self.items or [Diagnostic(
                self.display, 1, 1, codes.SCHEMA.code, "the file could not be read as its "
                "schema asks", codes.SCHEMA.severity)])
        return value

    def __len__(self) -> int:
        return len(self.items)


def nearest(word: str, choices: Iterable[str]) -> str | None:
    choices = [str(c) for c in choices]
    by_lower = {c.lower(): c for c in choices}
    if word.lower() in by_lower:
        return by_lower[word.lower()]
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[close[0]] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    near = nearest(word, choices)
    return f" (did you mean {near!r}?)" if near else ""


def _prefix(where: str) -> str:
    return f"{where}: " if where else ""


def unknown_keys(f: Findings, mapping: LineDict, allowed: Iterable[str], where: str = "") -> None:
    allowed = list(allowed)
    for key in mapping:
        if key not in allowed:
            name = str(key)
            hint = did_you_mean(name, allowed) or f" (known: {', '.join(allowed)})"
            f.add(codes.UNKNOWN_KEY, mapping.line_of(key),
                  f"{_prefix(where)}unknown key {name!r}{hint}", mapping.column_of(key))


def is_mapping(f: Findings, value: Any, line: int, what: str) -> bool:
    if isinstance(value, LineDict):
        return True
    f.add(codes.SCHEMA, getattr(value, "line", line), f"{what} must be a mapping of fields")
    return False


_MISSING = object()


def _get(f: Findings, m: LineDict, key: str, where: str, required: bool) -> Any:
    if key not in m or m[key] is None:
        if required:
            f.add(codes.SCHEMA, m.line, f"{_prefix(where)}missing field '{key}'")
        return _MISSING
    return m[key]


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (LineDict, dict)):
        return "a mapping"
    if isinstance(value, (LineList, list)):
        return "a list"
    if isinstance(value, str):
        return f"the text {value!r}" if len(value) < 40 else "text"
    return type(value).__name__


def text(f: Findings, m: LineDict, key: str, where: str = "", *, required: bool = True,
         empty_ok: bool = False) -> str | None:
    value = _get(f, m, key, where, required)
    if value is _MISSING:
        return None
    if not isinstance(value, str):
        f.add(codes.SCHEMA, m.line_of(key), f"{_prefix(where)}'{key}' must be text, "
              f"got {_type_name(value)}", m.column_of(key))
        return None
    if not empty_ok and not value.strip():
        f.add(codes.SCHEMA, m.line_of(key), f"{_prefix(where)}'{key}' is empty", m.column_of(key))
        return None
    return value


def choice(f: Findings, m: LineDict, key: str, allowed: Iterable[str], where: str = "", *,
           required: bool = True, what: str | None = None) -> str | None:
    value = text(f, m, key, where, required=required)
    allowed = list(allowed)
    if value is not None and value not in allowed:
        f.add(codes.SCHEMA, m.line_of(key),
              f"{_prefix(where)}{what or key} {value!r} is not one of "
              f"{', '.join(allowed)}{did_you_mean(value, allowed)}", m.column_of(key))
        return None
    return value


def _number_problem(value: Any, lo: float | None, hi: float | None, whole: bool,
                    lo_open: bool) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"must be a {'whole ' if whole else ''}number, got {_type_name(value)}"
    if isinstance(value, float):
        if math.isnan(value):
            return "must be a number, got .nan (not a number)"
        if math.isinf(value):
            return "must be a finite number, got infinity"
        if whole:
            return f"must be a whole number, got {value!r}"
    if lo is not None and (value < lo or (lo_open and value == lo)):
        bound = f"more than {lo:g}" if lo_open else f"at least {lo:g}"
        return f"must be {bound}, got {value!r}"
    if hi is not None and value > hi:
        return f"must be at most {hi:g}, got {value!r}"
    return None


def check_number(f: Findings, value: Any, line: int, what: str, *, lo: float | None = None,
                 hi: float | None = None, whole: bool = False, lo_open: bool = False,
                 column: int = 1) -> bool:
    problem = _number_problem(value, lo, hi, whole, lo_open)
    if problem:
        f.add(codes.SCHEMA, line, f"{what} {problem}", column)
        return False
    return True


def integer(f: Findings, m: LineDict, key: str, where: str = "", *, lo: int | None = None,
            hi: int | None = None, required: bool = True, default: int | None = None
            ) -> int | None:
    value = _get(f, m, key, where, required)
    if value is _MISSING:
        return default
    if check_number(f, value, m.line_of(key), f"{_prefix(where)}'{key}'", lo=lo, hi=hi,
                    whole=True, column=m.column_of(key)):
        return int(value)
    return None


def number(f: Findings, m: LineDict, key: str, where: str = "", *, lo: float | None = None,
           hi: float | None = None, lo_open: bool = False, required: bool = True
           ) -> Decimal | None:
    """A finite number in range, exact as written (``0.014`` stays 0.014)."""
    value = _get(f, m, key, where, required)
    if value is _MISSING:
        return None
    if check_number(f, value, m.line_of(key), f"{_prefix(where)}'{key}'", lo=lo, hi=hi,
                    lo_open=lo_open, column=m.column_of(key)):
        return Decimal(str(value))
    return None


def boolean(f: Findings, m: LineDict, key: str, where: str = "", *, required: bool = True,
            default: bool | None = None) -> bool | None:
    value = _get(f, m, key, where, required)
    if value is _MISSING:
        return default
    if not isinstance(value, bool):
        f.add(codes.SCHEMA, m.line_of(key), f"{_prefix(where)}'{key}' must be true or false, "
              f"got {_type_name(value)}", m.column_of(key))
        return None
    return value


def date_value(f: Findings, value: Any, line: int, what: str, *,
               not_after: dt.date | None = None, column: int = 1) -> dt.date | None:
    """A date written YYYY-MM-DD: SP202 when it is not a real one, SP203 when it is
    later than ``not_after`` (today, for a figure or a verification)."""
    if isinstance(value, InvalidDate):
        f.add(codes.BAD_DATE, line, f"{what} {str(value)!r} is not a real calendar date",
              column)
        return None
    day = as_date(value)
    if day is None:
        f.add(codes.BAD_DATE, line, f"{what} must be a date written YYYY-MM-DD, "
              f"got {_type_name(value)}", column)
        return None
    if not_after is not None and day > not_after:
        f.add(codes.FUTURE_DATE, line, f"{what} {day} is in the future (today is {not_after})",
              column)
    return day


def date(f: Findings, m: LineDict, key: str, where: str = "", *, required: bool = True,
         not_after: dt.date | None = None) -> dt.date | None:
    value = _get(f, m, key, where, required)
    if value is _MISSING:
        return None
    return date_value(f, value, m.line_of(key), f"{_prefix(where)}'{key}'", not_after=not_after,
                      column=m.column_of(key))


def changed_date(f: Findings, m: LineDict, verified: dt.date | None) -> dt.date | None:
    """The optional ``changed:`` of a data file: the day one of its values last
    changed. ``verified:`` moves each time the values are compared with their
    source and found the same (``seedpress drift --stamp``); ``changed:`` stays,
    so a page reviewed after it still prints what it was reviewed against.
    It cannot be later than ``verified``: a change is verified when made."""
    day = date(f, m, "changed", required=False)
    if day is not None and verified is not None and day > verified:
        f.add(codes.SCHEMA, m.line_of("changed"), f"'changed' {day} is later than 'verified' "
              f"{verified}: a value is verified when it changes, so set 'verified' too",
              m.column_of("changed"))
    return day


def dated(f: Findings, m: LineDict) -> tuple[dt.date | None, dt.date | None, str | None]:
    """(verified, changed, source) of a data file whose values are checked against a
    source (data/limits.yml, data/pricing.yml): the one reading of those three."""
    verified = date(f, m, "verified")
    return verified, changed_date(f, m, verified), text(f, m, "source")


def _collection(f: Findings, m: LineDict, key: str, where: str, required: bool,
                non_empty: bool, kind: type, noun: str):
    value = _get(f, m, key, where, required)
    if value is _MISSING:
        return None
    if not isinstance(value, kind):
        f.add(codes.SCHEMA, m.line_of(key), f"{_prefix(where)}'{key}' must be {noun}, "
              f"got {_type_name(value)}", m.column_of(key))
        return None
    if non_empty and not value:
        f.add(codes.SCHEMA, m.line_of(key), f"{_prefix(where)}'{key}' must not be empty",
              m.column_of(key))
        return None
    return value


def seq(f: Findings, m: LineDict, key: str, where: str = "", *, required: bool = True,
        non_empty: bool = False) -> LineList | None:
    return _collection(f, m, key, where, required, non_empty, LineList, "a list")


def mapping(f: Findings, m: LineDict, key: str, where: str = "", *, required: bool = True,
            non_empty: bool = False) -> LineDict | None:
    return _collection(f, m, key, where, required, non_empty, LineDict, "a mapping")


def aspect_ratios(f: Findings, values: LineList | None, what: str = "aspect_ratios"
                  ) -> list[str]:
    """The aspect ratios of a list, each written in quotes ("16:9"): unquoted, YAML
    reads 16:9 as a number of minutes, which is reported at its line."""
    found = []
    for i, value in enumerate(values or []):
        if not isinstance(value, str) or ":" not in value:
            f.add(codes.SCHEMA, values.line_of(i), f"{what}: write each ratio in quotes, "
                  f'like "16:9" (got {value!r})')
        else:
            found.append(value)
    return found


def unique(f: Findings, seen: dict[str, int], value: str, line: int, what: str,
           code: Code = codes.SCHEMA) -> bool:
    """Report ``value`` when it was seen before; remember it otherwise."""
    if value in seen:
        f.add(code, line, f"{what} {value!r} is used twice (first on line {seen[value]})")
        return False
    seen[value] = line
    return True


def load(path: Path, validate: Callable[..., Any], *args: Any, text: bool = False) -> Any:
    """The model in the YAML file at ``path``, read through its one validator
    (``validate(data, findings, *args)``, with the file's text after ``args`` when
    ``text``); raises ContentError naming every finding that stops the build."""
    f = Findings(path)
    data, source = read_yaml(path)
    return f.result(validate(data, f, *args, *([source] if text else [])))


__all__ = [
    "Findings", "LineDict", "LineList", "as_date", "aspect_ratios", "boolean", "check_number",
    "choice", "date", "date_value", "dated", "did_you_mean", "integer", "is_mapping", "load",
    "mapping", "nearest", "number", "seq", "text", "unique", "unknown_keys",
]

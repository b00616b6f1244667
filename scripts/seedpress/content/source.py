"""Reading source files: text with correct line numbers, YAML with line marks.

Everything here turns bad input into a :class:`ContentError` whose
diagnostics name the file, line and column, never a traceback. The codes
(SP001 not UTF-8, SP002 empty, SP003 syntax, SP004 duplicate key, SP010 a
NUL byte) come from :mod:`seedpress.codes`. The YAML mistakes editors make
most (a colon in an unquoted title, a quote never closed, a tab) are said in
plain words, at the line where the editor fixes them (:func:`explain`).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from .. import codes
from ..codes import Code
from ..diagnostics import Diagnostic, display_path
from ..errors import ContentError


class LineDict(dict):
    """A mapping from YAML that remembers where it and each key stood."""

    line: int = 1
    column: int = 1
    key_lines: dict[Any, int]
    key_columns: dict[Any, int]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_lines = {}
        self.key_columns = {}

    def line_of(self, key: Any, default: int | None = None) -> int:
        return self.key_lines.get(key, default if default is not None else self.line)

    def column_of(self, key: Any) -> int:
        return self.key_columns.get(key, self.column if key not in self.key_lines else 1)


class LineList(list):
    """A sequence from YAML that remembers the line of each item."""

    line: int = 1
    item_lines: list[int]

    def __init__(self, *args):
        super().__init__(*args)
        self.item_lines = []

    def line_of(self, index: int) -> int:
        try:
            return self.item_lines[index]
        except IndexError:
            return self.line


class InvalidDate(str):
    """A scalar shaped like a date that is not a real calendar date (2026-02-30)."""


class Positions:
    """Offsets of a text (or of bytes) as 1-based (line, column): the one way an
    offset becomes a place in a file."""

    def __init__(self, text: str | bytes):
        self.text = text
        newline = b"\n" if isinstance(text, bytes) else "\n"
        starts, at = [0], text.find(newline)
        while at >= 0:
            starts.append(at + 1)
            at = text.find(newline, at + 1)
        self.starts = starts

    def at(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1

    def offset(self, line: int) -> int:
        return self.starts[min(max(line, 1), len(self.starts)) - 1]


def error(path: str | Path, line: int, code: Code, message: str, column: int = 1) -> ContentError:
    return ContentError(Diagnostic(display_path(path), max(line, 1), max(column, 1), code.code,
                                   message, code.severity))


def read_text(path: str | Path) -> str:
    """Read a UTF-8 file (a BOM is dropped) with LF line endings."""
    return decode_text(Path(path).read_bytes(), path)


def decode_text(raw: bytes, path: str | Path) -> str:
    """Bytes of a UTF-8 file as text (a BOM is dropped) with LF line endings."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line, col = Positions(raw).at(err.start)
        raise error(path, line, codes.NOT_UTF8, f"not UTF-8 (byte 0x{raw[err.start]:02x})",
                    col) from None
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = Positions(raw).at(nul)
        raise error(path, line, codes.NUL_BYTE, "a NUL byte: this is not a text file "
                    "(binary, or damaged in a copy)", col)
    return text.replace("\r\n", "\n").replace("\r", "\n")


class _Loader(yaml.SafeLoader):
    line_offset = 0
    source_path = "<string>"


def _line(loader: _Loader, node: yaml.Node) -> int:
    return node.start_mark.line + 1 + loader.line_offset


def _construct_map(loader: _Loader, node: yaml.MappingNode):
    data = LineDict()
    data.line = _line(loader, node)
    data.column = node.start_mark.column + 1
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise error(loader.source_path, _line(loader, key_node), codes.SYNTAX,
                        "a mapping key must be a plain value") from None
        if key in data:
            raise error(loader.source_path, _line(loader, key_node), codes.DUPLICATE_KEY,
                        f"duplicate key {key!r} (first at line {data.key_lines[key]})",
                        key_node.start_mark.column + 1)
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = _line(loader, key_node)
        data.key_columns[key] = key_node.start_mark.column + 1


def _construct_seq(loader: _Loader, node: yaml.SequenceNode):
    data = LineList()
    data.line = _line(loader, node)
    yield data
    for child in node.value:
        data.append(loader.construct_object(child, deep=True))
        data.item_lines.append(_line(loader, child))


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return InvalidDate(node.value)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)

_FastLoader: type | None = None
if hasattr(yaml, "CSafeLoader"):
    class _FastLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        """The same loader on libyaml's parser: several times faster. It is
        tried first; on a YAML error the pure loader above runs again, so the
        message and its line are always the pure loader's."""

        line_offset = 0
        source_path = "<string>"

    _FastLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
    _FastLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
    _FastLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def parse_yaml(text: str, path: str | Path, line_offset: int = 0) -> Any:
    """Parse YAML text; errors name ``path`` and the line (shifted by ``line_offset``)."""
    if _FastLoader is not None:
        fast = _FastLoader(text)
        fast.line_offset = line_offset
        fast.source_path = str(path)
        try:
            return fast.get_single_data()
        except yaml.YAMLError:
            pass  # reported below by the pure loader, with its marks
        finally:
            fast.dispose()
    loader = _Loader(text)
    loader.line_offset = line_offset
    loader.source_path = str(path)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        context = err.context or ""
        if err.context_mark and (
                "end of stream" in (err.problem or "")  # an unclosed quote: where it opened
                or context == "while scanning a simple key"  # a key without its colon
                or (context.startswith("while parsing a flow") and err.problem_mark
                    and err.problem_mark.line > err.context_mark.line)):  # an unclosed [ or {
            mark = err.context_mark
        line = (mark.line + 1) if mark else 1
        col = (mark.column + 1) if mark else 1
        what = err.problem or "invalid YAML"
        if err.context:
            what = f"{what} ({err.context})"
        plain = explain(err, text)
        if plain is not None:
            line, col, what = plain
        raise error(path, line + line_offset, codes.SYNTAX, f"YAML syntax error: {what}",
                    col) from None
    except yaml.YAMLError as err:
        raise error(path, 1 + line_offset, codes.SYNTAX, f"YAML error: {err}") from None
    except RecursionError:
        raise error(path, 1 + line_offset, codes.SYNTAX,
                    "YAML nested too deeply to read") from None
    finally:
        loader.dispose()


# -- the common mistakes, in plain words ------------------------------------------

_KEY_VALUE = re.compile(r"^(\s*(?:-\s+)?)([^\s:#'\"][^:#]*?):[ \t]+(\S.*?)\s*$")
#: a "key: " at the start of a line: what a quote that runs on swallows
_SWALLOWED_KEY = re.compile(r"\n[ \t]*(?:-[ \t]+)?[\w-]+:(?:[ \t]|$)", re.M)


def _run_on_quote(text: str, before_line: int) -> tuple[int, int, str] | None:
    """A quoted value that runs over the lines after it (swallowing their keys)
    before ``before_line`` (0-based): (its 0-based line, column, its quote)."""
    try:
        tokens = []
        for token in yaml.scan(text):
            tokens.append(token)
    except yaml.YAMLError:
        pass
    for token in tokens:
        if not isinstance(token, yaml.ScalarToken) or token.style not in ('"', "'"):
            continue
        start, end = token.start_mark, token.end_mark
        if start.line >= end.line or start.line > before_line:
            continue
        if _SWALLOWED_KEY.search(text, start.index, end.index):
            return start.line, start.column, token.style
    return None


def explain(err: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str] | None:
    """(1-based line, column, message) in plain words for a mistake editors often
    make, at the place they fix it; None for anything else."""
    problem = err.problem or ""
    mark = err.problem_mark or err.context_mark
    lines = text.split("\n")
    if "'\\t'" in problem and mark is not None:
        return (mark.line + 1, mark.column + 1,
                "a tab character: YAML indents with spaces only, so replace the tab with "
                "spaces, as the lines around it are indented")
    if "end of stream" in problem and "quoted scalar" in (err.context or "") \
            and err.context_mark is not None:
        start = err.context_mark
        quote = text[start.index] if start.index < len(text) else '"'
        return (start.line + 1, start.column + 1,
                f"this quote ({quote}) is never closed: add the closing {quote} at the end of "
                "the value")
    if mark is not None:
        run_on = _run_on_quote(text, mark.line)
        if run_on is not None:
            line, column, quote = run_on
            return (line + 1, column + 1,
                    f"this quote ({quote}) is never closed on its line, so YAML reads the "
                    f"lines after it as part of the value, up to the next {quote}: add the "
                    f"closing {quote} at the end of the value")
    if problem == "mapping values are not allowed here" and mark is not None \
            and mark.line < len(lines):
        m = _KEY_VALUE.match(lines[mark.line])
        if m is not None:
            key, value = m.group(2), m.group(3)
            quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
            return (mark.line + 1, m.start(3) + 1,
                    f"a colon and a space inside the value of '{key}' read as the start of "
                    f"a new key: put the whole value in quotes, as in {key}: {quoted}")
    return None


def load_yaml(path: str | Path, *, allow_empty: bool = False) -> Any:
    return read_yaml(path, allow_empty=allow_empty)[0]


def read_yaml(path: str | Path, *, allow_empty: bool = False) -> tuple[Any, str]:
    """The parsed YAML of ``path`` and its text (LF line endings)."""
    text = read_text(path)
    if not text.strip():
        if allow_empty:
            return None, text
        raise error(path, 1, codes.EMPTY, "the file is empty")
    return parse_yaml(text, path), text


def as_date(value: Any) -> dt.date | None:
    """A YAML date or datetime as a date; None when it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None

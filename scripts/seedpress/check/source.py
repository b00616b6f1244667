"""One file under check: its bytes, its text, what kind of file it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..codes import Code
from ..content.files import BINARY, HTML, MARKDOWN, TEXT, YAML  # noqa: F401
from ..content.source import Positions, decode_text
from ..diagnostics import Diagnostic
from ..errors import ContentError


@dataclass
class Source:
    path: Path
    #: the path as findings print it
    display: str
    raw: bytes
    #: True for files of a built site (HTML output, judged by SP103)
    built: bool = False
    text: str | None = None
    error: Diagnostic | None = None
    findings: list[Diagnostic] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path, display: str, built: bool = False) -> Source:
        raw = path.read_bytes()
        src = cls(path=path, display=display, raw=raw, built=built)
        try:
            src.text = decode_text(raw, display)
        except ContentError as err:
            src.error = err.diagnostics[0]
        return src

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()

    @property
    def is_markdown(self) -> bool:
        return self.suffix in MARKDOWN

    @property
    def is_yaml(self) -> bool:
        return self.suffix in YAML


    @cached_property
    def positions(self) -> Positions:
        return Positions(self.text or "")

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset into ``text``."""
        return self.positions.at(offset)

    def add(self, line: int, column: int, code: Code, message: str) -> None:
        self.findings.append(Diagnostic(self.display, max(line, 1), max(column, 1), code.code,
                                        message, code.severity))

    def add_at(self, offset: int, code: Code, message: str) -> None:
        line, column = self.position(offset)
        self.add(line, column, code, message)

    def extend(self, diagnostics) -> None:
        """Findings of a loader or validator, shown under this file's name."""
        if isinstance(diagnostics, ContentError):
            diagnostics = diagnostics.diagnostics
        for d in diagnostics:
            self.findings.append(Diagnostic(self.display, d.line, d.column, d.code, d.message,
                                            d.severity))

"""Posts: Markdown files with YAML front matter, as the blog plugin reads them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from .source import LineDict, as_date, error, parse_yaml, read_text

EXCERPT_SEPARATOR = "<!-- more -->"
_FENCE = re.compile(r"^---[ \t]*$")
_END = re.compile(r"^(---|\.\.\.)[ \t]*$")


@dataclass
class Post:
    path: Path
    meta: LineDict
    body: str
    #: 1-based line number of the first body line in the file
    body_line: int
    text: str = field(repr=False)

    @property
    def title(self) -> str:
        return str(self.meta.get("title") or "")

    @property
    def slug(self) -> str:
        return str(self.meta.get("slug") or self.path.stem)

    @property
    def description(self) -> str:
        return str(self.meta.get("description") or "")

    @property
    def categories(self) -> list[str]:
        return [str(c) for c in (self.meta.get("categories") or [])]

    @property
    def featured(self) -> bool:
        return bool(self.meta.get("featured"))

    @property
    def draft(self) -> bool:
        return bool(self.meta.get("draft"))

    def _date(self, which: str) -> dt.date | None:
        date = self.meta.get("date")
        if isinstance(date, dict):
            return as_date(date.get(which))
        return as_date(date) if which == "created" else None

    @property
    def created(self) -> dt.date | None:
        return self._date("created")

    @property
    def updated(self) -> dt.date | None:
        return self._date("updated") or self.created

    @property
    def words(self) -> int:
        return len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'.-]*", strip_code(self.body)))


def strip_code(markdown: str) -> str:
    """Markdown with fenced code blocks removed (for word counts and keywords)."""
    return re.sub(r"^(```|~~~).*?^\1[ \t]*$", "", markdown, flags=re.S | re.M)


def split_front_matter(text: str, path: str | Path) -> tuple[str, int, str, int]:
    """Return (front matter, its first line, body, body's first line)."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        raise error(path, 1, "SP005", "no front matter: the file must start with a '---' line")
    for i in range(1, len(lines)):
        if _END.match(lines[i]):
            return "\n".join(lines[1:i]), 2, "\n".join(lines[i + 1:]), i + 2
    raise error(path, 1, "SP005", "front matter is not closed by a '---' line")


def parse_post(path: str | Path, text: str | None = None) -> Post:
    path = Path(path)
    if text is None:
        text = read_text(path)
    if not text.strip():
        raise error(path, 1, "SP002", "the file is empty")
    front, front_line, body, body_line = split_front_matter(text, path)
    meta = parse_yaml(front, path, line_offset=front_line - 1) if front.strip() else None
    if not isinstance(meta, dict):
        raise error(path, front_line, "SP006", "front matter must be a YAML mapping of fields")
    return Post(path=path, meta=meta, body=body, body_line=body_line, text=text)


def post_files(posts_dir: Path) -> list[Path]:
    return sorted(p for p in posts_dir.rglob("*.md") if p.is_file())


def load_posts(posts_dir: Path) -> list[Post]:
    """Every post in ``posts_dir``; raises the first file's ContentError."""
    return [parse_post(p) for p in post_files(posts_dir)]

"""Pages: the hand-written Markdown of docs/, and the one validator of their front matter.

A page may start with front matter (``title``, ``description``, the home
page's ``hero``, ``scripts`` to load on that page only, and the theme's own
``template``, ``hide``, ``search``, ``status``, ``subtitle``, ``icon``).
Front matter that does not parse, or a key that is none of these, stops the
build and is reported by the ship check (SP003, SP006, SP009).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import codes
from ..errors import ContentError
from . import schema
from .posts import split_front_matter
from .schema import Findings
from .source import LineDict, LineList, parse_yaml

PAGE_KEYS = ("title", "description", "template", "hide", "hero", "scripts", "search",
             "status", "subtitle", "icon")


@dataclass
class Page:
    path: Path
    meta: LineDict | None
    #: the front matter block as written, fences included ("" when none)
    front: str
    body: str
    body_line: int


def script_findings(meta: LineDict, docs_dir: Path, f: Findings) -> None:
    """``scripts:`` lists files of docs/ by their path there; a missing one would
    load nothing in the reader's browser, so it stops the build like a broken link."""
    scripts = meta.get("scripts")
    if scripts is None:
        return
    line = meta.line_of("scripts")
    if not isinstance(scripts, list) or not all(isinstance(s, str) for s in scripts):
        f.add(codes.FIELD_TYPE, line, "scripts must be a list of paths under docs/, such as "
              "assets/builder.js")
        return
    present = [p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.js")]
    for i, entry in enumerate(scripts):
        item_line = scripts.line_of(i) if isinstance(scripts, LineList) else line
        if not entry.endswith(".js"):
            f.add(codes.FIELD_TYPE, item_line, f"scripts: {entry!r} is not a JavaScript file")
        elif "://" in entry or entry.startswith("/") or not (docs_dir / entry).is_file():
            f.add(codes.BROKEN_LINK, item_line, f"scripts: {entry} is not a file under "
                  f"{docs_dir.name}/{schema.did_you_mean(entry, present)}")


def read_page(path: Path, text: str, f: Findings, docs_dir: Path | None = None) -> Page:
    """Split and validate a page; findings go to ``f`` (the body is still returned).
    With ``docs_dir``, the scripts it loads must exist there."""
    if not text.startswith("---"):
        return Page(path, None, "", text, 1)
    try:
        front, first, body, body_line = split_front_matter(text, f.display)
    except ContentError:
        return Page(path, None, "", text, 1)  # a thematic break, not front matter
    block = "\n".join(text.split("\n")[:body_line - 1]) + "\n"
    meta = None
    if front.strip():
        try:
            meta = parse_yaml(front, f.display, line_offset=first - 1)
        except ContentError as err:
            f.absorb(err)
            return Page(path, None, block, body, body_line)
        if not isinstance(meta, LineDict):
            f.add(codes.FRONT_MATTER_SHAPE, first, "front matter must be a YAML mapping of "
                  "fields")
            meta = None
        else:
            schema.unknown_keys(f, meta, PAGE_KEYS)
            if docs_dir is not None:
                script_findings(meta, docs_dir, f)
    return Page(path, meta, block, body, body_line)

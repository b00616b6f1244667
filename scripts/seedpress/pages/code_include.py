"""Code that several guides show: written once under snippets/, included where shown.

A guide writes, inside a fenced block::

    ```python
    {{ snippet("fal_calls.py", "classify", "fetch") }}
    ```

and the page gets those sections of ``snippets/fal_calls.py``, in the file's
order, with the file's own computed names rendered (a rate, a limit). A
section is marked as pymdown-extensions' snippets marks one, a comment line
``# --8<-- [start:name]`` above it and ``# --8<-- [end:name]`` below; marker
lines never show, and ``snippet("fal_calls.py")`` with no section is the
whole file without them. Inside an indented block (a collapsed note, a
tab), indent the rest of the lines with Jinja's filter:
``{{ snippet("fal_calls.py", "fetch") | indent(4) }}``.

Why the stage includes it rather than pymdownx.snippets: the include is
resolved before any engine runs, so MkDocs (through the hook) and Zensical
(which runs no hook and builds the stage's tree) show the same code; a page
whose included code changed is a changed page, so Zensical's content-keyed
cache rebuilds it; tests/test_guide_code.py, which renders a guide's blocks
with the same names, runs exactly the code the reader sees; and the ship
check reports a missing file or section at the line that names it, and a
broken expression or marker inside the file at its own line
(:func:`snippet_findings`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .. import codes
from ..content.schema import did_you_mean
from ..content.source import read_text
from ..diagnostics import Diagnostic, display_path
from ..errors import ContentError
from .data import SiteData
from .render import TEXT_ENV, Origin, RenderCache, render_text, template_findings

#: where the shared code lives, relative to the repository root
SNIPPETS_DIR = Path("snippets")
MARKER = re.compile(r"^[ \t]*#[ \t]*--8<--[ \t]*\[(?P<edge>start|end):(?P<name>[\w-]+)\][ \t]*$")


def sections(text: str, display: str) -> dict[str, tuple[int, int]]:
    """name -> (first line, line after the last) of each section's body, 0-based;
    raises ContentError at the marker when markers do not pair up."""
    found: dict[str, tuple[int, int]] = {}
    open_at: dict[str, int] = {}
    problems: list[Diagnostic] = []

    def problem(index: int, message: str) -> None:
        problems.append(Diagnostic(display, index + 1, 1, codes.TEMPLATE.code, message,
                                   codes.TEMPLATE.severity))

    for index, line in enumerate(text.split("\n")):
        m = MARKER.match(line)
        if m is None:
            continue
        name = m["name"]
        if m["edge"] == "start":
            if name in open_at or name in found:
                problem(index, f"section {name!r} starts twice")
            else:
                open_at[name] = index
        elif name not in open_at:
            problem(index, f"section {name!r} ends without a start above it")
        else:
            found[name] = (open_at.pop(name) + 1, index)
    for name, index in open_at.items():
        problem(index, f"section {name!r} is never ended (no `# --8<-- [end:{name}]` below)")
    if problems:
        raise ContentError(sorted(problems))
    return found


def _without_markers(lines: list[str]) -> str:
    kept = [line for line in lines if not MARKER.match(line)]
    while kept and not kept[0].strip():
        kept.pop(0)
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join(kept)


_IMPORT = re.compile(r"(?:import [\w.]+(?: as \w+)?|from [\w.]+ import [\w, ]+)")


def _imported_once(parts: list[str]) -> list[str]:
    """Python sections as one file: a top-level import line a section before it already
    made is left out (each section carries its own imports, so it reads alone in the
    snippets file; shown together, a reader sees each import once)."""
    seen: set[str] = set()
    out = []
    for part in parts:
        kept = []
        for line in part.split("\n"):
            if _IMPORT.fullmatch(line):
                if line in seen:
                    continue
                seen.add(line)
            kept.append(line)
        out.append("\n".join(kept).lstrip("\n"))
    return out


def snippet_path(root: Path, name: str) -> Path:
    """The file ``name`` of snippets/, or ValueError saying which names there are."""
    folder = root / SNIPPETS_DIR
    known = sorted(p.name for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []
    if name not in known:
        raise ValueError(f"no file {name!r} in {SNIPPETS_DIR.as_posix()}/"
                         f"{did_you_mean(name, known) or ' (it holds: ' + ', '.join(known) + ')'}")
    return folder / name


def snippet_names(data: SiteData, names: dict[str, Any]) -> dict[str, Any]:
    rendered: dict[Path, tuple[str, dict[str, tuple[int, int]]]] = {}

    def load(name: str) -> tuple[str, dict[str, tuple[int, int]]]:
        path = snippet_path(data.root, name)
        if path not in rendered:
            display = display_path(path, data.root)
            text = render_text(read_text(path), names, Origin(display), TEXT_ENV)
            rendered[path] = (text, sections(text, display))
        return rendered[path]

    def snippet(name: str, *wanted: str) -> Markup:
        """The sections ``wanted`` of snippets/``name`` (all of it when none), in file order."""
        text, marked = load(name)
        lines = text.split("\n")
        for section in wanted:
            if section not in marked:
                raise KeyError(f"no section {section!r} in {SNIPPETS_DIR.as_posix()}/{name}"
                               f"{did_you_mean(section, marked) or ''} (sections: "
                               f"{', '.join(marked) or 'none'})")
        spans = (sorted(marked[s] for s in dict.fromkeys(wanted)) if wanted
                 else [(0, len(lines))])
        parts = [_without_markers(lines[a:b]) for a, b in spans]
        if name.endswith(".py"):
            parts = _imported_once(parts)
        return Markup("\n\n\n".join(parts))

    return {"snippet": snippet}


def snippet_findings(path: Path, text: str, names: dict[str, Any], display: str,
                     cache: RenderCache | None = None) -> list[Diagnostic]:
    """What the build would stop on in a file of snippets/: its own expressions and
    its section markers, each at its line."""
    found = template_findings(text, names, Origin(display), cache, TEXT_ENV)
    try:
        sections(text, display)
    except ContentError as err:
        found += err.diagnostics
    return found


__all__ = ["SNIPPETS_DIR", "sections", "snippet_findings", "snippet_names", "snippet_path"]

"""``seedpress drift --stamp``: record today as the day the data was checked against fal.

Only the ``verified:`` lines change: the top-level one of data/limits.yml and
data/pricing.yml, and that of a section dated on its own (data/pricing.yml's
``seedance_1_5_pro``, whose page the same run judges), and only after a run in
which every page was judged and nothing differed (the caller decides that). A
date is never moved back. Both files are checked writable before either is
written, each is written whole through :mod:`seedpress.writer`, and each
written file is read back and compared with the old one: everything but the
dates must be the same, or nothing is replaced. Pages print these dates
through ``{{ limits_recorded() }}``, ``{{ pricing_recorded() }}`` and
``{{ pro15_recorded() }}`` (the day the values were written in, and the day
found unchanged), so the next build shows the new one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ..content.source import LineDict, decode_text, parse_yaml, read_yaml
from ..errors import WriteError
from ..writer import ensure_all_writable, write_atomic

STAMPED = (Path("data") / "limits.yml", Path("data") / "pricing.yml")
#: sections of a stamped file that carry a verified: of their own
SECTIONS = {Path("data") / "pricing.yml": ("seedance_1_5_pro",)}
_LINE = re.compile(r"^([ \t]*)verified:[ \t]*(\S+)([ \t]+#.*)?$")


@dataclass(frozen=True)
class Stamp:
    path: Path
    previous: dt.date
    changed: bool


def _dated(data: LineDict, rel: Path) -> list[LineDict]:
    """The mappings of a stamped file whose verified: a stamp moves."""
    found = [data]
    for name in SECTIONS.get(rel, ()):
        section = data.get(name)
        if isinstance(section, LineDict) and "verified" in section:
            found.append(section)
    return found


def _without_date(data: LineDict, rel: Path) -> dict:
    """The file with every verified: a stamp moves left out: what must not change."""
    out = {k: v for k, v in data.items() if k != "verified"}
    for name in SECTIONS.get(rel, ()):
        if isinstance(out.get(name), LineDict):
            out[name] = {k: v for k, v in out[name].items() if k != "verified"}
    return out


def plan(root: Path, today: dt.date) -> list[tuple[Path, str, Stamp]]:
    """(path, new text, stamp) for each stamped file; WriteError when one cannot be."""
    out = []
    for rel in STAMPED:
        path = root / rel
        data, text = read_yaml(path)
        if not isinstance(data, LineDict) or "verified" not in data:
            raise WriteError(f"{rel}: no top-level verified: line to stamp")
        previous = data["verified"]
        lines = text.split("\n")
        changed = False
        for mapping in _dated(data, rel):
            if mapping["verified"] >= today:  # never moved back
                continue
            i = mapping.line_of("verified") - 1
            m = _LINE.match(lines[i])
            if m is None:
                raise WriteError(f"{rel}:{i + 1}: the verified: line is not written as "
                                 "`verified: YYYY-MM-DD`; stamp it by hand")
            lines[i] = f"{m.group(1)}verified: {today.isoformat()}{m.group(3) or ''}"
            changed = True
        out.append((path, "\n".join(lines), Stamp(rel, previous, changed)))
    return out


def stamp(root: Path, today: dt.date) -> list[Stamp]:
    """Set ``verified`` to ``today`` in both files (only the changed ones are written)."""
    planned = plan(root, today)
    ensure_all_writable([path for path, _text, s in planned if s.changed])
    for path, text, s in planned:
        if not s.changed:
            continue
        old, _ = read_yaml(path)

        def verify(tmp: Path, old=old, rel=s.path) -> None:
            new = parse_yaml(decode_text(tmp.read_bytes(), tmp), rel)
            if any(m.get("verified") < today for m in _dated(new, rel)) \
                    or _without_date(new, rel) != _without_date(old, rel):
                raise WriteError(f"{rel}: stamping would change more than the date; "
                                 "nothing was written")

        write_atomic(path, text, verify=verify)
    return [s for _path, _text, s in planned]

"""YAML written as text: a scalar quoted when it must be, and front matter lines.

The one place seedpress emits YAML by hand (a new post's front matter, the
lines the generation stage adds to a page's); what it writes reads back as
the same values.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def plain(text: str) -> str:
    """``text`` unquoted when YAML reads it back as the same string, else quoted."""
    simple = re.fullmatch(r"[A-Za-z][A-Za-z0-9 _.-]*[A-Za-z0-9]", text)
    return text if simple else quoted(text)


def front_matter_lines(key: str, value: Any) -> list[str]:
    """``key: value`` as the lines of YAML added to a page's front matter."""
    return yaml.dump({key: value}, Dumper=_DUMPER, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=10_000).rstrip("\n").split("\n")

"""PNG twins of SVG covers: whether a cover's twin is there and current.

Social platforms do not show SVG images in link previews, so every post
whose ``cover`` is an SVG under docs/ has a PNG beside it (same path,
``.png``). The twin records the SHA-256 of the SVG it was made from in a
tEXt chunk (keyword :data:`DIGEST_KEY`): a twin whose recorded digest
differs from the SVG's is stale. The post validator reports it (SP309);
:mod:`seedpress.covers` makes twins.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import MediaError
from ..pngtext import read_text

DIGEST_KEY = "seedpress:svg-sha256"

#: What :func:`twin_state` returns for a twin that needs making.
MISSING = "missing"
STALE = "stale"


def twin_of(svg: Path) -> Path:
    return svg.with_suffix(".png")


def is_svg(cover: object) -> bool:
    return isinstance(cover, str) and cover.strip().lower().endswith(".svg")


def svg_digest(svg: Path) -> str:
    return hashlib.sha256(svg.read_bytes()).hexdigest()


def twin_state(svg: Path) -> str | None:
    """None when the PNG twin of ``svg`` exists and was made from it, else why not."""
    png = twin_of(svg)
    if not png.is_file():
        return MISSING
    try:
        recorded = read_text(png).get(DIGEST_KEY)
    except (OSError, MediaError):
        return STALE
    return None if recorded == svg_digest(svg) else STALE

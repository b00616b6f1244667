"""PNG twins of SVG covers, for link previews.

Social platforms do not show SVG images in link previews, so every post
whose ``cover`` is an SVG under docs/ gets a PNG beside it (same path,
``.png``) at 1200 x 630. The twin records the SHA-256 of the SVG it was
made from in a tEXt chunk (keyword :data:`DIGEST_KEY`): a twin whose
recorded digest differs from the SVG's is stale and is made again.

Plain functions: ``seedpress covers``, ``seedpress new-post --featured`` and
the ship check (SP309) call them. Rasterizing goes through
:func:`seedpress.gallery.media.svg_to_png`, the one place ffmpeg runs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .content import load_publication, parse_post
from .content.posts import post_files
from .diagnostics import ContentError
from .pngtext import PngError, read_text

DIGEST_KEY = "seedpress:svg-sha256"

#: What :func:`twin_state` returns for a twin that needs making.
MISSING = "missing"
STALE = "stale"


@dataclass(frozen=True)
class Cover:
    """An SVG cover named by a post (the first post that names it)."""

    post: Path
    line: int
    svg: Path

    @property
    def png(self) -> Path:
        return twin_of(self.svg)


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
    except (OSError, PngError):
        return STALE
    return None if recorded == svg_digest(svg) else STALE


def svg_covers(root: Path) -> tuple[list[Cover], list[str]]:
    """Every existing SVG cover under docs/ named by a post, and notes on the ones skipped.

    A cover that does not exist is the ship check's SP308, not a twin to make.
    """
    pub = load_publication(root)
    docs = pub.docs_dir.resolve()
    covers: dict[Path, Cover] = {}
    skipped: list[str] = []
    for path in post_files(pub.posts_dir):
        try:
            post = parse_post(path)
        except ContentError as err:
            skipped.append(f"{err.diagnostics[0].text()} (this post is skipped)")
            continue
        cover = post.meta.get("cover")
        if not is_svg(cover):
            continue
        where = f"{post.path.relative_to(root).as_posix()}:{post.meta.line_of('cover')}"
        svg = (pub.docs_dir / cover.strip().lstrip("/")).resolve()
        if not svg.is_relative_to(docs):
            skipped.append(f"{where}: cover {cover!r} is outside docs/, skipped")
        elif not svg.is_file():
            skipped.append(f"{where}: cover {cover!r} is not a file under docs/ (SP308), "
                           "skipped")
        else:
            covers.setdefault(svg, Cover(post.path, post.meta.line_of("cover"), svg))
    return sorted(covers.values(), key=lambda c: c.svg), skipped


def write_twin(svg: Path) -> Path:
    """Rasterize ``svg`` to its PNG twin (atomically), recording the SVG's digest."""
    from .gallery import media

    png = twin_of(svg)
    media.svg_to_png(svg, png, text={DIGEST_KEY: svg_digest(svg)})
    return png


def tools_missing() -> list[str]:
    from .gallery import media

    return media.tools_missing()

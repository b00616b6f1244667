"""Covers: the placeholder ``new-post --featured`` writes, and the PNG twins of SVG covers.

Whether a twin is there and current is :mod:`seedpress.content.twins`
(the post validator's SP309 asks it); this module makes them, for
``seedpress covers`` and ``seedpress new-post --featured``. Rasterizing goes
through :func:`seedpress.gallery.media.svg_to_png`, the one place ffmpeg runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from .content import load_publication, parse_post
from .content.posts import post_files
from .content.skeleton import COVER_PLACEHOLDER_MARK
from .content.twins import DIGEST_KEY, svg_digest, twin_of
from .diagnostics import display_path
from .errors import ContentError, MediaError
from .gallery import media


@dataclass(frozen=True)
class Cover:
    """An SVG cover named by a post (the first post that names it)."""

    post: Path
    line: int
    svg: Path

    @property
    def png(self) -> Path:
        return twin_of(self.svg)


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
        cover = post.front.cover
        if cover is None or not cover.lower().endswith(".svg"):
            continue
        line = post.meta.line_of("cover")
        where = f"{display_path(post.path, root)}:{line}"
        written = post.meta["cover"]
        svg = (pub.docs_dir / cover).resolve()
        if not svg.is_relative_to(docs):
            skipped.append(f"{where}: cover {written!r} is outside docs/, skipped")
        elif not svg.is_file():
            skipped.append(f"{where}: cover {written!r} is not a file under docs/ (SP308), "
                           "skipped")
        else:
            covers.setdefault(svg, Cover(post.path, line, svg))
    return sorted(covers.values(), key=lambda c: c.svg), skipped


def write_twin(svg: Path) -> Path:
    """Rasterize ``svg`` to its PNG twin (atomically), recording the SVG's digest."""
    png = twin_of(svg)
    media.svg_to_png(svg, png, text={DIGEST_KEY: svg_digest(svg)})
    return png


def tools_missing() -> list[str]:
    return media.tools_missing()


def twin_or_note(svg: Path) -> tuple[Path | None, str | None]:
    """The PNG twin of a new cover, or why it could not be made (what uses the
    cover stands without it)."""
    missing = tools_missing()
    if missing:
        return None, (f"{' and '.join(missing)} not installed, so the cover has no PNG twin "
                      "for link previews yet; install ffmpeg, then run `seedpress covers`")
    try:
        return write_twin(svg), None
    except MediaError as err:
        return None, f"the cover's PNG twin could not be made ({err}); run `seedpress covers`"


def placeholder_svg(title: str) -> str:
    """A plain SVG cover that names the post, for the writer to replace."""
    shown = title if len(title) <= 42 else title[:41].rstrip() + "..."
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" '
        'viewBox="0 0 1200 630" role="img" aria-label="' + escape(title, {'"': "&quot;"}) + '">\n'
        f"  <!-- {COVER_PLACEHOLDER_MARK}: written by seedpress new-post; replace this file "
        "with the post's cover -->\n"
        '  <rect width="1200" height="630" fill="#1d2a3a"/>\n'
        '  <text x="80" y="330" fill="#f4f1ea" font-family="sans-serif" font-size="48">'
        + escape(shown) + "</text>\n"
        "</svg>\n"
    )

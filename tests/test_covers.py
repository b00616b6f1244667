"""PNG twins of SVG covers: link previews get a 1200x630 PNG, never an SVG.

The rasterizer runs the real ffmpeg; the twins are checked from the PNG bytes
(IHDR) and from the built site's <head>, as a link preview reads them.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest
from seedpress.check import run as ship_check
from seedpress.cli import main
from seedpress.errors import MediaError
from seedpress.gallery.media import svg_to_png
from seedpress.pages.data import load_site_data
from seedpress.pngtext import read_text
from support import ROOT, TODAY, require_tool
from support.html import SITE_URL, head_of, local_file

SVG_POSTS = [p for p in load_site_data(ROOT).posts
             if not p.draft and str(p.meta.get("cover", "")).endswith(".svg")]

#: a square, partly transparent SVG: not the share size, so it must be fitted
SQUARE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300" '
              'viewBox="0 0 300 300"><circle cx="150" cy="150" r="120" fill="#c0392b"/></svg>\n')


def png_header(path: Path) -> tuple[int, int, int]:
    """(width, height, colour type) straight from the PNG's IHDR chunk."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    assert data[12:16] == b"IHDR"
    width, height, _depth, colour = struct.unpack(">IIBB", data[16:26])
    return width, height, colour


@pytest.fixture
def ffmpeg() -> None:
    require_tool("ffmpeg")
    require_tool("ffprobe")


def cli(root: Path, *argv: str) -> int:
    return main([*argv, "--root", str(root)])


# -- the rasterizer ------------------------------------------------------------------

def test_an_svg_becomes_an_opaque_1200x630_png_with_its_text(ffmpeg, tmp_path: Path):
    svg = tmp_path / "square.svg"
    svg.write_text(SQUARE_SVG)
    dest = tmp_path / "out" / "square.png"
    svg_to_png(svg, dest, text={"seedpress:svg-sha256": "abc123"})
    assert png_header(dest) == (1200, 630, 2)  # colour type 2: RGB, no alpha
    assert read_text(dest) == {"seedpress:svg-sha256": "abc123"}
    assert sorted(p.name for p in dest.parent.iterdir()) == ["square.png"]


def test_a_broken_svg_leaves_the_previous_png_and_no_temporary_file(ffmpeg, tmp_path: Path):
    svg = tmp_path / "cover.svg"
    svg.write_text(SQUARE_SVG)
    dest = tmp_path / "cover.png"
    svg_to_png(svg, dest)
    before = dest.read_bytes()
    svg.write_text("<svg this is not xml")
    with pytest.raises(MediaError):
        svg_to_png(svg, dest)
    assert dest.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cover.png", "cover.svg"]


# -- the committed twins and `seedpress covers` ----------------------------------------------

@pytest.mark.parametrize("post", SVG_POSTS, ids=lambda p: p.slug)
def test_every_svg_cover_has_a_small_committed_twin(post):
    png = ROOT / "docs" / post.meta["cover"].removesuffix(".svg")
    png = png.with_suffix(".png")
    assert png_header(png)[:2] == (1200, 630)
    assert png.stat().st_size < 200 * 1024


def test_covers_check_fails_on_a_missing_or_stale_twin_until_covers_runs(
        ffmpeg, project_copy: Path, capsys):
    assert SVG_POSTS, "the publication has no SVG covers to test with"
    cover = SVG_POSTS[0].meta["cover"]
    svg = project_copy / "docs" / cover
    png = svg.with_suffix(".png")
    assert cli(project_copy, "covers", "--check") == 0
    png.unlink()

    assert cli(project_copy, "covers", "--check") == 1
    out = capsys.readouterr().out
    assert f"docs/{cover.removesuffix('.svg')}.png: missing" in out
    assert "run `seedpress covers`" in out
    assert not png.exists()  # --check writes nothing

    assert cli(project_copy, "covers") == 0
    assert f"wrote docs/{cover.removesuffix('.svg')}.png" in capsys.readouterr().out
    assert png_header(png)[:2] == (1200, 630)
    assert cli(project_copy, "covers", "--check") == 0

    svg.write_text(svg.read_text().replace("</svg>", '<rect width="10" height="10"/></svg>'))
    assert cli(project_copy, "covers", "--check") == 1
    assert "stale" in capsys.readouterr().out
    assert cli(project_copy, "covers") == 0
    assert cli(project_copy, "covers", "--check") == 0


def test_the_ship_check_reports_a_missing_twin_as_sp309(project_copy: Path):
    post = SVG_POSTS[0]
    rel = post.path.relative_to(ROOT).as_posix()
    line = next(i for i, text in enumerate(post.path.read_text().splitlines(), 1)
                if text.startswith("cover:"))
    assert not [d for d in ship_check(project_copy, [project_copy / "posts"], today=TODAY)
                .diagnostics if d.code == "SP309"]
    (project_copy / "docs" / post.meta["cover"]).with_suffix(".png").unlink()
    found = [d for d in ship_check(project_copy, [project_copy / "posts"], today=TODAY)
             .diagnostics if d.code == "SP309"]
    assert len(found) == 1
    assert found[0].path == rel  # shown relative to the project, as editors read it
    assert found[0].line == line
    assert "seedpress covers" in found[0].message


# -- new-post --featured ---------------------------------------------------------------------

def test_a_featured_new_post_gets_a_png_twin_of_its_placeholder(ffmpeg, project_copy, capsys):
    assert cli(project_copy, "new-post", "Twin covers for previews", "--category",
               "Workflow", "--featured") == 0
    out = capsys.readouterr().out
    png = project_copy / "docs" / "assets" / "covers" / "twin-covers-for-previews.png"
    assert "wrote docs/assets/covers/twin-covers-for-previews.png" in out
    assert png_header(png)[:2] == (1200, 630)
    assert cli(project_copy, "covers", "--check") == 0


def test_without_ffmpeg_new_post_says_to_run_covers(project_copy, tmp_path, monkeypatch, capsys):
    empty = tmp_path / "no-tools"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert cli(project_copy, "new-post", "No tools here", "--category", "Workflow",
               "--featured") == 0
    err = capsys.readouterr().err
    assert "ffmpeg" in err and "not installed" in err and "`seedpress covers`" in err
    covers = project_copy / "docs" / "assets" / "covers"
    assert (covers / "no-tools-here.svg").is_file()
    assert not (covers / "no-tools-here.png").exists()
    assert cli(project_copy, "covers", "--check") == 1
    assert cli(project_copy, "covers") == 2  # cannot run without ffmpeg
    assert "not installed" in capsys.readouterr().err


# -- the built site ----------------------------------------------------------------------------

@pytest.mark.parametrize("post", SVG_POSTS, ids=lambda p: p.slug)
def test_a_post_page_shares_the_png_twin_of_its_svg_cover(built_site: Path, post):
    head = head_of(built_site / "blog" / post.slug / "index.html")
    image = head.one("og:image")
    assert head.one("twitter:image") == image
    assert re.fullmatch(re.escape(SITE_URL) + r".+\.png", image), image
    assert image == SITE_URL + post.meta["cover"].removesuffix(".svg") + ".png"
    assert png_header(local_file(built_site, image))[:2] == (1200, 630)
    assert head.one("og:image:width") == "1200" and head.one("og:image:height") == "630"


def test_covers_counts_in_plain_english(ffmpeg, project_copy: Path, capsys):
    """One cover to make is "1 twin", not "1 twins" (and one cover is "1 SVG cover")."""
    first, *others = SVG_POSTS
    for post in others:  # leave the project one SVG cover
        path = project_copy / post.path.relative_to(ROOT)
        path.write_text("".join(line for line in path.read_text().splitlines(keepends=True)
                                if not line.startswith("cover:")))
    (project_copy / "docs" / first.meta["cover"]).with_suffix(".png").unlink()
    assert cli(project_copy, "covers", "--check") == 1
    assert capsys.readouterr().out.splitlines()[-1] == \
        "1 of 1 cover twin to make: run `seedpress covers`"
    assert cli(project_copy, "covers") == 0
    assert capsys.readouterr().out.splitlines()[-1] == \
        "1 SVG cover: 1 twin written, 0 already up to date"
    assert cli(project_copy, "covers", "--check") == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 SVG cover, its PNG twin up to date"

"""The site's own CSS reaches the reader as one content-hashed file."""

from __future__ import annotations

import re
from pathlib import Path

from seedpress.site.stylesheets import plan
from support import ROOT


def write(docs: Path, name: str, text: str) -> None:
    path = docs / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_local_stylesheets_become_one_file_in_the_place_of_the_first(tmp_path: Path):
    write(tmp_path, "assets/a.css", ".a { color: red; }\n")
    write(tmp_path, "assets/b.css", ".b { background: url(b.svg); }\n")
    write(tmp_path, "vendor/c.css", ".c {}\n")
    extra = ["https://example.org/x.css", "assets/a.css", "vendor/c.css", "assets/b.css"]
    new, bundle = plan(tmp_path, extra)
    assert bundle is not None
    assert new == ["https://example.org/x.css", bundle.uri, "vendor/c.css"]
    assert re.fullmatch(r"assets/site\.[0-9a-f]{8}\.css", bundle.uri)
    assert bundle.text.index(".a {") < bundle.text.index(".b {")
    assert "url(b.svg)" in bundle.text


def test_the_name_changes_with_the_content(tmp_path: Path):
    write(tmp_path, "assets/a.css", ".a {}\n")
    write(tmp_path, "assets/b.css", ".b {}\n")
    _, first = plan(tmp_path, ["assets/a.css", "assets/b.css"])
    _, again = plan(tmp_path, ["assets/a.css", "assets/b.css"])
    write(tmp_path, "assets/b.css", ".b { color: blue; }\n")
    _, changed = plan(tmp_path, ["assets/a.css", "assets/b.css"])
    assert first.uri == again.uri
    assert changed.uri != first.uri


def test_nothing_to_gain_leaves_the_list_alone(tmp_path: Path):
    write(tmp_path, "assets/a.css", ".a {}\n")
    assert plan(tmp_path, ["assets/a.css", "assets/missing.css"]) == (
        ["assets/a.css", "assets/missing.css"], None)


def test_built_pages_link_one_bundle_holding_every_site_stylesheet(built_site: Path):
    sources = re.findall(r"^\s*-\s*(assets/[\w.-]+\.css)\s*$",
                         (ROOT / "mkdocs.yml").read_text(), re.M)
    assert len(sources) >= 2
    home = (built_site / "index.html").read_text()
    links = re.findall(r'<link rel="stylesheet" href="(assets/site\.[0-9a-f]{8}\.css)">', home)
    assert len(links) == 1
    for src in sources:
        assert f'href="{src}"' not in home
    bundle = (built_site / links[0]).read_text()
    for src in sources:
        body = (ROOT / "docs" / src).read_text().strip()
        assert body in bundle, src

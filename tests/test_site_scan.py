"""`seedpress check --site` reads every file of the built site that carries words.

Pages, feeds and the stylesheet a browser shows them with, the search index,
the sitemap, SVG images and our own scripts and styles; the theme's own
bundled files (copied unchanged, using the em dash as code) are left out.
The home page's count is the check's count.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from seedpress.check import run
from seedpress.check.runner import collect
from seedpress.check.site_scan import site_files, theme_files
from seedpress.pages.data import load_site_data
from seedpress.pages.home import numbers
from support import ROOT, TODAY

EM_DASH = "\u2014"
#: the em dash codes the check reports in sources (character, entity, look-alike)
SOURCE_CODES = {"SP101", "SP102", "SP104"}


def test_every_file_that_carries_words_is_read(built_site: Path):
    targets = collect(ROOT, [ROOT / "mkdocs.yml"], built_site)
    read = {p.relative_to(built_site).as_posix() for p, is_built in targets if is_built}
    for rel in ("index.html", "faq/index.html", "rss.xsl", "feed_rss_created.xml",
                "feed_rss_updated.xml", "feed_json_created.json", "sitemap.xml",
                "search/search_index.json", "assets/seedance.js", "assets/seedpress.css",
                "assets/logo.svg", "assets/pricing.json"):
        assert rel in read, rel
    suffixes = {Path(r).suffix for r in read}
    assert {".html", ".xml", ".xsl", ".json", ".svg", ".js", ".css"} <= suffixes
    # the theme's own bundle is left out; one of its files uses the dash as code
    theirs = theme_files(built_site, ROOT / "docs")
    assert "assets/javascripts/lunr/wordcut.js" in theirs
    assert EM_DASH in (built_site / "assets/javascripts/lunr/wordcut.js").read_text()
    assert not set(theirs) & read
    assert all(r.startswith("assets/") for r in theirs)


def test_both_engines_ship_our_feed_stylesheet_and_pass(built_site: Path, zensical_site: Path):
    ours = (ROOT / "docs" / "rss.xsl").read_bytes()
    for site in (built_site, zensical_site):
        assert (site / "rss.xsl").read_bytes() == ours, site
        assert 'href="rss.xsl"' in (site / "feed_rss_created.xml").read_text()
        report = run(ROOT, [ROOT / "mkdocs.yml"], today=TODAY, site=site)
        assert report.files > 40
        assert report.diagnostics == [], "\n".join(d.text() for d in report.diagnostics)


def test_a_plugins_default_stylesheet_is_caught_at_its_lines(built_site: Path, tmp_path):
    """What the feed plugin ships as rss.xsl when the site does not set its own."""
    import mkdocs_rss_plugin

    default = Path(mkdocs_rss_plugin.__file__).parent / "templates" / "default.xsl"
    want = [(n, line.index(EM_DASH) + 1)
            for n, line in enumerate(default.read_text().splitlines(), 1) if EM_DASH in line]
    assert len(want) >= 1
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    shutil.copy(default, site / "rss.xsl")
    report = run(ROOT, [ROOT / "mkdocs.yml"], today=TODAY, site=site)
    got = [(d.line, d.column) for d in report.diagnostics
           if d.code == "SP103" and d.path.endswith("rss.xsl")]
    assert got == want
    assert len(report.diagnostics) == len(want)


def test_a_file_of_ours_at_a_theme_path_is_read(built_site: Path, tmp_path):
    docs = tmp_path / "docs"
    rel = "assets/javascripts/lunr/wordcut.js"
    (docs / rel).parent.mkdir(parents=True)
    (docs / rel).write_text("// ours now\n")
    read = {p.relative_to(built_site).as_posix() for p in site_files(built_site, docs)}
    assert rel in read
    assert rel not in {p.relative_to(built_site).as_posix()
                       for p in site_files(built_site, ROOT / "docs")}


def test_the_home_page_count_is_the_checks_count(project_copy: Path):
    def home_count() -> int:
        return int(next(n.value for n in numbers(load_site_data(project_copy, TODAY))
                        if n.label == "em dashes found"))

    def check_count() -> int:
        report = run(project_copy, today=TODAY)
        return sum(1 for d in report.diagnostics if d.code in SOURCE_CODES)

    assert home_count() == check_count() == 0
    entity = "&" + "mdash;"
    edits = {
        "posts/production-render-queue.md": f"\nA stray {EM_DASH} and {entity} here.\n",
        "docs/pricing.md": "\nA page with a look-alike \u2015 dash.\n",
        "data/faq.yml": f"\n# a comment {EM_DASH} in a data file\n",
        "overrides/main.html": f"\n{{# a template comment {EM_DASH} #}}\n",
        "mkdocs.yml": f"\n# a setting's comment {EM_DASH}\n",
    }
    for rel, extra in edits.items():
        path = project_copy / rel
        path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    assert home_count() == check_count() == 6

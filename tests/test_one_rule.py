"""One rule, one place (issue 21): what a reader or an editor sees when a rule is
decided once and every verb follows it."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from seedpress.check import run as check
from seedpress.content import parse_post
from support import BIN, ROOT, TODAY, cli, copy_repo

pytestmark = pytest.mark.slow


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    """A small publication: the real settings, authors, pages and posts."""
    root = tmp_path / "desk"
    for folder in ("data", "posts", "docs"):
        shutil.copytree(ROOT / folder, root / folder)
    shutil.copy(ROOT / "mkdocs.yml", root)
    return root


def _footer_previous(page: Path) -> str:
    found = re.search(r'<a href="([^"]*)" class="md-footer__link md-footer__link--prev"',
                      page.read_text(encoding="utf-8"))
    assert found, page
    return found[1]


def test_mkdocs_build_with_another_config_reads_its_navigation(tmp_path):
    """`mkdocs build -f other.yml`: the footer follows the navigation of the file
    MkDocs was given (the hook hands over the config MkDocs parsed)."""
    project = copy_repo(tmp_path / "project")
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    other = text.replace("  - FAQ: faq.md\n", "").replace(
        "  - Rules: rules.md\n", "  - Rules: rules.md\n  - FAQ: faq.md\n")
    assert other != text
    (project / "other.yml").write_text(other, encoding="utf-8")
    out = tmp_path / "site"
    result = subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "-f", "other.yml",
                             "--site-dir", str(out)], cwd=project, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _footer_previous(out / "faq" / "index.html") == "../rules/"


def test_stale_and_the_check_agree_on_drafts(desk, capsys):
    """A draft is not published: SP205 never judges it, and `seedpress stale` lists
    it apart, never as stale."""
    post = desk / "posts" / "production-render-queue.md"
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace("\ncategories:", "\ndraft: true\ncategories:", 1),
                    encoding="utf-8")
    late = (TODAY + dt.timedelta(days=4000)).isoformat()
    report = check(desk, [post], today=TODAY + dt.timedelta(days=4000))
    assert not [d for d in report.diagnostics if d.code == "SP205"]
    assert cli(desk, "stale", "--today", late) == 0
    lines = capsys.readouterr().out.splitlines()
    row = next(line for line in lines if "production-render-queue.md" in line)
    assert "draft" in row and "STALE" not in row


def test_stale_stops_on_an_impossible_date_at_its_line(desk, capsys):
    post = desk / "posts" / "production-render-queue.md"
    text = post.read_text(encoding="utf-8")
    created = re.search(r"created: (\S+)", text)[1]
    post.write_text(text.replace(f"created: {created}", "created: 2026-02-30", 1),
                    encoding="utf-8")
    line = next(i for i, ln in enumerate(post.read_text().splitlines(), 1)
                if "2026-02-30" in ln)
    assert cli(desk, "stale") == 2
    err = capsys.readouterr().err
    assert f"posts/production-render-queue.md:{line}:" in err and "SP202" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("dash", ["\u2015", "\u2e3a", "\ufe58", "&mdash;"])
def test_new_post_refuses_a_title_the_check_would_flag_as_a_dash(desk, capsys, dash):
    before = sorted(p.name for p in (desk / "posts").iterdir())
    assert cli(desk, "new-post", f"Cheap {dash} fast", "--category", "Workflow") == 2
    err = capsys.readouterr().err
    assert "em dash" in err and "nothing was written" in err
    assert sorted(p.name for p in (desk / "posts").iterdir()) == before


def test_a_default_author_nobody_is_a_finding_at_its_line(desk, capsys):
    publication = desk / "data" / "publication.yml"
    text = publication.read_text(encoding="utf-8")
    author = re.search(r"^default_author: (\S+)", text, re.M)[1]
    publication.write_text(text.replace(f"default_author: {author}", "default_author: nobody"),
                           encoding="utf-8")
    line = next(i for i, ln in enumerate(publication.read_text().splitlines(), 1)
                if ln.startswith("default_author:"))
    report = check(desk, [publication], today=TODAY)
    found = [d for d in report.diagnostics if d.code == "SP307"]
    assert [(d.path, d.line) for d in found] == [("data/publication.yml", line)]
    assert "'nobody' is not in docs/blog/.authors.yml" in found[0].message
    before = sorted(p.name for p in (desk / "posts").iterdir())
    assert cli(desk, "new-post", "A post by nobody", "--category", "Workflow") == 2
    assert "unknown author 'nobody'" in capsys.readouterr().err
    assert sorted(p.name for p in (desk / "posts").iterdir()) == before


def test_a_new_post_reads_back_through_the_validator_the_build_uses(desk):
    assert cli(desk, "new-post", "Renders that wait in line", "--category", "Workflow") == 0
    post = parse_post(desk / "posts" / "renders-that-wait-in-line.md")
    report = check(desk, [post.path], today=TODAY)
    assert not [d for d in report.diagnostics if d.severity == "error"], report.diagnostics


def test_markdown_outside_posts_and_docs_with_no_front_matter_is_a_post(desk):
    notes = desk / "notes"
    notes.mkdir()
    note = notes / "draft-ideas.md"
    note.write_text("# Ideas\n\nA guide to write one day.\n", encoding="utf-8")
    report = check(desk, [note], today=TODAY)
    assert [(d.line, d.code) for d in report.diagnostics] == [(1, "SP005")]

"""new-post, review and stale: what an editor sees, called directly and as commands."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from seedpress.cli import main
from seedpress.commands import new_post, review
from seedpress.commands.stale import ages
from seedpress.content import load_publication, parse_post
from seedpress.content.slugs import slugify
from support import BIN, ROOT, TODAY


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    """A small publication: the real settings, authors and posts."""
    root = tmp_path / "desk"
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "posts", root / "posts")
    (root / "docs" / "blog").mkdir(parents=True)
    shutil.copy(ROOT / "docs" / "blog" / ".authors.yml", root / "docs" / "blog")
    return root


def run(root: Path, *argv: str) -> int:
    return main([*argv, "--root", str(root)])


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


# -- new-post ----------------------------------------------------------------------

def test_slugify_makes_url_words():
    slug = slugify("Seedance 2.0: A Budget's First Week")
    assert slug == "seedance-2-0-a-budgets-first-week"
    assert slugify("  Cafe\u0301 cut, 9:16  ") == "cafe-cut-9-16"
    assert slugify("!!!") == ""


def test_new_post_writes_full_front_matter_and_a_skeleton(desk: Path, capsys):
    assert run(desk, "new-post", "Batch renders on a budget", "--category", "Workflow") == 0
    out = capsys.readouterr().out
    assert "wrote posts/batch-renders-on-a-budget.md" in out
    post = parse_post(desk / "posts" / "batch-renders-on-a-budget.md")
    assert post.title == "Batch renders on a budget"
    assert post.meta["slug"] == "batch-renders-on-a-budget"
    assert post.created == TODAY and post.updated == TODAY
    assert post.categories == ["Workflow"]
    assert post.meta["authors"] == [load_publication(desk).default_author]
    assert post.description
    assert "featured" not in post.meta and "draft" not in post.meta
    assert post.body.lstrip().startswith("# Batch renders on a budget")
    assert "<!-- more -->" in post.body
    assert "\u2014" not in post.text


def test_new_post_with_author_featured_and_explicit_today(desk: Path):
    assert run(desk, "new-post", "Nine references, one shot", "--category", "Prompting",
               "--author", "eng", "--featured", "--today", "2026-12-01") == 0
    post = parse_post(desk / "posts" / "nine-references-one-shot.md")
    assert post.created == dt.date(2026, 12, 1)
    assert post.meta["authors"] == ["eng"] and post.featured
    assert post.meta["cover"] == "assets/covers/nine-references-one-shot.svg"
    cover = desk / "docs" / "assets" / "covers" / "nine-references-one-shot.svg"
    assert cover.read_text().startswith("<svg") and "Nine references, one shot" in cover.read_text()


def test_new_post_keeps_quotes_and_colons_in_the_title(desk: Path):
    title = 'Prompt "@Image1": what the tag means'
    made = new_post.new_post(desk, title, "Use case", today=TODAY)
    post = parse_post(made.path)
    assert post.title == title and post.categories == ["Use case"]


@pytest.mark.parametrize("argv, message", [
    (["Fresh", "--category", "Workflw"], "unknown category 'Workflw' (did you mean 'Workflow'?)"),
    (["Fresh", "--category", "workflow"], "unknown category 'workflow' (did you mean 'Workflow'?)"),
    (["Fresh", "--category", "Workflow", "--author", "dsk"],
     "unknown author 'dsk' (did you mean 'desk'?)"),
    (["Production render queue", "--category", "Workflow"],
     "posts/production-render-queue.md already exists"),
    (["!!!", "--category", "Workflow"], "no letters or digits"),
    (["Cheap \u2014 fast", "--category", "Workflow"], "em dash"),
])
def test_new_post_refuses_and_writes_nothing(desk: Path, capsys, argv, message):
    before = snapshot(desk)
    assert run(desk, "new-post", *argv) == 2
    err = capsys.readouterr().err
    assert message in err and "nothing was written" in err
    assert "Traceback" not in err
    assert snapshot(desk) == before


def test_new_post_refuses_a_slug_used_by_another_file(desk: Path, capsys):
    (desk / "posts" / "renamed-file.md").write_text(
        "---\ntitle: Old\nslug: a-taken-slug\ndate: 2026-11-01\n---\nBody\n")
    before = snapshot(desk)
    assert run(desk, "new-post", "A taken slug", "--category", "Workflow") == 2
    assert "already used by posts/renamed-file.md" in capsys.readouterr().err
    assert snapshot(desk) == before


def test_new_post_refuses_a_title_another_post_has(desk: Path, capsys):
    taken = parse_post(desk / "posts" / "production-render-queue.md").title
    before = snapshot(desk)
    assert run(desk, "new-post", taken.upper(), "--category", "Workflow", "--slug", "other") == 2
    assert "already used by posts/production-render-queue.md" in capsys.readouterr().err
    assert snapshot(desk) == before


# -- review ----------------------------------------------------------------------

def test_review_changes_only_the_reviewed_line(desk: Path, capsys):
    path = desk / "posts" / "production-render-queue.md"
    before = path.read_bytes()
    post = parse_post(path)
    was = post.reviewed.isoformat()
    assert run(desk, "review", "posts/production-render-queue.md", "--today", "2026-11-30") == 0
    assert f"reviewed 2026-11-30 (date.reviewed was {was})" in capsys.readouterr().out
    after = path.read_bytes()
    old, new = before.split(b"\n"), after.split(b"\n")
    assert len(old) == len(new)
    changed = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    assert changed == [(f"  reviewed: {was}".encode(), b"  reviewed: 2026-11-30")]
    again = parse_post(path)
    assert again.reviewed == dt.date(2026, 11, 30)
    # a review is not a change a reader notices: updated stays where it was
    assert again.updated == post.updated


def test_review_twice_the_same_day_leaves_the_file_alone(desk: Path, capsys):
    path = desk / "posts" / "production-render-queue.md"
    assert run(desk, "review", str(path), "--today", "2026-11-30") == 0
    first = path.read_bytes()
    assert run(desk, "review", str(path), "--today", "2026-11-30") == 0
    assert "already reviewed 2026-11-30" in capsys.readouterr().out
    assert path.read_bytes() == first


def test_review_turns_a_plain_date_into_created_and_reviewed(desk: Path):
    path = desk / "posts" / "plain.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\ntitle: Plain\r\ndate: 2026-05-01  # first draft\r\n"
                     b"categories: [Workflow]\r\n---\r\n\r\nBody with   spacing.\r\n")
    review.review(path, today=TODAY)
    assert path.read_bytes() == (
        b"\xef\xbb\xbf---\r\ntitle: Plain\r\ndate:  # first draft\r\n"
        b"  created: 2026-05-01\r\n  reviewed: " + TODAY.isoformat().encode() + b"\r\n"
        b"categories: [Workflow]\r\n---\r\n\r\nBody with   spacing.\r\n")


def test_review_adds_reviewed_after_the_last_date_with_its_indent(desk: Path):
    path = desk / "posts" / "no-reviewed.md"
    path.write_text("---\ntitle: T\ndate:\n    created: 2026-05-01\n    updated: 2026-06-01\n"
                    "authors: [desk]\n---\nB\n")
    review.review(path, today=TODAY)
    assert path.read_text() == ("---\ntitle: T\ndate:\n    created: 2026-05-01\n"
                                f"    updated: 2026-06-01\n    reviewed: {TODAY}\n"
                                "authors: [desk]\n---\nB\n")
    post = parse_post(path)
    assert (post.updated, post.reviewed) == (dt.date(2026, 6, 1), TODAY)


def test_review_refuses_a_day_before_creation_and_bad_input(desk: Path, capsys):
    path = desk / "posts" / "production-render-queue.md"
    before = path.read_bytes()
    assert run(desk, "review", str(path), "--today", "2026-01-01") == 2
    assert f"before date.created ({parse_post(path).created})" in capsys.readouterr().err
    assert run(desk, "review", str(path), "--today", "2026-02-30") == 2
    assert "not a calendar date" in capsys.readouterr().err
    assert run(desk, "review", "posts/missing.md") == 2
    assert "no such post file" in capsys.readouterr().err
    broken = desk / "posts" / "broken.md"
    broken.write_text("---\ntitle: [unclosed\ndate: 2026-05-01\n---\n")
    assert run(desk, "review", str(broken)) == 2
    err = capsys.readouterr().err
    assert "broken.md:" in err and "SP003" in err and "Traceback" not in err
    assert path.read_bytes() == before


# -- stale -------------------------------------------------------------------------

def late_day(desk: Path) -> dt.date:
    """A day on which every post of the desk is past the max age."""
    newest = max(parse_post(p).reviewed for p in (desk / "posts").glob("*.md"))
    return newest + dt.timedelta(days=load_publication(desk).max_age_days + 14)


def test_stale_lists_oldest_first_and_marks_the_max_age(desk: Path, capsys):
    today = late_day(desk)
    # one post reviewed a few days ago and one a month later than the rest:
    # the list runs from the oldest review to the newest
    review.review(desk / "posts" / "production-render-queue.md",
                     today=today - dt.timedelta(days=5))
    review.review(desk / "posts" / "native-audio-when-to-keep-it-on.md",
                     today=today - dt.timedelta(days=60))
    rows = ages(desk, today=today)
    assert [r.post.path.name for r in rows][-2:] == ["native-audio-when-to-keep-it-on.md",
                                                     "production-render-queue.md"]
    days = [r.days for r in rows]
    assert days == sorted(days, reverse=True)
    max_age = load_publication(desk).max_age_days
    assert [r.stale for r in rows] == [d > max_age for d in days]

    assert 0 < sum(r.stale for r in rows) < len(rows)
    assert run(desk, "stale", "--today", today.isoformat()) == 0
    lines = capsys.readouterr().out.splitlines()
    body = lines[1:-1]
    marker = next(i for i, ln in enumerate(body) if f"max age: {max_age} days" in ln)
    stale = [r for r in rows if r.stale]
    assert marker == len(stale)
    assert all("STALE" in ln for ln in body[:marker])
    assert not any("STALE" in ln for ln in body[marker + 1:])
    oldest = rows[0]
    assert body[0].split()[:3] == [str(oldest.days), oldest.reviewed.isoformat(),
                                    f"posts/{oldest.post.path.name}"]
    assert lines[-1] == f"{len(stale)} of {len(rows)} posts past the max age of {max_age} days."


def test_stale_fail_flag_and_a_review_clears_a_post(desk: Path, capsys):
    day = late_day(desk)
    today = day.isoformat()
    assert run(desk, "stale", "--today", today, "--fail") == 1
    for row in ages(desk, today=day):
        if row.stale:
            review.review(row.post.path, today=day)
    capsys.readouterr()
    assert run(desk, "stale", "--today", today, "--fail") == 0
    assert "0 of" in capsys.readouterr().out


def test_the_installed_command_runs_the_verbs(desk: Path):
    result = subprocess.run([str(BIN / "seedpress"), "stale", "--root", str(desk)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "posts/production-render-queue.md" in result.stdout
    help_text = subprocess.run([str(BIN / "seedpress"), "--help"],
                               capture_output=True, text=True, timeout=60).stdout
    for verb in ("new-post", "review", "stale"):
        assert verb in help_text


def test_commands_work_on_the_publication_in_the_current_folder(project_copy: Path):
    result = subprocess.run([str(BIN / "seedpress"), "new-post", "Written where I stand",
                             "--category", "Workflow"],
                            cwd=project_copy / "posts", capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert (project_copy / "posts" / "written-where-i-stand.md").is_file()
    assert not (ROOT / "posts" / "written-where-i-stand.md").exists()


# -- writes that cannot happen, and batches --------------------------------------------

def test_review_of_several_posts_writes_nothing_when_one_is_bad(desk: Path, capsys):
    first, third = desk / "posts" / "production-render-queue.md", \
        desk / "posts" / "native-audio-when-to-keep-it-on.md"
    before = snapshot(desk)
    code = run(desk, "review", str(first), str(desk / "posts" / "missing.md"), str(third),
               "--today", "2026-11-30")
    err = capsys.readouterr().err
    assert code == 2
    assert "missing.md: no such post file; nothing was written" in err
    assert snapshot(desk) == before


def test_review_refuses_a_read_only_post_and_changes_nothing(desk: Path, capsys):
    post = desk / "posts" / "production-render-queue.md"
    other = desk / "posts" / "native-audio-when-to-keep-it-on.md"
    post.chmod(0o444)
    before = snapshot(desk)
    code = run(desk, "review", str(other), str(post), "--today", "2026-11-30")
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "production-render-queue.md: the file is read-only" in err
    assert snapshot(desk) == before
    assert post.stat().st_mode & 0o777 == 0o444


def test_new_post_keeps_a_title_with_template_braces_buildable(desk: Path, capsys):
    assert run(desk, "new-post", "Escaping {{ braces }} and {% tags %} in prose",
               "--category", "Prompting") == 0
    post = parse_post(desk / "posts" / "escaping-braces-and-tags-in-prose.md")
    assert post.title == "Escaping {{ braces }} and {% tags %} in prose"
    from seedpress.pages.render import Origin, render_text

    body = render_text(post.body, {}, Origin("post", post.body_line - 1))
    assert body.lstrip().startswith("# Escaping {{ braces }} and {% tags %} in prose\n")


def test_new_post_refuses_a_title_it_cannot_make_safe(desk: Path, capsys):
    before = snapshot(desk)
    code = run(desk, "new-post", "Why {% endraw %} ends raw text", "--category", "Prompting")
    err = capsys.readouterr().err
    assert code == 2 and "would not build" in err and "nothing written" in err
    assert snapshot(desk) == before


def test_new_post_with_a_very_long_title_is_refused_clearly(desk: Path, capsys):
    before = snapshot(desk)
    code = run(desk, "new-post", "A guide " * 60, "--category", "Workflow")
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "the slug would be" in err and "--slug" in err
    assert snapshot(desk) == before
    code = run(desk, "new-post", "Short title", "--slug", "x" * 300, "--category", "Workflow")
    assert code == 2 and "the slug would be 300 characters" in capsys.readouterr().err


def test_new_post_into_a_posts_path_that_is_not_a_folder(desk: Path, capsys):
    shutil.rmtree(desk / "posts")
    (desk / "posts").write_text("not a folder\n")
    code = run(desk, "new-post", "Somewhere to write", "--category", "Workflow")
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "posts" in err


def test_new_post_says_what_is_left_to_write(desk: Path, capsys):
    """With --description given, the next step is the body alone; without, both."""
    assert run(desk, "new-post", "Batch renders on a budget", "--category", "Workflow") == 0
    out = capsys.readouterr().out
    assert "next: replace the placeholder description and write the body" in out
    assert run(desk, "new-post", "Renders that wait in line", "--category", "Workflow",
               "--description", "How long a render waits in fal's queue, and what to do "
               "while it waits.") == 0
    out = capsys.readouterr().out
    assert "description" not in out.split("next:")[1], out
    assert "next: write the body" in out


def test_new_post_refuses_a_title_the_check_would_report(desk: Path, capsys):
    from seedpress.content.posts import TITLE_MAX

    before = snapshot(desk)
    title = ("A guide to " + "renders, prices and seeds, " * 4)[:TITLE_MAX + 5].rstrip(" ,")
    assert TITLE_MAX < len(title) and len(slugify(title)) <= new_post.SLUG_MAX
    code = run(desk, "new-post", title, "--category", "Workflow")
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert f"the title is {len(title)} characters (at most {TITLE_MAX}" in err
    assert snapshot(desk) == before

"""The mistakes a new editor makes, and what the check says about each.

Tried from a fresh clone: an address from the site's root as a link, a code
block never closed, a headline of two hundred characters, a placeholder
cover left in, an image saved beside the post, YAML and template slips, a
stale site/ folder. Each one gets a finding at the line where the editor
fixes it, in words an editor understands, and the build agrees (the bad
corpus holds one case of each; tests/test_gate.py builds them). Images
beside a post are supported: they reach the built site under both engines.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from seedpress import cli
from seedpress.check import run
from seedpress.errors import ContentError
from seedpress.site.generate import generate
from support import BIN, ROOT, TODAY, copy_repo, mkdocs_build, zensical_build
from support.corpus import CORPUS, materialise

FRONT = """---
title: "{title}"
slug: {slug}
description: "A post written for a test of the ship check, with a description of a sane length."
date:
  created: 2026-10-01
  updated: 2026-11-20
categories:
  - Workflow
authors:
  - desk
---

"""


def post(folder: Path, slug: str, body: str, title: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug}.md"
    path.write_text(FRONT.format(title=title or f"A test post called {slug}", slug=slug) + body,
                    encoding="utf-8")
    return path


def check(*paths: Path, root: Path = ROOT):
    return run(root, list(paths), today=TODAY).diagnostics


def only(diagnostics):
    assert len(diagnostics) == 1, [d.text() for d in diagnostics]
    return diagnostics[0]


# -- 1. a link written as an address from the site's root (SP504) ----------------

def test_an_address_from_the_root_is_a_404_and_the_message_gives_the_link_to_write(bad):
    found = only(check(bad / "posts" / "sp504-absolute-link.md"))
    assert (found.code, found.line, found.column, found.severity) == ("SP504", 17, 28, "error")
    assert "'/blog/debugging-face-blocks-ip-warnin/'" in found.message
    assert "/seedpress/" in found.message and "404" in found.message
    assert "'debugging-face-blocks-ip-warnings.md'" in found.message


@pytest.mark.parametrize(("page", "link", "write"), [
    ("posts", "/blog/debugging-face-blocks-ip-warnings/", "debugging-face-blocks-ip-warnings.md"),
    ("posts", "/rules/#seeds", "../../rules.md#seeds"),
    ("posts", "/seedpress/rules/#seeds", None),
    ("posts", "/seedpress/blog/debugging-face-blocks-ip-warnings/", None),
    ("posts", "/seedpress/blog/category/workflow/", None),
    ("posts", "/seedpress/feed_rss_created.xml", None),
    ("posts", "/assets/logo.svg", "../../assets/logo.svg"),
    ("posts", "/seedpress/blog/debugging-face-blocks/", "nearest"),
    ("posts", "/seedpress/blog/no-such-guide/", "no page"),
    ("posts", "/blog/category/workflow/", "/seedpress/blog/category/workflow/"),
    ("posts", "//cdn.example.org/clip.mp4", None),
    ("docs", "/pricing/", "pricing.md"),
    ("docs", "/", "index.md"),
    ("docs", "/seedpress/", None),
])
def test_addresses_from_the_root_are_judged_against_the_sites_pages(tmp_path, page, link, write):
    if page == "posts":
        path = post(tmp_path / "posts", "absolute", f"# Links\n\nRead [this]({link}) now.\n")
    else:
        path = tmp_path / "docs" / "page.md"
        path.parent.mkdir()
        path.write_text(f"# A page\n\nRead [this]({link}) now.\n", encoding="utf-8")
    found = [d for d in check(path) if d.code == "SP504"]
    if write is None:
        assert found == []
        return
    finding = only(found)
    assert finding.line == path.read_text().count("\n", 0, path.read_text().index(link)) + 1
    if write == "nearest":
        assert "no page" in finding.message and "did you mean 'debugging-face-blocks-ip-" \
            "warnings.md'?" in finding.message
    elif write == "no page":
        assert "no page" in finding.message and "did you mean" not in finding.message
    else:
        assert f"'{write}'" in finding.message, finding.message


def test_reference_links_and_raw_html_are_judged_too(tmp_path):
    path = post(tmp_path / "posts", "refs", "# Links\n\nRead [the FAQ][faq].\n\n"
                "[faq]: /faq/\n\n<a href=\"/pricing/\">prices</a>\n")
    found = [(d.code, d.line) for d in check(path)]
    assert found == [("SP504", 18), ("SP504", 20)]
    assert "Markdown link" in check(path)[1].message


def test_an_address_from_the_root_in_a_faq_answer_is_judged_too(tmp_path):
    """FAQ answers link as from a page at the top of docs/, and stop the build the same way."""
    project = copy_repo(tmp_path / "project")
    faq = project / "data" / "faq.yml"
    text = faq.read_text()
    at = text.index("([what a seed repeats](rules.md#seeds))")
    faq.write_text(text.replace("(rules.md#seeds)", "(/rules/#seeds)", 1))
    line = text.count("\n", 0, at) + 1
    found = only(check(faq, root=project))
    assert (found.code, found.line) == ("SP504", line)
    assert "'rules.md#seeds'" in found.message
    with pytest.raises(ContentError) as err:
        generate(project, today=TODAY)
    assert [(d.code, d.line) for d in err.value.diagnostics] == [("SP504", line)]


#: (a link as written, whether SP504 judges it: it starts with one "/")
ABSOLUTE_FORMS = [
    ("[a](/blog/x/)", True), ("[a]( /blog/x/ )", True), ("[a](</blog/x y/>)", True),
    ("[a](/x.md 'title')", True), ("[x]: /faq/", True), ("   [x]: </faq/>", True),
    ("![img](/assets/a.png)", True), ('<a href="/x/">x</a>', True), ("<img src='/a.png'>", True),
    ("[a](//cdn.example.org/x)", False), ("[a](https://x.io/a/)", False), ("[a](b.md)", False),
    ("`[a](/in/code/)`", False),
]


@pytest.mark.parametrize(("form", "judged"), ABSOLUTE_FORMS)
def test_the_address_rules_quick_test_never_skips_a_link_it_judges(form, judged):
    """SP504 first looks for a "/" link cheaply; that look finds every link it judges."""
    from seedpress.pages import links

    for text in (form, f"Text before.\n\n{form}\n\nText after."):
        assert bool(links._absolute_targets(text)) == judged, text
        assert bool(links._ABSOLUTE_HINT.search(text)) >= judged, text
    listed = f"- {form}: more"  # a reference definition is none inside a list item
    assert bool(links._ABSOLUTE_HINT.search(listed)) >= bool(links._absolute_targets(listed))


def test_the_address_rules_quick_test_agrees_on_every_page_and_post():
    from seedpress.pages import links

    texts = [p.read_text(encoding="utf-8") for top in ("docs", "posts", "tests/check_corpus")
             for p in sorted((ROOT / top).rglob("*.md"))]
    assert len(texts) > 40
    for text in texts:
        assert bool(links._ABSOLUTE_HINT.search(text)) >= bool(links._absolute_targets(text))


@pytest.mark.slow  # builds a whole site
def test_the_suggested_link_is_what_the_build_turns_into_the_right_address(tmp_path):
    """Write what the message says and the real build links the page under /seedpress/."""
    project = copy_repo(tmp_path / "project")
    path = post(project / "posts", "links-home", "# Links\n\nRead [the guide](/blog/"
                "debugging-face-blocks-ip-warnings/).\n")
    message = only(check(path, root=project)).message
    write = re.search(r"instead: '([^']+)'", message).group(1)
    path.write_text(path.read_text().replace("/blog/debugging-face-blocks-ip-warnings/", write))
    assert check(path, root=project) == []
    out = tmp_path / "site"
    result = mkdocs_build(project, out)
    assert result.returncode == 0, result.stdout + result.stderr
    html = (out / "blog" / "links-home" / "index.html").read_text()
    assert 'href="../debugging-face-blocks-ip-warnings/"' in html


# -- 2. a code block never closed (SP011) ----------------------------------------------

def test_an_unclosed_fence_is_reported_where_it_opens(bad):
    found = only(check(bad / "posts" / "sp011-unclosed-fence.md"))
    assert (found.code, found.line, found.column, found.severity) == ("SP011", 18, 1, "error")
    assert "```console" in found.message and "never closed" in found.message


#: (body, the line the check reports or None, how many code blocks the writer meant)
FENCES = [
    ("```python\nprint(1)\n", 14, 1),
    ("~~~\nplain\n", 14, 1),
    ("Text.\n\n````markdown\n```python\nx = 1\n```\n", 16, 1),
    ("```\nx\n```python\n", 14, 1),
    ("```console\n$ make check\n````\n", 14, 1),
    ("1. A step\n\n    ```python\n    print(1)\n\n2. The next step\n", 16, 1),
    ("```python\nprint(1)\n```\n", None, 1),
    ("```python\nprint(1)\n```   \n\n~~~\nplain\n~~~\n", None, 2),
    ("Inline ```code``` is not a fence.\n", None, 0),
    ("1. A step\n\n    ```python\n    print(1)\n\n    print(2)\n    ```\n", None, 1),
    ("````markdown\n```python\nx = 1\n```\n````\n", None, 1),
    ("> ```python\n> print(1)\n> ```\n", None, 1),
]


@pytest.mark.parametrize(("body", "line", "blocks"), FENCES)
def test_every_fence_any_language_is_judged(tmp_path, body, line, blocks):
    path = post(tmp_path / "posts", "fences", body)
    found = [d for d in check(path) if d.code == "SP011"]
    assert [d.line for d in found] == ([] if line is None else [line]), found


@pytest.mark.parametrize(("body", "line", "blocks"), FENCES)
def test_the_fence_rule_agrees_with_the_engines_markdown(body, line, blocks):
    """Python-Markdown with the site's extensions (superfences) renders every block
    the writer meant exactly when the check finds nothing."""
    import markdown
    from seedpress.pages.settings import Settings

    names, options = Settings.read(ROOT / "mkdocs.yml").markdown_settings()
    html = markdown.Markdown(extensions=names, extension_configs=options).convert(body)
    rendered = html.count("<pre")
    if line is None:
        assert rendered == blocks, html
    else:
        assert rendered < blocks, html


def test_the_build_stops_on_an_unclosed_fence_where_the_check_does(tmp_path):
    project = copy_repo(tmp_path / "project")
    post(project / "posts", "fence", "Intro.\n\n```python\nprint(1)\n")
    with pytest.raises(ContentError) as err:
        generate(project, today=TODAY)
    assert [(d.path, d.line, d.code) for d in err.value.diagnostics] == [
        ("posts/fence.md", 16, "SP011")]


# -- 3. a title too long to show (SP311) -------------------------------------------------

def test_a_long_title_is_reported_with_the_reason(bad):
    found = only(check(bad / "posts" / "sp311-long-title.md"))
    assert (found.code, found.line, found.severity) == ("SP311", 2, "warning")
    assert re.search(r"title is 2\d\d characters; keep it to 70", found.message), found.message
    assert "search results" in found.message


def test_every_title_of_the_publication_is_within_the_limit():
    from seedpress.content.posts import TITLE_MAX
    from seedpress.pages.data import load_site_data

    longest = max(len(p.title) for p in load_site_data(ROOT).posts)
    assert longest <= TITLE_MAX


# -- 4. the placeholder cover (SP310) ------------------------------------------------------

def test_the_placeholder_cover_is_reported_until_it_is_replaced(bad, publication):
    case = bad / "posts" / "sp310-placeholder-cover.md"
    found = only(check(case, root=publication))
    assert (found.code, found.line, found.severity) == ("SP310", 13, "warning")
    assert "placeholder" in found.message
    assert "docs/assets/covers/sp310-placeholder-cover.svg" in found.message
    cover = publication / "docs" / "assets" / "covers" / "sp310-placeholder-cover.svg"
    before = cover.read_bytes()
    try:
        cover.write_text(before.decode().replace("#1d2a3a", "#203040").replace(
            "seedpress:placeholder-cover", "the real cover"))
        assert [d.code for d in check(case, root=publication)] == ["SP309"]  # its twin next
    finally:
        cover.write_bytes(before)


def test_new_post_featured_writes_a_cover_the_check_reports(tmp_path, capsys):
    project = copy_repo(tmp_path / "project")
    argv = ["new-post", "A featured guide", "--category", "Workflow", "--featured",
            "--description", "A featured guide written for a test, with a description of "
            "a sane length.", "--root", str(project), "--today", TODAY.isoformat()]
    assert cli.main(argv) == 0
    capsys.readouterr()
    found = [d for d in check(project / "posts" / "a-featured-guide.md", root=project)
             if "cover" in d.message]
    assert [(d.code, d.line) for d in found] == [("SP310", 13)], found
    assert "the placeholder" in found[0].message


def test_a_placeholder_from_before_the_marker_is_recognised_too(tmp_path):
    from seedpress.content.skeleton import is_placeholder_cover

    legacy = (CORPUS / "bad" / "support" / "docs" / "assets" / "covers" /
              "sp310-placeholder-cover.svg").read_text()
    legacy = "\n".join(line for line in legacy.split("\n") if "placeholder-cover" not in line)
    assert is_placeholder_cover(legacy)
    for cover in (ROOT / "docs" / "assets" / "covers").glob("*.svg"):
        assert not is_placeholder_cover(cover.read_text()), cover.name


# -- 5. images beside posts ---------------------------------------------------------------

def test_an_image_that_is_not_there_says_where_images_go(bad):
    found = only(check(bad / "posts" / "sp502-image-elsewhere.md"))
    assert (found.code, found.line, found.column) == ("SP502", 16, 29)
    assert "img/boat.jpg" in found.message
    assert "beside the post" in found.message and "docs/assets/" in found.message


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a5f6b7b10000000049454e44ae426082")


@pytest.fixture(scope="module")
def with_image(tmp_path_factory) -> Path:
    project = copy_repo(tmp_path_factory.mktemp("image") / "project")
    (project / "posts" / "img").mkdir()
    (project / "posts" / "img" / "boat.png").write_bytes(PNG)
    (project / "posts" / "img" / "notes.txt").write_text("not for readers\n")
    post(project / "posts", "boat-guide", "# A boat\n\nA short guide with a picture beside "
         "it.\n\n![A boat on a lake](img/boat.png)\n\n<!-- more -->\n\nThe rest.\n")
    return project


def test_an_image_beside_the_post_passes_the_check(with_image):
    assert check(with_image / "posts", root=with_image) == []
    notes = post(with_image / "posts", "notes-link", "# Notes\n\n[notes](img/notes.txt)\n")
    try:
        found = only(check(notes, root=with_image))
        assert found.code == "SP502" and "only images and videos" in found.message
    finally:
        notes.unlink()


def image_of(page: Path) -> bytes:
    """The bytes of the first image a built page shows, found as a browser would."""
    src = re.search(r'<img[^>]*src="([^"]*boat\.png)"', page.read_text()).group(1)
    return (page.parent / src).read_bytes()


@pytest.mark.slow  # builds a whole site
def test_an_image_beside_the_post_is_published_by_mkdocs(with_image, tmp_path):
    out = tmp_path / "site"
    result = mkdocs_build(with_image, out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert image_of(out / "blog" / "boat-guide" / "index.html") == PNG
    assert not list(out.rglob("notes.txt"))


@pytest.mark.slow  # builds a whole site
def test_an_image_beside_the_post_is_published_by_zensical(with_image, tmp_path):
    out = tmp_path / "site"
    result = zensical_build(with_image, out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert image_of(out / "blog" / "boat-guide" / "index.html") == PNG
    assert not list(out.rglob("notes.txt"))


def test_an_image_beside_the_post_has_an_address_the_check_knows(with_image):
    """Both engines publish posts/img/boat.png at blog/img/boat.png."""
    path = post(with_image / "posts", "boat-link", "# Boat\n\n[the boat](/seedpress/blog/img/"
                "boat.png) and [again](/blog/img/boat.png)\n")
    try:
        found = only(check(path, root=with_image))
        assert found.line == 16 and "'img/boat.png'" in found.message
    finally:
        path.unlink()


# -- 6. YAML and template slips, in plain words --------------------------------------------

def test_a_colon_in_an_unquoted_title_says_put_it_in_quotes(bad):
    found = only(check(bad / "posts" / "sp003-colon-in-title.md"))
    assert (found.code, found.line, found.column) == ("SP003", 2, 8)
    assert "in quotes" in found.message
    assert 'title: "Seedance 2.0: the first render"' in found.message


def test_an_unclosed_quote_is_reported_where_it_opens(bad):
    found = only(check(bad / "posts" / "sp003-unclosed-quote.md"))
    assert (found.code, found.line, found.column) == ("SP003", 2, 8)
    assert "never closed" in found.message


def test_an_unclosed_quote_at_the_end_is_reported_where_it_opens(tmp_path):
    path = tmp_path / "posts" / "quote.md"
    path.parent.mkdir()
    path.write_text('---\nslug: quote\ntitle: "Never closed\n---\n\n# Quote\n')
    found = only(check(path))
    assert (found.code, found.line, found.column) == ("SP003", 3, 8)
    assert "never closed" in found.message


def test_a_tab_says_indent_with_spaces(bad):
    found = only(check(bad / "posts" / "sp003-tab.md"))
    assert (found.code, found.line, found.column) == ("SP003", 6, 1)
    assert "tab" in found.message and "spaces" in found.message
    assert "cannot start any token" not in found.message


def test_braces_in_code_point_to_raw_blocks(bad):
    found = only(check(bad / "posts" / "sp008-braces-in-code.md"))
    assert (found.code, found.line, found.column) == ("SP008", 20, 9)
    assert "code block" in found.message
    assert "{% raw %}" in found.message and "{% endraw %}" in found.message
    assert not re.search(r" at \d+", found.message), found.message


def test_an_unknown_name_lists_the_names_and_how_to_write_braces(bad):
    found = only(check(bad / "posts" / "sp008-undefined-product.md"))
    assert (found.code, found.line, found.column) == ("SP008", 16, 39)
    assert "'product'" in found.message
    for name in ("price", "price_per_second", "duration_range", "limit", "rule"):
        assert re.search(rf"\b{name}\b", found.message), name
    assert "{% raw %}{{ product }}{% endraw %}" in found.message


def test_a_near_miss_of_a_name_suggests_it(bad):
    found = only(check(bad / "posts" / "sp008-unknown-name.md"))
    assert "did you mean 'price'" in found.message


# -- 7. the check judges sources, not a stale site/ -----------------------------------------

@pytest.mark.slow  # builds a whole site
def test_a_stale_site_folder_is_not_judged_unless_asked(tmp_path, capsys):
    project = copy_repo(tmp_path / "project")
    clean = run(project, today=TODAY)
    assert clean.diagnostics == []
    stale = materialise(CORPUS / "bad" / "site", project / "site")  # em dashes, long fixed
    (stale / "blog").mkdir()
    shutil.copy(stale / "index.html", stale / "blog" / "index.html")
    again = run(project, today=TODAY)
    assert again.diagnostics == [] and again.files == clean.files
    assert cli.main(["check", "--root", str(project), "--today", TODAY.isoformat()]) == 0
    assert capsys.readouterr().out.strip() == f"All checks passed ({clean.files} files)."
    asked = run(project, today=TODAY, site=stale)
    assert {d.code for d in asked.diagnostics} == {"SP103"}
    assert cli.main(["check", "--root", str(project), "--site", str(stale)]) == 1
    assert "SP103" in capsys.readouterr().out


@pytest.mark.slow  # builds a whole site
def test_the_command_in_a_project_with_a_stale_site_passes(tmp_path):
    """`seedpress check` as `make check` runs it, in a project whose site/ was built
    before an em dash was fixed: it judges the sources and passes."""
    import subprocess

    project = copy_repo(tmp_path / "project")
    materialise(CORPUS / "bad" / "site", project / "site")
    result = subprocess.run([str(BIN / "seedpress"), "check", "--today", TODAY.isoformat()],
                            cwd=project, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "site/" not in result.stdout

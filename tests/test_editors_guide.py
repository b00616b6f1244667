"""The editors' guide, followed as a new editor would: new-post to the built site and feeds.

The commands are taken from docs/editors.md itself, so the guide cannot drift
from what the tools accept.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

import feedparser
import pytest
from seedpress.cli import build_parser
from seedpress.site.reviewed import long_date
from support import BIN, ROOT, TODAY, fresh_clone, mkdocs_build

#: builds whole sites, renders through the fake fal server or runs every fault
pytestmark = pytest.mark.slow

GUIDE = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")


def guide_commands(program: str) -> list[list[str]]:
    """Every ``$ program ...`` line of the guide's console blocks, and inline `program ...`
    (``seedpress`` as the guide writes it: ``.venv/bin/seedpress``), program first."""
    prefix = r"\.venv/bin/" if program == "seedpress" else ""
    found = [shlex.split(m) for m in re.findall(rf"^\$ {prefix}({program} .*)$", GUIDE, re.M)]
    prose = re.sub(r"^```.*?^```", "", GUIDE, flags=re.S | re.M)  # tool output aside
    found += [shlex.split(m) for m in re.findall(rf"`{prefix}({program} [^`]*)`", prose)]
    return found


def seedpress(project: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "seedpress"), *argv, "--root", str(project)],
                          cwd=project, capture_output=True, text=True, timeout=300)


def test_every_command_in_the_guide_exists():
    parser = build_parser()
    commands = guide_commands("seedpress")
    verbs = {argv[1] for argv in commands if len(argv) > 1}
    assert {"new-post", "review", "stale", "check"} <= verbs, verbs
    for argv in commands:
        if {"...", "VERB", "--help"} & set(argv):
            continue  # placeholders and help, not commands to run
        try:
            parser.parse_args(argv[1:])
        except SystemExit:
            shown = " ".join(argv)
            raise AssertionError(f"the guide shows `{shown}`, which seedpress refuses") from None
    for argv in guide_commands("make"):
        dry = subprocess.run(["make", "-n", *argv[1:]], cwd=ROOT, capture_output=True,
                             text=True, timeout=60)
        assert dry.returncode == 0, f"the guide shows `{' '.join(argv)}`: {dry.stderr}"


def test_the_guide_is_on_the_site_with_live_values(built_site: Path):
    html = (built_site / "editors" / "index.html").read_text()
    assert "The editors" in html and "new-post" in html
    assert '{{ price("standard", "720p", 5) }}' in html.replace("&quot;", '"').replace(
        "&#34;", '"'), "the raw example lost its braces"
    assert "{{ site." not in html, "a live value was not rendered"
    assert "Workflow" in html


def test_a_new_post_goes_from_new_post_to_the_site_and_feeds(project_copy: Path, tmp_path):
    # the first new-post command the guide shows, as an editor would type it
    argv = next(a for a in guide_commands("seedpress") if a[1] == "new-post")
    made = seedpress(project_copy, *argv[1:])
    assert made.returncode == 0, made.stderr
    path_text = re.search(r"wrote (posts/\S+\.md)", made.stdout).group(1)
    slug = Path(path_text).stem
    title = argv[2]

    # the skeleton is not publishable: the check names what is left to write
    unfinished = seedpress(project_copy, "check", path_text)
    assert unfinished.returncode == 1
    assert unfinished.stdout.count("SP310") == 5, unfinished.stdout

    # the editor writes the description and the body, as the guide says
    post = project_copy / path_text
    front, _, _ = post.read_text().partition("\n---\n")
    front = re.sub(r'(?m)^description: .*$',
                   'description: "How to keep a batch of renders under a budget you set '
                   'before the first submit."', front)
    post.write_text(front + "\n---\n\n# " + title + "\n\nSet a budget, price every "
                    "render before you submit it, and stop when the next one would cross "
                    "the line.\n\n<!-- more -->\n\n## The rule\n\nAdd each render's "
                    "computed price to a running total before you submit it.\n")

    out = tmp_path / "site"
    build = mkdocs_build(project_copy, out)
    assert build.returncode == 0, build.stdout + build.stderr

    page = (out / "blog" / slug / "index.html").read_text()
    assert title in page
    # new-post records no review: the page says so rather than claim one (read 18B)
    assert (f'Updated <time datetime="{TODAY.isoformat()}">{long_date(TODAY)}</time>; '
            "no review recorded yet") in page
    assert "Last reviewed" not in page
    assert f"{slug}/" in (out / "blog" / "index.html").read_text()
    assert f"{slug}/" in (out / "blog" / "category" / "workflow" / "index.html").read_text()

    for name in ("feed_rss_created.xml", "feed_rss_updated.xml"):
        feed = feedparser.parse((out / name).read_bytes())
        assert not feed.bozo, name
        assert any(e.link.rstrip("/").endswith(slug) for e in feed.entries), name
    created = feedparser.parse((out / "feed_rss_created.xml").read_bytes())
    assert created.entries[0].title == title, "a post created today is the newest"
    items = json.loads((out / "feed_json_created.json").read_text())["items"]
    assert any(item["url"].rstrip("/").endswith(slug) for item in items)

    check = seedpress(project_copy, "check", "--site", str(out))
    assert check.returncode == 0, check.stdout + check.stderr
    assert "All checks passed" in check.stdout


# -- the guide as written: in a fresh clone, on GitHub, from a post ------------------------------

def short_version() -> list[str]:
    """The numbered steps of "The short version", one string each."""
    section = GUIDE.split("## The short version", 1)[1].split("\n## ", 1)[0]
    return [" ".join(step.split()) for step in re.split(r"\n(?=\d+\. )", section.strip())
            if re.match(r"\d+\. ", step)]


def step_commands(step: str) -> list[str]:
    return [c for c in re.findall(r"`([^`]+)`", step)
            if c.startswith(("make ", "git ", ".venv/bin/seedpress "))]


def test_setup_comes_before_the_first_seedpress_command():
    steps = short_version()
    commands = [c for step in steps for c in step_commands(step)]
    assert commands.index("make setup") < next(
        i for i, c in enumerate(commands) if c.startswith(".venv/bin/seedpress"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8").split("## Publishing a post")[1]
    assert readme.index("make setup") < readme.index("seedpress new-post")


def test_the_guide_and_readme_type_seedpress_the_same_way_everywhere():
    """Every command is `.venv/bin/seedpress ...`, which works right after `make setup`."""
    for name, text in (("docs/editors.md", GUIDE),
                       ("README.md", (ROOT / "README.md").read_text(encoding="utf-8"))):
        # what a tool prints in a console block is its own business; the commands are not
        text = re.sub(r"^```.*?^```", lambda m: "\n".join(
            line for line in m.group().split("\n") if line.startswith("$ ")), text,
            flags=re.S | re.M)
        bare = re.findall(r"(?:`|^\$ |^    )(seedpress [a-z-]+)", text, re.M)
        assert bare == [], f"{name} types {bare} without .venv/bin/"


def test_a_new_clone_following_the_guide_reaches_a_published_post(tmp_path):
    """The short version's commands, as written, in a fresh clone: set up, branch, start
    the post, write it (the test writes what an editor would), check, commit; then the
    build CI runs contains the post. `make serve` runs until stopped, so it is only asked
    whether it would run (`make -n serve`); the clone has no remote, so `git push` is
    left to the editor."""
    clone = fresh_clone(tmp_path / "clone")
    ran = []
    for step in short_version():
        for command in step_commands(step):
            argv = shlex.split(command)
            if argv[:2] == ["make", "serve"]:
                argv = ["make", "-n", "serve"]
            if argv[:2] == ["git", "push"]:
                continue
            if argv[:2] == ["git", "commit"]:
                argv[1:1] = ["-c", "user.name=Editor", "-c", "user.email=editor@example.org"]
            result = subprocess.run(argv, cwd=clone, capture_output=True, text=True,
                                    timeout=600)
            assert result.returncode == 0, f"step `{command}`:\n{result.stdout}{result.stderr}"
            ran.append(command)
            if "new-post" in command:
                written = re.search(r"wrote (posts/\S+\.md)", result.stdout).group(1)
                write_the_post(clone / written)
    assert any("new-post" in c for c in ran) and "make check" in ran, ran
    assert ran.index("make setup") < next(i for i, c in enumerate(ran) if "new-post" in c)
    build = subprocess.run(["make", "build"], cwd=clone, capture_output=True, text=True,
                           timeout=600)
    assert build.returncode == 0, build.stdout + build.stderr
    slug = Path(written).stem
    page = (clone / "site" / "blog" / slug / "index.html").read_text()
    assert "Renders on a budget" in page
    assert f"blog/{slug}/" in (clone / "site" / "feed_rss_created.xml").read_text()


def write_the_post(path: Path) -> None:
    """What an editor writes in place of the skeleton: a description and a body."""
    front, _, _ = path.read_text().partition("\n---\n")
    front = re.sub(r"(?m)^description: .*$", 'description: "How to keep a batch of renders '
                   'under a budget you set before the first submit."', front)
    path.write_text(front + "\n---\n\n# Renders on a budget\n\nSet a budget, price every "
                    "render before you submit it, and stop before the next one would cross "
                    "the line.\n\n<!-- more -->\n\n## The rule\n\nAdd each render's price "
                    "to a running total before you submit it; the [pricing page]"
                    "(../../pricing.md) lists them.\n")


def visible_on_github(text: str) -> str:
    """The guide as GitHub shows it: HTML comments hidden."""
    return re.sub(r"<!--.*?-->", "", text, flags=re.S)


def test_the_guide_reads_right_on_github():
    """No template tag shows as text on GitHub: examples of computed names sit in code,
    and the raw blocks that keep them literal on the site hide in HTML comments."""
    shown = visible_on_github(GUIDE)
    assert "{% raw" not in shown and "{% endraw" not in shown
    assert "{{ site." not in GUIDE
    # a fenced block ends at a fence at least as long as the one that opened it
    prose = re.sub(r"^(`{3,}).*?^\1`*[ \t]*$", "", shown, flags=re.S | re.M)
    prose = re.sub(r"`[^`\n]*`", "", prose)
    assert "{{" not in prose and "{%" not in prose, \
        [line for line in prose.splitlines() if "{{" in line or "{%" in line]


def test_the_values_the_guide_spells_out_are_the_datas():
    """Plain text on GitHub and the site alike, held to the data here."""
    from seedpress.pages.data import load_site_data
    from seedpress.pages.page_names import page_names

    data = load_site_data(ROOT)
    names = page_names(data)
    pub = data.publication
    flat = " ".join(GUIDE.split())
    listed = re.search(r"The categories are the ones in `data/publication.yml`: \*\*(.+?)\*\*",
                       flat).group(1)
    assert listed.split(", ") == list(pub.categories)
    assert f"(default: `{pub.default_author}`)" in flat
    days = re.findall(r"(\d+) days", flat)
    assert days and set(days) == {str(pub.max_age_days)}, days
    assert f"`{{{{ duration_range() }}}}` already ends in \"seconds\" (it prints " \
           f"\"{names['duration_range']()}\")" in flat


LINK_EXAMPLE = re.compile(r"`((?:\.\./)+[\w/.-]+\.md(?:#[\w-]+)?)`")


def test_every_link_example_works_from_a_post(tmp_path):
    """The guide's link examples are written as a post needs them (posts are built
    under blog/posts/), and each one passes the check from a post."""
    from seedpress.check import run

    examples = LINK_EXAMPLE.findall(GUIDE)
    assert {"../../rules.md#seeds", "../../builder.md"} <= set(examples), examples
    body = "# Links\n\n" + "\n\n".join(f"See [this]({e})." for e in examples) + "\n"
    post = tmp_path / "posts" / "links.md"
    post.parent.mkdir()
    post.write_text('---\ntitle: "Links from a post"\nslug: links\ndescription: "A post that '
                    'holds every link example of the editors\' guide, to check each one."\n'
                    "date:\n  created: 2026-11-01\ncategories:\n  - Workflow\nauthors:\n"
                    "  - desk\n---\n\n" + body)
    assert run(ROOT, [post], today=TODAY).diagnostics == []
    assert "/blog/<slug>/" not in GUIDE


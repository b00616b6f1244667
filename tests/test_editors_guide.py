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
from conftest import BIN, ROOT, TODAY, mkdocs_build
from seedpress.cli import build_parser

GUIDE = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")


def guide_commands(program: str) -> list[list[str]]:
    """Every ``$ program ...`` line of the guide's console blocks, and inline `program ...`."""
    found = [shlex.split(m) for m in re.findall(rf"^\$ ({program} .*)$", GUIDE, re.M)]
    prose = re.sub(r"^```.*?^```", "", GUIDE, flags=re.S | re.M)  # tool output aside
    found += [shlex.split(m) for m in re.findall(rf"`({program} [^`]*)`", prose)]
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
    assert f'Last reviewed <time datetime="{TODAY.isoformat()}">' in page
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

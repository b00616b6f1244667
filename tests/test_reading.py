"""Where a reader goes next: "Read next" under every guide and the footer's
previous and next links, computed by the generation stage and the same on
both engines."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from seedpress.content import read_text
from seedpress.content.posts import parse_post
from seedpress.pages.settings import Settings
from seedpress.site import reading
from seedpress.site.generate import generate
from support import ROOT, copy_repo

#: the repository's mkdocs.yml: where the blog publishes a post
SETTINGS = Settings.read(ROOT / "mkdocs.yml")

POSTS = sorted((ROOT / "posts").glob("*.md"))


class _Links(HTMLParser):
    """The links of the "Read next" list and of the footer's nav."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.section, self.read_next, self.footer, self.href = None, [], {}, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "h2" and a.get("id") == "read-next":
            self.section = "read-next"
        elif tag == "h2" and self.section == "read-next-list":
            self.section = None
        elif tag == "ul" and self.section == "read-next":
            self.section = "read-next-list"
        elif tag == "a" and self.section == "read-next-list":
            self.read_next.append(a["href"])
        elif tag == "a" and "md-footer__link" in classes:
            side = "previous" if "md-footer__link--prev" in classes else "next"
            self.footer[side] = (a["href"], a["aria-label"].split(": ", 1)[1])

    def handle_endtag(self, tag):
        if tag == "ul" and self.section == "read-next-list":
            self.section = "done"


def links(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def resolve(page_url: str, href: str) -> str:
    """A relative href from a page at ``page_url`` as a site path."""
    import posixpath

    target = posixpath.normpath(posixpath.join(page_url, href.split("#")[0]))
    return "" if target == "." else target.strip("/") + "/"


def published():
    posts = [parse_post(p) for p in POSTS]
    return [p for p in posts if not p.draft]


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def site(request) -> Path:
    return request.getfixturevalue("built_site" if request.param == "mkdocs"
                                   else "zensical_site")


@pytest.mark.slow  # builds a whole site
def test_every_guide_ends_with_two_or_three_other_guides(site):
    posts = published()
    slugs = {p.slug for p in posts}
    for post in posts:
        page = site / "blog" / post.slug / "index.html"
        found = links(page).read_next
        targets = [resolve(f"blog/{post.slug}/", href) for href in found]
        assert 2 <= len(targets) <= 3, (post.slug, found)
        assert len(set(targets)) == len(targets), (post.slug, targets)
        assert f"blog/{post.slug}/" not in targets, post.slug
        for target in targets:
            assert target.startswith("blog/") and target.split("/")[1] in slugs, target
            assert (site / target / "index.html").is_file(), target


def test_the_blog_footer_follows_the_dates_and_pages_follow_the_navigation(site):
    posts = sorted(published(), key=lambda p: (p.created, p.slug))
    walked, url = [], f"blog/{posts[0].slug}/"
    assert "previous" not in links(site / url / "index.html").footer
    while url:
        walked.append(url)
        footer = links(site / url / "index.html").footer
        if "next" not in footer:
            break
        href, title = footer["next"]
        url = resolve(url, href)
        assert parse_post(ROOT / "posts" / f"{url.split('/')[1]}.md").title == title
    assert walked == [f"blog/{p.slug}/" for p in posts]

    faq = links(site / "faq" / "index.html").footer
    assert faq["previous"] == ("../blog/", "Blog")
    assert faq["next"] == ("../gallery/", "Gallery")
    home = links(site / "index.html").footer
    assert "previous" not in home and resolve("", home["next"][0]) == "blog/"
    last = links(site / "ship-check" / "index.html").footer
    assert "next" not in last and resolve("ship-check/", last["previous"][0]) == "editors/"


def _post(tmp_path: Path, name: str, categories: list[str], created: str, body: str,
          title: str | None = None):
    path = tmp_path / f"{name}.md"
    cats = "\n".join(f"  - {c}" for c in categories)
    path.write_text(f"---\ntitle: {title or name.title()}\ndescription: About {name}.\n"
                    f"date:\n  created: {created}\ncategories:\n{cats}\n---\n\n"
                    f"# {title or name.title()}\n\n{body}\n", encoding="utf-8")
    return parse_post(path)


def test_related_ranks_shared_categories_then_links_then_subjects(tmp_path):
    a = _post(tmp_path, "alpha", ["Pricing"], "2026-01-01", "Tokens tokens cost money.")
    b = _post(tmp_path, "beta", ["Pricing"], "2026-01-02", "Something else entirely.")
    c = _post(tmp_path, "gamma", ["Audio"], "2026-01-03", "See [alpha](alpha.md).")
    d = _post(tmp_path, "delta", ["Audio"], "2026-01-04", "Tokens tokens cost cost money.")
    e = _post(tmp_path, "epsilon", ["Workflow"], "2026-01-05", "Nothing shared here.")
    picks = reading.related([a, b, c, d, e])
    names = {p.path.stem: [q.path.stem for q in picks[p.path]] for p in (a, b, c, d, e)}
    assert names["alpha"][:2] == ["beta", "gamma"]  # category, then the link
    assert names["alpha"][2] == "delta"  # shared subjects
    assert names["gamma"][0] == "delta"
    for stem, picked in names.items():
        assert stem not in picked and len(set(picked)) == len(picked) == 3


def test_a_lone_guide_gets_no_read_next_and_drafts_are_never_picked(tmp_path):
    a = _post(tmp_path, "alpha", ["Pricing"], "2026-01-01", "Words.")
    assert reading.related([a]) == {a.path: []}
    assert reading.read_next_front_matter(a, [], SETTINGS) == []
    draft = tmp_path / "draft.md"
    draft.write_text("---\ntitle: Draft\ndescription: d\ndraft: true\ndate:\n  created: "
                     "2026-01-02\ncategories:\n  - Pricing\n---\n\n# Draft\n", encoding="utf-8")
    picks = reading.related([a, parse_post(draft)])
    assert picks == {a.path: []}


def test_titles_print_as_written_in_read_next(tmp_path):
    """A title with Markdown and HTML characters reaches the theme as plain
    text (the theme's escaping is the next test)."""
    import yaml

    a = _post(tmp_path, "alpha", ["Pricing"], "2026-01-01", "Words.")
    b = _post(tmp_path, "beta", ["Pricing"], "2026-01-02", "Words.",
              title='"Cost *per* [second] of fal_client <video>: a \\"quote\\""')
    lines = reading.read_next_front_matter(a, [b], SETTINGS)
    value = yaml.safe_load("\n".join(lines))["sp_read_next"]
    assert value == [{"url": f"../{b.slug}/", "title": b.title, "description": b.description}]
    assert b.title == 'Cost *per* [second] of fal_client <video>: a "quote"'


def test_the_theme_prints_read_next_escaped():
    """MkDocs renders theme templates without autoescape, so the partial
    escapes what it prints itself."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT / "overrides"))
    item = {"url": "../x/", "title": "Cost <video> & more", "description": 'A "b" <i>'}
    html = env.get_template("partials/read-next.html").render(
        page={"meta": {"sp_read_next": [item]}})
    assert '<li><a href="../x/">Cost &lt;video&gt; &amp; more</a>: A &#34;b&#34; &lt;i&gt;</li>' \
        in html
    assert 'id="read-next"' in html
    assert env.get_template("partials/read-next.html").render(page={"meta": {}}).strip() == ""


def test_nav_pages_read_the_navigation_in_order():
    config = {"nav": [{"Home": "index.md"}, {"Blog": ["blog/index.md"]}, {"FAQ": "faq.md"},
                      {"Out": "https://example.com/"}, {"Editors": ["editors.md", "x.md"]}]}
    assert Settings(config).nav_pages() == [("index.md", "Home"), ("blog/index.md", None),
                                         ("faq.md", "FAQ"), ("editors.md", None),
                                         ("x.md", None)]


def test_generated_posts_carry_their_footer_and_read_next():
    tree = generate(ROOT)
    for path in POSTS:
        post = parse_post(path)
        if post.draft:
            continue
        page = tree.pages[f"blog/posts/{path.name}"]
        assert re.search(r"^sp_footer:$", page, re.M), path.name
        assert re.search(r"^sp_read_next:$", page, re.M), path.name
        assert "Read next" not in page.split("\n---\n", 1)[1], path.name
    assert read_text(ROOT / "posts" / POSTS[0].name).count("Read next") == 0


def test_the_home_page_lists_a_topics_newest_posts_and_links_the_rest(tmp_path):
    """As the blog grows, each topic on the home page shows its five newest
    guides and one link to its category page for the others."""
    # a day after the newest guide, so the notes are the topic's newest
    later = max(parse_post(p).created for p in (ROOT / "posts").glob("*.md")) \
        + dt.timedelta(days=1)
    project = copy_repo(tmp_path / "project")
    for i in range(7):
        (project / "posts" / f"topic-{i}.md").write_text(
            "---\n"
            f'title: "Technique note {i}"\nslug: topic-note-{i}\n'
            'description: "A short note that exists to fill one topic of the home page."\n'
            f"date:\n  created: {later + dt.timedelta(days=i)}\n"
            "categories:\n  - Technique\nauthors:\n  - desk\n---\n\n"
            f"# Technique note {i}\n\nText.\n", encoding="utf-8")
    home = generate(project, today=later + dt.timedelta(days=14)).pages["index.md"]
    block = home[home.index('<a href="blog/category/technique/">'):]
    block = block[:block.index("</section>")]
    count = int(re.search(r"(\d+) posts</span>", block).group(1))
    assert count >= 8
    titles = re.findall(r'<li><a href="blog/[^"]+/">([^<]+)</a></li>', block)
    assert titles == [f"Technique note {i}" for i in (6, 5, 4, 3, 2)]
    assert f'<li class="sp-topics__more"><a href="blog/category/technique/">All {count} ' \
        "Technique posts</a></li>" in block

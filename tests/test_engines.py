"""Two engines, one site: MkDocs (Material) and Zensical build the same stage the same.

Both sites are real strict builds of the repository (``built_site`` by MkDocs
with the hook, ``zensical_site`` by Zensical from the generated tree). A
reader must not be able to tell which engine built a page, so the test
compares what a reader or a crawler gets: the set of pages, the article
text of every page, the feed items in order, the search entries, the
structured data and the share tags.

What differs is the engines' own chrome, listed in ENGINE_CHROME with the
reason each difference is harmless; anything else that differs fails.
"""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from support.html import head_of

pytestmark = pytest.mark.slow

#: Files one engine writes and the other does not, and why that is fine.
ENGINE_CHROME = {
    "search/search_index.json": "MkDocs' search index; Zensical's is search.json, in its own "
                                "shape (their entries are compared below)",
    "search.json": "Zensical's search index (see above)",
    "sitemap.xml.gz": "MkDocs also writes a gzipped copy of sitemap.xml; crawlers read either",
}
#: Theme files each engine ships with its own (hashed) names: not content.
THEME_ASSETS = ("assets/javascripts/", "assets/stylesheets/", "assets/images/")


def site_files(site: Path) -> set[str]:
    found = set()
    for path in site.rglob("*"):
        rel = path.relative_to(site).as_posix()
        if path.is_file() and not rel.startswith(THEME_ASSETS) and rel not in ENGINE_CHROME \
                and rel != ".build.log":  # the test fixture's own log
            found.add(rel)
    return found


class _Text(HTMLParser):
    """The text of the first element with a given class (scripts left out)."""

    VOID = {"br", "img", "hr", "input", "meta", "link", "source", "wbr", "col", "area"}

    def __init__(self, css_class: str):
        super().__init__(convert_charrefs=True)
        self.css_class, self.depth, self.skip, self.done, self.out = css_class, 0, 0, False, []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self.depth:
            if tag not in self.VOID:
                self.depth += 1
            if tag in ("script", "style"):
                self.skip += 1
        elif not self.done and self.css_class in classes:
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            if tag in ("script", "style"):
                self.skip -= 1
            self.depth -= 1
            self.done = not self.depth

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.out.append(data)


def content_text(page: Path) -> str:
    parser = _Text("md-content")
    parser.feed(page.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.out).split())


def _normalise_href(href: str) -> str:
    """Zensical writes relative links to the same folder as "./x", MkDocs as "x"."""
    return href[2:] if href.startswith("./") else href


def pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if not p.relative_to(site).as_posix().startswith("assets/"))


def test_both_engines_build_the_same_files(built_site: Path, zensical_site: Path):
    mk, zen = site_files(built_site), site_files(zensical_site)
    assert mk - zen == set(), f"only MkDocs built: {sorted(mk - zen)}"
    assert zen - mk == set(), f"only Zensical built: {sorted(zen - mk)}"
    assert len(mk) > 40
    for name in ("search/search_index.json", "sitemap.xml.gz"):
        assert (built_site / name).is_file()
    assert (zensical_site / "search.json").is_file()


@pytest.mark.slow
def test_two_zensical_builds_of_one_checkout_at_once_both_succeed(project_copy: Path):
    """Two terminals, or two test workers, building one checkout with Zensical share its
    tree in .seedpress/zensical: each build waits for the other, and both sites are whole."""
    import subprocess

    from support import BIN

    outs = [project_copy.parent / f"site-{n}" for n in (1, 2)]
    runs = [subprocess.Popen([str(BIN / "seedpress"), "build", "--engine", "zensical",
                              "--site-dir", str(out), "--root", str(project_copy)],
                             cwd=project_copy, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True) for out in outs]
    for run in runs:
        output, _ = run.communicate(timeout=600)
        assert run.returncode == 0, output
    for out in outs:
        assert (out / "index.html").is_file() and (out / "builder" / "index.html").is_file()


def test_every_page_has_the_same_article_text(built_site: Path, zensical_site: Path):
    differing = []
    for rel in pages(built_site):
        if content_text(built_site / rel) != content_text(zensical_site / rel):
            differing.append(rel)
    assert not differing, f"pages whose text differs between the engines: {differing}"
    # and the generated parts are really there, in both
    for site in (built_site, zensical_site):
        text = content_text(site / "pricing" / "index.html")
        assert "$1.51" in text and "{{" not in text
        assert "Last reviewed" in content_text(site / "blog" / "production-render-queue" /
                                               "index.html")


def test_the_feeds_list_the_same_items_in_the_same_order(built_site: Path, zensical_site: Path):
    for name in ("feed_rss_created.xml", "feed_rss_updated.xml"):
        mk = feedparser.parse((built_site / name).read_bytes())
        zen = feedparser.parse((zensical_site / name).read_bytes())
        assert not mk.bozo and not zen.bozo

        def items(feed):
            return [(e.title, e.link, e.get("description", ""),
                     tuple(t.term for t in e.get("tags", []))) for e in feed.entries]

        assert items(mk) == items(zen), name
        assert len(items(mk)) >= 10
    for name in ("feed_json_created.json", "feed_json_updated.json"):
        mk = json.loads((built_site / name).read_text())
        zen = json.loads((zensical_site / name).read_text())
        assert [i["url"] for i in mk["items"]] == [i["url"] for i in zen["items"]], name


def _search_entries(site: Path) -> dict[str, tuple[str, str]]:
    if (site / "search.json").is_file():
        entries = json.loads((site / "search.json").read_text())["items"]
    else:
        entries = json.loads((site / "search" / "search_index.json").read_text())["docs"]

    def words(html: str) -> str:
        parser = _Text("")
        parser.depth = 1
        parser.feed(html)
        return " ".join(" ".join(parser.out).split())

    # Whitespace is left out: where one tag ends and the next begins, MkDocs
    # joins the words and Zensical puts a space. The words and their order count.
    return {e["location"]: (e["title"], "".join(words(e["text"]).split())) for e in entries}


def test_search_finds_the_same_entries_with_the_same_words(built_site: Path,
                                                           zensical_site: Path):
    mk, zen = _search_entries(built_site), _search_entries(zensical_site)
    assert set(mk) == set(zen)
    titles_differ = [loc for loc in mk if mk[loc][0] != zen[loc][0] and loc]
    text_differ = [loc for loc in mk if mk[loc][1] != zen[loc][1]]
    # The home page's own entry: MkDocs titles it after the page, Zensical "Home"
    # (its nav label); the words under it are the same.
    assert titles_differ == [], titles_differ
    assert text_differ == [], text_differ


def test_share_tags_canonical_urls_and_structured_data_are_the_same(built_site: Path,
                                                                    zensical_site: Path):
    differing = []
    for rel in pages(built_site):
        mk, zen = head_of(built_site / rel), head_of(zensical_site / rel)
        mk_tags = {k: [_normalise_href(v) for v in vs] for k, vs in mk.tags.items()}
        zen_tags = {k: [_normalise_href(v) for v in vs] for k, vs in zen.tags.items()}
        if mk_tags != zen_tags or mk.json_ld != zen.json_ld:
            differing.append(rel)
    assert not differing, differing
    faq = head_of(zensical_site / "faq" / "index.html")
    assert faq.json_ld and faq.json_ld[0]["@type"] == "FAQPage"
    assert head_of(zensical_site / "index.html").tags["og:title"]


def test_posts_are_edited_in_posts_under_both_engines(built_site: Path, zensical_site: Path):
    for site in (built_site, zensical_site):
        html = (site / "blog" / "production-render-queue" / "index.html").read_text()
        assert "/edit/main/posts/production-render-queue.md" in html
        assert "/edit/main/docs/blog/posts/" not in html
        assert "/edit/main/docs/pricing.md" in (site / "pricing" / "index.html").read_text()


def test_overrides_use_only_what_jinja2_and_minijinja_share():
    """No method call on a value (`.append(`, `.strftime(`, `.endswith(`), no
    `page.file`, no hook-set global: Zensical's MiniJinja refuses all three."""
    import re

    from support import ROOT

    construct = re.compile(r"\{[{%].*?[%}]\}", re.S)
    method = re.compile(r"\.\s*(?!t\()(\w+)\s*\(")  # lang.t(...) is a function both provide
    problems = []
    for path in sorted((ROOT / "overrides").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        # macros of an imported template are functions, not methods: both engines call them
        modules = set(re.findall(r"\{%-?\s*import\s+\S+\s+as\s+(\w+)", text))
        for m in construct.finditer(text):
            code = re.sub(r"'[^']*'|\"[^\"]*\"", "''", m.group())
            for module in modules:
                code = re.sub(rf"\b{module}\.\w+\s*\(", "(", code)
            line = text.count("\n", 0, m.start()) + 1
            if method.search(code):
                problems.append(f"{path.name}:{line}: method call {method.search(code).group()}")
            if "page.file" in code or "post.file" in code:
                problems.append(f"{path.name}:{line}: page.file")
            if re.search(r"(?<![\w.])seedpress\.", code):
                problems.append(f"{path.name}:{line}: a hook-set global")
    assert not problems, "\n".join(problems)


# -- every link, src and fragment answers, on both builds -----------------------------

#: the path the site is published under (mkdocs.yml site_url); a link that climbs
#: above it leaves the site, even where a test server at "/" would forgive it
SITE_PREFIX = "/seedpress/"
_URL_ATTRS = {"href", "src", "poster"}


class _Refs(HTMLParser):
    """Every URL a page asks for (href, src, poster, srcset), the ids it has, and
    which URLs sit in its article (inside .md-content)."""

    VOID = _Text.VOID

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str, str, bool]] = []
        self.ids: set[str] = set()
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self._depth and tag not in self.VOID:
            self._depth += 1
        elif not self._depth and "md-content" in (a.get("class") or "").split():
            self._depth = 1
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        if tag == "link" and a.get("rel") in ("canonical", "alternate"):
            return  # the published address, not a file of this build
        for key in _URL_ATTRS & set(a):
            if a[key] is not None:
                self.refs.append((tag, key, a[key], bool(self._depth)))
        for part in (a.get("srcset") or "").split(","):
            if part.strip():
                self.refs.append((tag, "srcset", part.split()[0], bool(self._depth)))

    def handle_endtag(self, tag):
        if self._depth and tag not in self.VOID:
            self._depth -= 1


def _parsed(site: Path, cache: dict) -> callable:
    def parse(path: Path) -> _Refs:
        if path not in cache:
            parser = _Refs()
            parser.feed(path.read_text(encoding="utf-8"))
            cache[path] = parser
        return cache[path]
    return parse


def _file_for(site: Path, path: str) -> Path | None:
    """The file a static host answers ``path`` with (200), or None (404)."""
    from urllib.parse import unquote

    if not path.startswith(SITE_PREFIX):
        return None
    rel = unquote(path[len(SITE_PREFIX):])
    target = site / rel
    if not rel or rel.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def page_url(rel: str) -> str:
    return "http://site" + SITE_PREFIX + (rel.removesuffix("index.html"))


def internal_targets(site: Path, rel: str, parse) -> list[tuple[str, str, str, bool]]:
    """(what asked, where it points on this site as path#fragment, the URL as written,
    whether it is in the article) for each URL of the page at ``rel`` that stays on
    the site's host."""
    from urllib.parse import urljoin, urlsplit

    out = []
    for tag, key, url, in_article in parse(site / rel).refs:
        full = urlsplit(urljoin(page_url(rel), url))
        if full.scheme not in ("http", "https") or full.netloc != "site":
            continue
        target = full.path + (f"#{full.fragment}" if full.fragment else "")
        out.append((f"<{tag} {key}>", target, url, in_article))
    return out


def crawl(site: Path) -> list[str]:
    """Every internal link, src and fragment of every page that does not answer."""
    from urllib.parse import unquote

    parse = _parsed(site, {})
    problems = []
    for rel in pages(site) + ["404.html"]:
        if not (site / rel).is_file():
            continue
        for what, target, url, _ in internal_targets(site, rel, parse):
            path, _, fragment = target.partition("#")
            found = _file_for(site, path)
            if found is None:
                problems.append(f"/{rel}: {what} {url!r} -> {path}: 404")
            elif fragment and found.suffix == ".html" and \
                    unquote(fragment) not in parse(found).ids:
                problems.append(f"/{rel}: {what} {url!r} -> {path} has no id {fragment!r}")
    return problems


@pytest.mark.parametrize("build", ["built_site", "zensical_site"])
def test_every_internal_link_src_and_fragment_answers(build: str, request):
    site: Path = request.getfixturevalue(build)
    problems = crawl(site)
    assert not problems, f"{len(problems)} broken on {build}:\n" + "\n".join(problems[:60])


def test_every_page_links_to_the_same_targets_and_assets_on_both_engines(
        built_site: Path, zensical_site: Path):
    """What a page's article points at (links, media, posters, fragments) is the same
    set of addresses under both engines, and so are the site's own scripts and styles
    the page loads (the engines' hashed theme bundles aside)."""
    mk_parse, zen_parse = _parsed(built_site, {}), _parsed(zensical_site, {})
    differing = []
    for rel in pages(built_site):
        mk = internal_targets(built_site, rel, mk_parse)
        zen = internal_targets(zensical_site, rel, zen_parse)
        for name, keep in (("article", lambda r: r[3]),
                           ("assets", lambda r: not r[3] and r[0] in ("<script src>",
                                                                      "<link href>")
                            and "/assets/" in r[1]
                            and not any(t in r[1] for t in THEME_ASSETS))):
            mk_set = {r[1] for r in mk if keep(r)}
            zen_set = {r[1] for r in zen if keep(r)}
            if mk_set != zen_set:
                differing.append(f"/{rel} ({name}): only MkDocs {sorted(mk_set - zen_set)}, "
                                 f"only Zensical {sorted(zen_set - mk_set)}")
    assert not differing, "\n".join(differing)


# -- what readers read: dates that match their order, sentences that join, no repo paths

#: pages written for the publication's editors, where repository paths are the point
FOR_EDITORS = ("editors/", "ship-check/")
REPOSITORY_PATH = re.compile(r"\b(?:data|gallery|posts|docs|scripts|overrides|tests)/"
                             r"[\w./-]+\.(?:ya?ml|md|py|json|js|css|html)\b")


def article_text(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    start, end = html.find("<article"), html.rfind("</article>")
    body = html[start:end] if start >= 0 else html
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.mark.parametrize("build", ["built_site", "zensical_site"])
def test_reader_pages_print_no_repository_paths(build: str, request):
    site: Path = request.getfixturevalue(build)
    found = []
    for rel in pages(site):
        if rel.startswith(FOR_EDITORS):
            continue
        found += [f"/{rel}: {m}" for m in sorted(set(REPOSITORY_PATH.findall(
            article_text(site / rel))))]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("build", ["built_site", "zensical_site"])
def test_home_lists_latest_posts_by_the_date_it_shows_and_says_which(build: str, request):
    site: Path = request.getfixturevalue(build)
    html = (site / "index.html").read_text(encoding="utf-8")
    latest = html[html.index('id="latest"'):]
    latest = latest[:latest.index("<h2")]
    metas = re.findall(r'<p class="sp-card__meta"><time datetime="([\d-]+)">([^<]+)</time>',
                       latest)
    assert len(metas) >= 3
    shown = [date for date, _ in metas]
    assert shown == sorted(shown, reverse=True), "the list is not ordered by the date it shows"
    assert all(label.startswith("Written ") and label.endswith(date)
               for date, label in metas), metas


def test_no_rule_is_joined_into_a_sentence_it_does_not_continue():
    """A rule of data/rules.yml is a paragraph of its own sentences: a page includes
    it where a sentence has ended, never after "and" or a comma."""
    from support import ROOT

    joined = []
    for path in sorted((ROOT / "docs").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"\{\{\s*rule\(", text):
            line_start = text.rfind("\n", 0, m.start()) + 1
            if text[line_start:].lstrip().startswith(("|", "#", "{%")):
                continue  # a table cell, a heading: no sentence to continue
            paragraph = text.rfind("\n\n", 0, m.start())
            before = text[paragraph + 1 if paragraph >= 0 else 0:m.start()].strip()
            if before and before[-1] not in ".:!?":
                line = text.count("\n", 0, m.start()) + 1
                joined.append(f"{path.relative_to(ROOT)}:{line}: ...{before[-40:]!r}")
    assert not joined, "\n".join(joined)


@pytest.mark.parametrize("build", ["built_site", "zensical_site"])
def test_home_shows_every_worked_example_at_the_pricing_pages_figures(build: str, request):
    """The home page's cost cards are the pricing page's worked examples, every one
    (none that assumes 0 s of input video, which no request can carry)."""
    site: Path = request.getfixturevalue(build)
    pricing = (site / "pricing" / "index.html").read_text(encoding="utf-8")
    rows = dict(re.findall(r'<span class="sp-example">([^<]+)</span>.*?<td>[^<]*</td>'
                           r'<td>[^<]*</td><td>(\$[\d.,]+)</td>', pricing))
    home = (site / "index.html").read_text(encoding="utf-8")
    cards = re.findall(r'<section class="sp-costs__item">\s*<h3[^>]*>([^<]+?)'
                       r'(?:<a class="headerlink".*?)?</h3>(.*?)</section>', home, re.S)
    names = {name.strip() for name, _ in cards}
    assert names == {n for n in rows if ", Fast tier" not in n}
    for name, body in cards:
        totals = re.findall(r'<span class="sp-costs__total">([^<]+)</span>', body)
        assert totals == [rows[name.strip()], rows[f"{name.strip()}, Fast tier"]], name

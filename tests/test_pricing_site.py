"""What readers see on the pricing page, the FAQ and the home page.

Real strict builds: the repository's (``built_site``) and copies of it that a
test changes (``project_copy``), one rate or one broken data file at a time.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from markupsafe import escape
from seedpress.content.posts import parse_post
from seedpress.content.pricing import load_pricing
from seedpress.errors import ContentError
from seedpress.pages.data import load_site_data
from seedpress.pages.home import STOP_WORDS, keyword_counts, numbers
from seedpress.pages.page_names import page_names
from seedpress.pages.pricing_markup import estimator_json
from support import ROOT, mkdocs_build

TEXT_SUFFIXES = {".html", ".xml", ".json", ".js", ".txt", ".css", ".svg"}


def _page(site: Path, name: str) -> str:
    return (site / name / "index.html").read_text(encoding="utf-8")


def _row(page: str, table_id: str, head: str) -> list[str]:
    """The cells of the row headed ``head`` in table ``table_id``."""
    table = page[page.index(f'id="{table_id}"'):]
    table = table[:table.index("</table>")]
    m = re.search(rf'<th scope="row">{re.escape(head)}</th>(.*?)</tr>', table)
    assert m, f"no row {head!r} in {table_id}"
    return re.findall(r"<td>(.*?)</td>", m.group(1))


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


# -- the repository's build ------------------------------------------------------

@pytest.mark.slow
def test_pricing_page_shows_the_acceptance_figures(built_site):
    page = _page(built_site, "pricing")
    # 720p 16:9: frame, tokens/s, standard, fast, standard + video, fast + video
    assert _row(page, "sp-price-per-second", "720p 16:9") == [
        "1280 x 720", "21,600", "$0.3024", "$0.2419", "$0.1814", "$0.1452"]
    assert _row(page, "sp-price-durations", "5 s")[:2] == ["$1.51", "$1.21"]
    assert _row(page, "sp-price-reference", "not counted") == ["108,000", "$0.91",
                                                               "108,000", "$0.73"]
    text = _text(page)
    assert "20 percent less" in text
    for name in ("5 s at 720p with audio", "5 s at 720p from a still",
                 "5 s at 720p with 4 image refs", "5 s at 720p with 2 video refs"):
        assert f'<span class="sp-example">{name}</span>' in page
        assert f'<span class="sp-example">{name}, Fast tier</span>' in page


@pytest.mark.slow
def test_the_brief_misprint_appears_nowhere(built_site):
    for path in built_site.rglob("*"):
        if path.suffix in TEXT_SUFFIXES and path.is_file():
            body = path.read_text(encoding="utf-8", errors="replace")
            assert "0.3034" not in body, path


@pytest.mark.slow
def test_estimator_json_is_generated_from_the_rate_table(built_site):
    built = (built_site / "assets" / "pricing.json").read_text(encoding="utf-8")
    assert built == estimator_json(load_pricing(ROOT))
    assert json.loads(built)["tiers"]["standard"]["rate_per_1k_tokens"] == "0.014"
    page = _page(built_site, "pricing")
    assert '<form id="estimator"' in page and 'id="estimator-result"' in page
    assert "assets/estimator.js" in page
    # without JavaScript the result already states the default render
    result = page[page.index('id="estimator-result"'):]
    assert "$1.51" in result[:result.index("</output>")]


@pytest.mark.slow
def test_faq_page_has_ten_collapsible_answers_and_faqpage_data(built_site):
    page = _page(built_site, "faq")
    assert page.count('<details class="question sp-faq__item"') == 10
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    data = json.loads(m.group(1))
    assert data["@type"] == "FAQPage"
    assert len(data["mainEntity"]) == 10
    first = data["mainEntity"][0]
    assert first["name"] == "How much does Seedance 2.0 cost on fal?"
    answer = first["acceptedAnswer"]["text"]
    assert "$0.3024" in answer and "$1.51" in answer and "{{" not in answer


def test_faq_link_words_keep_their_code_and_no_backtick_reaches_a_reader(built_site):
    """The retries answer links fal's request list with its address as code: the page
    shows it as code inside the link, and neither the page nor its structured data shows
    a Markdown backtick."""
    page = _page(built_site, "faq")
    assert re.search(r'<a href="https://docs\.fal\.ai/platform-apis/v1/models/requests/'
                     r'by-endpoint"><code>GET https://api\.fal\.ai/', page)
    body = re.sub(r"<script.*?</script>|<pre.*?</pre>|<code>.*?</code>", "",
                  page.split('class="sp-faq', 1)[1], flags=re.S)
    assert "`" not in body
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>',
                                page, re.S).group(1))
    assert not [q["name"] for q in data["mainEntity"] if "`" in q["acceptedAnswer"]["text"]]


@pytest.mark.slow
def test_home_page_carries_every_section(built_site):
    page = _page(built_site, "")
    for section in ("showcase", "faq", "at-a-glance", "who", "when", "code", "costs",
                    "field", "start-here", "topics", "latest", "numbers", "keywords"):
        assert f'id="{section}"' in page, section
    assert 'class="sp-hero"' in page
    assert page.count('<details class="question sp-faq__item"') == 10
    assert 'href="gallery/"' in page
    showcase = load_site_data(ROOT).models.get("gallery")
    if showcase is not None and showcase.clips:
        first = showcase.clips[0].clip
        assert f"<q>{escape(first.prompt)}</q>" in page
    for model in ("Kling 3.0 Pro", "Veo 3.1", "Grok Imagine v1.0", "Seedance 1.5 Pro"):
        assert f"{model}<br>" in page
    # tabs for the sample, each under 20 lines
    assert ">TypeScript</label>" in page and ">Python</label>" in page
    for lang in ("ts", "python"):
        block = (ROOT / "docs" / "index.md").read_text().split(f"```{lang}\n", 1)[1]
        assert len(block.split("```", 1)[0].rstrip().splitlines()) < 20
    # three featured posts with their covers, and the numbers block
    featured = page[page.index('class="sp-cards sp-cards--featured"'):]
    featured = featured[:featured.index('id="topics"')]
    assert featured.count('class="sp-card"') == 3
    assert featured.count('<img src="assets/covers/') == 3
    numbers_html = page[page.index('class="sp-numbers"'):]
    assert re.search(r'<dt>em dashes found</dt>\s*<dd class="sp-numbers__value">0</dd>',
                     numbers_html)


# -- copies of the repository, changed --------------------------------------------

@pytest.mark.slow
def test_one_rate_changes_tables_estimator_and_prose(project_copy, tmp_path):
    pricing = project_copy / "data" / "pricing.yml"
    text = pricing.read_text(encoding="utf-8")
    assert text.count("rate_per_1k_tokens: 0.014\n") == 1
    pricing.write_text(text.replace("rate_per_1k_tokens: 0.014\n",
                                    "rate_per_1k_tokens: 0.02\n"), encoding="utf-8")
    out = tmp_path / "site"
    result = mkdocs_build(project_copy, out)
    assert result.returncode == 0, result.stderr

    # 21,600 tokens x $0.02 / 1000 = $0.432 a second; 5 s = $2.16
    page = _page(out, "pricing")
    assert _row(page, "sp-price-per-second", "720p 16:9")[2] == "$0.4320"
    assert _row(page, "sp-price-durations", "5 s")[0] == "$2.16"
    assert "$0.3024" not in page
    data = json.loads((out / "assets" / "pricing.json").read_text())
    assert data["tiers"]["standard"]["rate_per_1k_tokens"] == "0.02"
    faq = _text(_page(out, "faq"))
    assert "$0.4320 on standard" in faq and "$0.3024" not in faq
    home = _text(_page(out, ""))
    assert "$0.4320" in home and "$2.16" in home and "$0.3024" not in home
    # the fast rate did not move, so its saving did: 1 - 0.0112 / 0.02 = 44 percent
    assert "44 percent" in _text(page)


def _broken_faq_build(project: Path, tmp_path: Path, edit) -> tuple[str, str]:
    faq = project / "data" / "faq.yml"
    new = edit(faq.read_text(encoding="utf-8"))
    faq.write_text(new, encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    return result.stdout + result.stderr, new


@pytest.mark.slow
def test_faq_with_bad_indentation_fails_the_build_with_file_and_line(project_copy, tmp_path):
    def indent_badly(text: str) -> str:
        return text.replace("\n  - question: What is the highest resolution?\n",
                            "\n  - question: What is the highest resolution?\n"
                            "     oops: this line is indented too far\n", 1)

    output, new = _broken_faq_build(project_copy, tmp_path, indent_badly)
    line = new.splitlines().index("     oops: this line is indented too far") + 1
    assert re.search(rf"data/faq\.yml:{line}:\d+: SP003 YAML syntax error", output), output
    assert "Traceback" not in output
    assert not (tmp_path / "site" / "faq" / "index.html").exists()


@pytest.mark.slow
def test_faq_entry_without_answer_fails_the_build_with_file_and_line(project_copy, tmp_path):
    def drop_answer(text: str) -> str:
        lines = text.splitlines(keepends=True)
        start = lines.index("  - question: What is the highest resolution?\n")
        end = start + 1
        while end < len(lines) and not lines[end].startswith("  - "):
            end += 1
        return "".join(lines[:start + 1] + ["\n"] + lines[end:])

    output, new = _broken_faq_build(project_copy, tmp_path, drop_answer)
    line = new.splitlines().index("  - question: What is the highest resolution?") + 1
    assert f"data/faq.yml:{line}:1: SP007 question 2: missing field 'answer'" in output, output
    assert "Traceback" not in output


# -- text from YAML never injects HTML ---------------------------------------------

def test_yaml_text_is_escaped_in_faq_and_field(project_copy):
    def inject(path, old, new):
        text = path.read_text()
        assert old in text, f"{path.name} no longer has {old!r}: point the test at new text"
        path.write_text(text.replace(old, new, 1))

    faq = project_copy / "data" / "faq.yml"
    inject(faq, "question: What is the highest resolution?",
           'question: "What is <b>the</b> highest resolution?"')
    inject(faq, "      {{ resolution_max() }}, as far as anything is confirmed.",
           "      <script>alert(1)</script> [x](javascript:alert(2)) {{ resolution_max() }},"
           " as far as anything is confirmed.")
    inject(project_copy / "data" / "field.yml", "maker: Kuaishou",
           'maker: "<img src=x onerror=alert(3)>"')
    names = page_names(load_site_data(project_copy))
    entries = str(names["faq_entries"]())
    assert "<script>" not in entries and "&lt;script&gt;alert(1)&lt;/script&gt;" in entries
    assert "<b>the</b>" not in entries and "&lt;b&gt;the&lt;/b&gt;" in entries
    assert 'href="javascript' not in entries
    jsonld = str(names["faq_jsonld"]())
    assert "</script>" not in jsonld.removesuffix("</script>\n")
    table = str(names["field_table"]())
    assert "<img src=x" not in table and "&lt;img src=x onerror=alert(3)&gt;" in table


@pytest.mark.parametrize("bad, fragment", [(".nan", "not a number"),
                                            (".inf", "must be a finite number")])
def test_a_field_figure_that_is_not_finite_is_named_at_its_line_and_column(project_copy, bad,
                                                                           fragment):
    """The editor sees where to type: the file, the line and the column of the value."""
    path = project_copy / "data" / "field.yml"
    text = path.read_text()
    old = "        value: 1346\n"
    assert old in text, "field.yml no longer has the Elo figure: point the test at another"
    path.write_text(text.replace(old, f"        value: {bad}\n", 1))
    line = text[:text.index(old)].count("\n") + 1
    with pytest.raises(ContentError) as err:
        load_site_data(project_copy)
    found = [d for d in err.value.diagnostics if fragment in d.message]
    assert [(d.path.endswith("data/field.yml"), d.line, d.column) for d in found] == \
        [(True, line, 9)]


# -- the field table says what the data holds --------------------------------------

def test_field_table_prices_the_fallback_and_names_no_cheapest():
    """Seedance 1.5 Pro is priced from its own formula beside the others, 2.0's
    resolution is the highest confirmed one, and no model is called the cheapest
    while 1.5 Pro costs less a second than Grok's quoted figure."""
    table = _text(str(page_names(load_site_data(ROOT))["field_table"]()))
    pro15 = table[table.index("Seedance 1.5 Pro"):]
    # read 16A: the rate without audio is one no known request can get, and says so
    assert re.search(r"Price at 1080p:\s+\$0\.1166 per second with audio, the rate to budget "
                     r"at \(\$0\.0583 without, but no field we know of turns its sound off\)\s+"
                     r"\(computed from the rates on its fal model page", pro15), pro15
    assert re.search(r"Highest confirmed resolution:\s+720p", table)
    assert not re.search(r"Highest resolution:\s+720p", table)
    assert not re.search(r"lowest price|cheapest", table, re.I)


def test_field_table_says_when_a_quoted_figure_was_recorded():
    """The brief gives no date for the figures it quotes: each says the day it was recorded
    here, a computed price the day fal's rates were checked; every model the comparison
    names is in the table, the Arena's leader included."""
    data = load_site_data(ROOT)
    table = _text(str(page_names(data)["field_table"]()))
    assert re.search(r"Veo 3\.1.*\(the publication brief, recorded 2026-11-24\)", table, re.S)
    assert "(the publication brief, 2026-11-24)" not in table
    verified = data.models["pricing"].verified.isoformat()
    assert f"(computed from fal's published rates, recorded {verified})" in table
    # read 82C: 1.5 Pro's price carries the day its own rates were recorded, as the
    # fallback guide prints it
    pro15 = data.models["pricing"].pro15
    assert re.search(r"Price at 1080p:.*computed from the rates on its fal model page, at "
                     rf"{pro15.frame_rate} frames a second.*page states, recorded "
                     rf"{pro15.values_since}\)", table), table
    assert pro15.values_since != data.models["pricing"].values_since  # so the test can fail
    assert re.search(r"HappyHorse 1\.0.*Arena place:\s+first", table, re.S)


# -- the numbers and the keyword cloud are computed ----------------------------------

def test_numbers_count_the_content(project_copy):
    data = load_site_data(project_copy)
    before = {n.label: n.value for n in numbers(data)}
    assert before["posts"] == str(len(list((ROOT / "posts").glob("*.md"))))
    assert before["em dashes found"] == "0"
    post = next(iter(sorted((project_copy / "posts").glob("*.md"))))
    post.write_text(post.read_text() + "\nA stray \u2014 and an &" + "mdash; here.\n")
    after = {n.label: n.value for n in numbers(load_site_data(project_copy))}
    assert after["em dashes found"] == "2"
    assert int(after["words"].replace(",", "")) > int(before["words"].replace(",", ""))


def test_keyword_counts_leave_out_stop_words_code_and_links(tmp_path):
    post = tmp_path / "p.md"
    post.write_text("---\ntitle: Render notes\n---\n\nThe render and the render, a fast "
                    "render from [the docs](https://example.com/webhook). Use `inline_code`"
                    " and {{ price('fast', '720p', 5) }}.\n\n```python\nimport os\n"
                    "import sys\n```\n")
    counts = keyword_counts([parse_post(post)])
    assert counts["render"] == 4  # three in the body, one in the title
    assert counts["fast"] == 1 and counts["notes"] == 1 and counts["docs"] == 1
    assert not set(counts) & STOP_WORDS
    for left_out in ("import", "webhook", "inline_code", "price", "example.com"):
        assert left_out not in counts
    # the repository's posts: no stop word survives
    assert not set(keyword_counts(load_site_data(ROOT).posts)) & STOP_WORDS


def test_the_estimator_script_loads_on_the_pricing_page_only(built_site: Path):
    pages = {p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html")
             if "estimator.js" in p.read_text()}
    assert pages == {"pricing/index.html"}


# -- the rules page states every rule of data/rules.yml ---------------------------------

def test_a_rule_added_to_the_data_appears_on_the_rules_page_with_its_anchor(project_copy):
    from seedpress.site.generate import generate

    rules = project_copy / "data" / "rules.yml"
    rules.write_text(rules.read_text() + (
        "\n  - id: queue-patience\n    title: How long a render may take\n"
        "    statement: |\n      A render of {{ duration_max() }} seconds may queue for a while.\n"
        "    source: a test\n"), encoding="utf-8")
    page = generate(project_copy).pages["rules.md"]
    data = load_site_data(project_copy)
    ids = [item.id for item in data.models["rules"].rules]
    assert ids[-1] == "queue-patience" and len(ids) > 1
    for rule_id in ids:
        assert re.search(rf"^## .+ \{{ #{rule_id} \}}$", page, re.M), rule_id
    assert "## How long a render may take { #queue-patience }" in page
    longest = data.models["limits"].duration_max
    assert f"A render of {longest} seconds may queue for a while." in page

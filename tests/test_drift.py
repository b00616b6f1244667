"""`seedpress drift`: fal's llms.txt pages against the data, over loopback only.

The pages come from a fake of fal's model pages (tests/fakes/llms_server.py)
serving fixtures written in fal's format; each scenario changes them the way
fal might. Every test runs the real command (in-process through
``seedpress.cli.main``; one test runs the installed entry point) and asserts
what a person or CI would see: the findings, the data line each one points
at, the exit code, and that nothing was written unless it should be.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest
from fakes.llms_server import (
    ENDPOINTS,
    FAST_I2V,
    FAST_R2V,
    FAST_T2V,
    I2V,
    PRO15,
    SCENARIOS,
    T2V,
    FakeLlms,
    pages,
)
from seedpress import cli, codes
from seedpress.drift.page import PageError, parse_page, parse_pricing
from seedpress.drift.pages import FACT_NAMES
from support import BIN, ROOT, TODAY, copy_repo

LIMITS = "data/limits.yml"
PRICING = "data/pricing.yml"


@pytest.fixture(scope="module")
def server():
    fake = FakeLlms().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake(server):
    return server.use("in-sync")


@pytest.fixture
def data_root(tmp_path) -> Path:
    """A project with the repository's data (enough for a run in sync, and for --stamp)."""
    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    for name in ("limits.yml", "pricing.yml", "publication.yml"):
        shutil.copy(ROOT / "data" / name, root / "data" / name)
    return root


def drift(capsys, fake, *args, root: Path = ROOT, cache: Path | None = None,
          base: str | None = None):
    """Run `seedpress drift` in-process: (exit code, stdout, stderr)."""
    with tempfile.TemporaryDirectory() as fresh:
        argv = ["drift", "--root", str(root), "--today", TODAY.isoformat(),
                "--cache-dir", str(cache if cache is not None else fresh)]
        if base is not False:
            argv += ["--base-url", base or fake.base_url]
        code = cli.main([*argv, *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def line_of(path: str, needle: str, root: Path = ROOT) -> int:
    """The line of ``path`` that reads exactly ``needle``."""
    lines = (root / path).read_text(encoding="utf-8").splitlines()
    assert lines.count(needle) == 1, f"{needle!r} is not on exactly one line of {path}"
    return lines.index(needle) + 1


def endpoint_line(endpoint: str) -> int:
    return next(i for i, text in enumerate(
        (ROOT / LIMITS).read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith(f"  - {{id: {endpoint},"))


def findings(out: str) -> list[tuple[str, int, str, str]]:
    """(path, line, code, message) of each finding line."""
    found = []
    for text in out.splitlines():
        if text.startswith("data/"):
            where, code, message = text.split(" ", 2)[0], text.split(" ")[1], \
                text.split(" ", 2)[2]
            path, line, _col = where.rstrip(":").split(":")
            found.append((path, int(line), code, message))
    return found


# -- every scenario: the right findings at the right lines, the right exit code ----------

PRINTED_LIMITS = ("builder", "rules", "FAQ")

#: scenario -> exit code, [(path, line needle or endpoint, code, fragments of the message)]
EXPECTED = {
    "in-sync": (0, []),
    "end-user-id": (1, [(LIMITS, "inputs_not_offered: []", "SP802", [
        "optional input `end_user_id` (string) for every Seedance 2.0 endpoint (6)",
        "does not offer", "printed on: builder)"])]),
    "fast-1080p": (1, [(LIMITS, "    tiers: [standard]", "SP803", [
        f"fal now lists 1080p for {FAST_T2V}; the data says standard only",
        "printed on: builder", "rules", "guides)"])]),
    "duration-added": (1, [(LIMITS, "  max: 15", "SP803", [
        "fal now lists durations of 4 to 16 s for every Seedance 2.0 endpoint (6)",
        "every whole second from 4 to 15", "rules", "guides)"])]),
    "new-optional-field": (1, [(LIMITS, "inputs_not_offered: []", "SP802", [
        f"optional input `camera_fixed` (boolean) for {FAST_T2V}"])]),
    "field-removed": (1, [(LIMITS, I2V, "SP802", [
        f"fal no longer lists the input `seed` for {I2V}; the request builder sends it"])]),
    "fast-price": (1, [(PRICING, "    rate_per_1k_tokens: 0.0112", "SP805", [
        "fal now charges $0.0123 per 1,000 tokens for every fast endpoint (3)",
        "the data says $0.0112 ($0.2419 per second at 720p 16:9)", "pricing", "guides)"])]),
    "token-rate": (1, [(PRICING, "    rate_per_1k_tokens: 0.014", "SP805", [
        "fal now charges $0.015 per 1,000 tokens for every standard endpoint (3)",
        "the data says $0.014"])]),
    "frame-rate": (1, [(PRICING, "frame_rate: 24", "SP806", [
        "token formula for every Seedance 2.0 endpoint (6) now counts 30 frames per second",
        "the data says 24"])]),
    "pro15-price": (1, [(PRICING, "    audio: 2.4", "SP805", [
        f"$2.8 per million tokens with audio for {PRO15}; the data says $2.4"]),
        (PRICING, "    silent: 1.2", "SP805", ["$1.4 per million tokens without audio"])]),
    "image-limit": (1, [(LIMITS, "  images: 9", "SP804", [
        "the most images in one request as 10", "the data says 9", *PRINTED_LIMITS])]),
    "limit-unstated": (2, [(LIMITS, "  total: 12", "SP801", [
        "no fal page states the most files in one request any more (the data says 12)"])]),
    "not-found": (2, [(LIMITS, FAST_I2V, "SP801", [
        f"could not judge {FAST_I2V}: not found (HTTP 404)", "/llms.txt"])]),
    "html": (2, [(LIMITS, FAST_T2V, "SP801", [f"could not judge {FAST_T2V}: an HTML page"])]),
    "truncated": (2, [(LIMITS, FAST_R2V, "SP801", ["cut short"])]),
    "heading-moved": (2, [(LIMITS, I2V, "SP801", ["Input Schema", "lists no fields"])]),
    "too-large": (2, [(LIMITS, T2V, "SP801", ["past the limit of 1,048,576 bytes"])]),
}


def test_every_scenario_of_the_fake_is_expected():
    assert set(EXPECTED) == set(SCENARIOS)


@pytest.mark.parametrize("scenario", sorted(EXPECTED))
def test_scenario_findings_lines_and_exit_code(scenario, server, capsys):
    server.use(scenario)
    code, out, err = drift(capsys, server)
    want_code, want = EXPECTED[scenario]
    got = findings(out)
    assert code == want_code, out + err
    assert len(got) == len(want), out
    for (path, needle, want_code_, fragments), (g_path, g_line, g_code, message) in zip(
            sorted(want, key=lambda w: (w[0], _line(w))), got, strict=True):
        assert (g_path, g_line, g_code) == (path, _line((path, needle)), want_code_), message
        for fragment in fragments:
            assert fragment in message, f"{fragment!r} not in {message!r}"
    # one request per endpoint, however the run ended
    assert sorted(r.path for r in server.requests) == sorted(
        f"/{e}/llms.txt" for e in ENDPOINTS)
    if want_code == 0:
        assert out.strip() == "In sync: all 7 pages of fal agree with the data."
    elif want_code == 2:
        assert "nothing is in sync until everything is judged" in out


def _line(item) -> int:
    path, needle = item[0], item[1]
    return endpoint_line(needle) if needle in ENDPOINTS else line_of(path, needle)


def test_every_drift_code_is_produced_by_a_scenario():
    produced = {f[2] for _code, want in EXPECTED.values() for f in want}
    produced.add(codes.DRIFT_STALE.code)  # test_accepted_differences_and_stale_entries
    drift_codes = {c.code for c in codes.registry() if c.family == codes.DRIFT_FAMILY}
    assert drift_codes == produced


# -- the network, politeness, and no key anywhere -------------------------------------------

def test_network_down_is_one_line_and_exit_2(capsys, fake):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again when the block ends: nothing listens
    code, out, err = drift(capsys, fake, base=f"http://127.0.0.1:{port}")
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"seedpress drift: could not reach http://127.0.0.1:{port}/")
    assert "connection refused" in err and "nothing was judged" in err


def test_network_down_in_json_says_unreachable(capsys, fake):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, out, _err = drift(capsys, fake, "--json", base=f"http://127.0.0.1:{port}")
    report = json.loads(out)
    assert code == 2 and report["status"] == "unreachable" and report["findings"] == []
    assert {p["state"] for p in report["pages"]} == {"not_tried"}


def test_etag_is_sent_back_and_a_304_is_read_from_the_cache(capsys, fake, tmp_path,
                                                            monkeypatch):
    monkeypatch.setenv("FAL_KEY", "fake-key-never-sent")
    cache = tmp_path / "cache"
    assert drift(capsys, fake, cache=cache)[0] == 0
    first = list(fake.requests)
    assert [r.status for r in first] == [200] * 7
    assert all(r.if_none_match is None for r in first)
    fake.requests.clear()
    code, out, _err = drift(capsys, fake, cache=cache)
    assert code == 0 and "7 unchanged since the last run" in out
    assert [r.status for r in fake.requests] == [304] * 7
    assert all(r.if_none_match and r.if_modified_since for r in fake.requests)
    # a page that changed is fetched whole and judged: the cache never hides drift
    fake.use("fast-1080p")
    code, out, _err = drift(capsys, fake, cache=cache)
    assert code == 1 and "1080p" in out
    assert sorted(r.status for r in fake.requests) == [200] + [304] * 6
    assert not any(r.authorization for r in [*first, *fake.requests])
    assert "fake-key-never-sent" not in "".join(p.read_text() for p in cache.iterdir())


def test_user_agent_says_who_asks_and_no_authorization_is_sent(capsys, fake, monkeypatch):
    monkeypatch.setenv("FAL_KEY", "fake-key-never-sent")
    drift(capsys, fake)
    agents = {r.user_agent for r in fake.requests}
    assert len(agents) == 1
    agent = agents.pop()
    assert agent.startswith("seedpress-drift/") and "fal model pages" in agent
    assert not any(r.authorization for r in fake.requests)


def test_a_server_that_never_answers_times_out_and_nothing_is_judged(capsys, fake):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # connections complete in the backlog; nothing ever answers
        port = silent.getsockname()[1]
        code, out, err = drift(capsys, fake, "--timeout", "0.2",
                               base=f"http://127.0.0.1:{port}")
    assert code == 2 and out == ""
    assert "no answer within the timeout" in err and "nothing was judged" in err


def test_an_answer_that_declares_too_many_bytes_is_not_read(capsys, server):
    from fakes.llms_server import Reply

    server.use("in-sync")
    server._replies[PRO15] = Reply(b"# x\n" * 300_000)  # 1.2 MB, with its Content-Length
    code, out, _err = drift(capsys, server)
    assert code == 2 and "the answer is 1,200,000 bytes, over the limit of 1,048,576" in out


@pytest.mark.parametrize("value", ["0", "-1", "nan", "601"])
def test_a_timeout_out_of_range_is_refused(capsys, fake, value):
    code, _out, err = drift(capsys, fake, "--timeout", value)
    assert code == 2 and "--timeout must be" in err and fake.requests == []


def test_a_base_url_with_credentials_or_another_scheme_is_refused(capsys, fake):
    for base in ("http://user:pw@127.0.0.1:1", "ftp://127.0.0.1/", "not a url"):
        code, out, err = drift(capsys, fake, base=base)
        assert code == 2 and out == "" and err.startswith("seedpress drift: --base-url:")
    assert fake.requests == []


def test_the_base_url_can_come_from_the_environment(capsys, fake, monkeypatch):
    monkeypatch.setenv("SEEDPRESS_FAL_MODELS_URL", fake.base_url)
    code, out, _err = drift(capsys, fake, base=False)
    assert code == 0 and len(fake.requests) == 7


# -- output formats --------------------------------------------------------------------------

def test_json_report_names_findings_endpoints_and_the_pages_that_print_them(capsys, server):
    server.use("fast-1080p")
    code, out, _err = drift(capsys, server, "--json")
    report = json.loads(out)
    assert code == 1 and report["status"] == "drift" and report["exit_code"] == 1
    [item] = report["findings"]
    assert item["path"] == LIMITS and item["code"] == "SP803"
    assert item["line"] == line_of(LIMITS, "    tiers: [standard]")
    assert item["endpoints"] == [FAST_T2V] and item["fact"] == "resolutions"
    assert "docs/rules.md" in item["pages"] and "docs/builder.md" in item["pages"]
    assert any(p.startswith("posts/") for p in item["pages"])
    states = {p["endpoint"]: p["state"] for p in report["pages"]}
    assert states[FAST_T2V] == "drift" and states[T2V] == "in_sync"


def test_github_format_annotates_the_data_line(capsys, server):
    server.use("token-rate")
    code, out, err = drift(capsys, server, "--format", "github")
    line = line_of(PRICING, "    rate_per_1k_tokens: 0.014")
    assert code == 1
    # drift never stops the build: its annotation is a warning at its severity (issue 21)
    assert out.startswith(f"::warning file={PRICING},line={line},col=5,title=SP805::fal now")
    assert "Found 1 difference" in err


def test_report_file_is_written_whatever_the_outcome(capsys, server, tmp_path):
    server.use("not-found")
    report = tmp_path / "out" / "drift.json"
    code, _out, _err = drift(capsys, server, "--report", str(report))
    assert code == 2 and json.loads(report.read_text())["status"] == "unjudged"


# -- accepted differences --------------------------------------------------------------------

def test_accepted_differences_and_stale_entries(capsys, server, data_root):
    limits = data_root / LIMITS
    limits.write_text(limits.read_text().replace(
        "inputs_not_offered: []",
        "inputs_not_offered:\n  - name: end_user_id\n    reason: fal's own bookkeeping of "
        "who asked; readers send nothing there\n"))
    server.use("end-user-id")
    code, out, _err = drift(capsys, server, root=data_root)
    assert code == 0, out  # an accepted input is not a finding: a real run can be clean
    server.use("in-sync")
    code, out, _err = drift(capsys, server, root=data_root)
    [(path, line, code_, message)] = findings(out)
    assert code == 1 and (path, code_) == (LIMITS, "SP807")
    assert line == line_of(LIMITS, "  - name: end_user_id", data_root)
    assert "no longer list the input `end_user_id`: remove this entry" in message
    assert out.endswith("Found 1 difference between fal's pages and the data.\n")

    pricing = data_root / PRICING
    pricing.write_text(pricing.read_text().replace("per_second_720p: 0.3034",
                                                   "per_second_720p: 0.3099"))
    code, out, _err = drift(capsys, server, root=data_root)
    got = {(p, c): m for p, _l, c, m in findings(out)}
    assert code == 1
    assert f"fal prints $0.3034 per second at 720p for {T2V}; the formula gives $0.3024" \
        in got[(PRICING, "SP805")]
    assert "$0.3099 per second at 720p any more: remove this entry" in got[(PRICING, "SP807")]


@pytest.mark.parametrize("entry, fragment", [
    ("  - name: end_user_id\n", "missing field 'reason'"),
    ("  - name: End-User\n    reason: x\n", "lower case with underscores"),
    ("  - name: end_user_id\n    reason: x\n    why: y\n", "unknown key 'why'"),
])
def test_inputs_not_offered_is_validated_with_its_line(data_root, entry, fragment):
    from seedpress.content.limits import load_limits
    from seedpress.errors import ContentError

    limits = data_root / LIMITS
    limits.write_text(limits.read_text().replace("inputs_not_offered: []",
                                                 "inputs_not_offered:\n" + entry))
    with pytest.raises(ContentError) as err:
        load_limits(data_root)
    [d] = err.value.diagnostics
    start = line_of(LIMITS, "inputs_not_offered:", data_root)
    assert d.path.endswith(LIMITS) and start < d.line <= start + 3
    assert fragment in d.message


def test_broken_data_stops_the_run_with_its_line_before_any_request(capsys, fake, data_root):
    pricing = data_root / PRICING
    pricing.write_text(pricing.read_text().replace("    silent: 1.2", "    silent: .nan"))
    code, out, err = drift(capsys, fake, root=data_root)
    line = line_of(PRICING, "    silent: .nan", data_root)
    assert code == 2 and f"pricing.yml:{line}:" in err and "not a number" in err
    assert fake.requests == []


# -- --stamp ---------------------------------------------------------------------------------

def _files(root: Path) -> dict[str, str]:
    return {p: (root / p).read_text() for p in (LIMITS, PRICING)}


def test_stamp_changes_only_the_verified_dates_and_only_when_in_sync(capsys, fake, data_root):
    """The files' verified: lines, and that of Seedance 1.5 Pro's section, which is dated
    on its own and judged in the same run; a date is never moved back."""
    before = _files(data_root)
    code, _out, err = drift(capsys, fake, "--stamp", "--today", "2026-12-01", root=data_root)
    assert code == 0
    earlier = _files(data_root)
    pro15 = [line for line in earlier[PRICING].splitlines() if line.startswith("  verified:")]
    assert pro15 == ["  verified: 2026-12-03"]  # later than the stamp's day: left as it is
    code, _out, err = drift(capsys, fake, "--stamp", "--today", "2026-12-04", root=data_root)
    after = _files(data_root)
    assert code == 0
    for path, lines in ((LIMITS, [("verified: 2026-11-24", "verified: 2026-12-04")]),
                        (PRICING, [("verified: 2026-11-24", "verified: 2026-12-04"),
                                   ("  verified: 2026-12-03", "  verified: 2026-12-04")])):
        old, new = before[path].splitlines(), after[path].splitlines()
        changed = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
        assert changed == lines
        assert after[path].endswith("\n") == before[path].endswith("\n")
        assert f"{path}: verified 2026-12-01 -> 2026-12-04" in err
    # again the same day: nothing to write
    code, _out, err = drift(capsys, fake, "--stamp", "--today", "2026-12-04", root=data_root)
    assert code == 0 and _files(data_root) == after and "already verified 2026-12-04" in err


@pytest.mark.parametrize("scenario, exit_code", [("fast-1080p", 1), ("not-found", 2)])
def test_stamp_writes_nothing_unless_in_sync(capsys, server, data_root, scenario, exit_code):
    server.use(scenario)
    before = _files(data_root)
    code, _out, err = drift(capsys, server, "--stamp", "--today", "2026-12-01", root=data_root)
    assert code == exit_code and "not stamped" in err
    assert _files(data_root) == before


def test_stamp_refuses_a_read_only_file_and_writes_neither(capsys, fake, data_root):
    pricing = data_root / PRICING
    pricing.chmod(stat.S_IRUSR | stat.S_IRGRP)
    before = _files(data_root)
    try:
        code, _out, err = drift(capsys, fake, "--stamp", "--today", "2026-12-01",
                                root=data_root)
    finally:
        pricing.chmod(0o644)
    assert code == 2 and "pricing.yml: the file is read-only" in err
    assert _files(data_root) == before
    assert not list((data_root / "data").glob(".*.tmp"))


@pytest.mark.slow  # generates the whole site and checks it
def test_after_a_stamp_pages_show_the_new_date_and_the_check_stays_clean(capsys, fake,
                                                                        tmp_path):
    from seedpress.check import run as check
    from seedpress.pages.pricing_markup import ESTIMATOR_JSON
    from seedpress.site.generate import generate

    project = copy_repo(tmp_path / "project")
    day = TODAY  # the day the tests take as today: no post is dated after it
    # the limits table on the rules and builder pages: the day the values were written in,
    # and after a stamp the day fal's pages were found unchanged too
    caption = "as written into our data from fal's model pages on {}</caption>"
    checked = "2026-11-24 (found unchanged there on {})"
    before = generate(project, today=day)
    for uri in ("rules.md", "builder.md"):
        assert caption.format("2026-11-24") in before.pages[uri], uri
    def pricing_text(tree) -> str:  # the pricing page's prose, however it is wrapped
        return " ".join(tree.pages["pricing.md"].split())

    rates = "model pages](https://fal.ai/models/bytedance/seedance-2.0/text-to-video), " \
        "one for each endpoint, on {})"
    assert rates.format("2026-11-24") in pricing_text(before)
    # Seedance 1.5 Pro's figures carry their own day, the day they came from its fal page
    fallback, pro15 = "blog/posts/when-to-fall-back-to-seedance-1-5-pro.md", \
        "they were written into our data from it on {}."
    assert pro15.format("2026-12-03") in before.pages[fallback]
    code, _out, _err = drift(capsys, fake, "--stamp", "--today", day.isoformat(),
                             root=project)
    assert code == 0
    after = generate(project, today=day)
    assert pro15.format(f"2026-12-03 (found unchanged there on {day})") in after.pages[fallback]
    for uri in ("rules.md", "builder.md"):
        assert caption.format(checked.format(day.isoformat())) in after.pages[uri], uri
        assert caption.format("2026-11-24") not in after.pages[uri], uri
    assert rates.format(checked.format(day.isoformat())) in pricing_text(after)
    assert json.loads(after.files[ESTIMATOR_JSON])["verified"] == day.isoformat()
    report = check(project, [], today=day)
    assert report.diagnostics == []


# -- the parser, on its own ------------------------------------------------------------------

def test_parser_reads_fields_options_defaults_and_limits():
    page = parse_page(pages()[FAST_R2V])
    assert page.model_id == FAST_R2V and page.title == "Seedance 2.0 Fast Reference to Video"
    assert list(page.fields) == ["prompt", "image_urls", "video_urls", "audio_urls",
                                 "resolution", "duration", "aspect_ratio", "generate_audio",
                                 "seed"]
    prompt, duration = page.fields["prompt"], page.fields["duration"]
    assert prompt.required and prompt.type == "string" and not prompt.has_default
    assert duration.default == "auto" and duration.options[:3] == ("auto", "4", "5")
    assert page.fields["generate_audio"].default is True
    assert page.fields["image_urls"].type == "list<string>"
    assert "Up to 9 images" in page.fields["image_urls"].description
    p = page.pricing
    assert (str(p.per_second_720p.value), p.per_second_720p.decimals) == ("0.2419", 4)
    assert str(p.rate_per_1k.value) == "0.0112" and str(p.reference_multiplier.value) == "0.6"
    assert str(p.reference_per_second_720p.value) == "0.14515"
    assert (p.formula.frame_rate, p.formula.divisor, p.formula.counts_input_seconds) == \
        (24, 1024, True)


def test_parser_reads_seedance_1_5_pro_prose_with_a_named_frame_rate():
    p = parse_page(pages()[PRO15]).pricing
    assert str(p.rate_per_1m_audio.value) == "2.4" and str(p.rate_per_1m_silent.value) == "1.2"
    assert (p.formula.frame_rate, p.formula.frame_rate_name, p.formula.divisor) == \
        (None, "FPS", 1024)
    assert p.example[:3] == ("720p", 5, True) and str(p.example[3].value) == "0.26"


def test_pricing_prose_is_read_defensively():
    empty = parse_pricing("Pricing is on our website.")
    assert empty.rate_per_1k is None and empty.formula is None
    odd = parse_pricing("Your request will cost $0.02 per 1,000 tokens; tokens are "
                        "(height * width * duration * 24 * quality) / 2048.")
    assert str(odd.rate_per_1k.value) == "0.02" and odd.formula.divisor == 2048
    assert odd.formula.unknown_terms == ("quality",)


def test_headings_in_code_blocks_are_not_sections():
    text = pages()[FAST_T2V].replace("## Pricing\n", "```bash\n## Pricing\n```\n", 1)
    with pytest.raises(PageError, match="no '## Pricing' section"):
        parse_page(text)


def test_a_page_for_another_model_is_not_judged(capsys, server):
    server.use("in-sync")
    server._replies[FAST_T2V].body = server._replies[FAST_T2V].body.replace(
        b"**Model ID**: `bytedance/seedance-2.0/fast/text-to-video`",
        b"**Model ID**: `bytedance/seedance-2.0/fast/image-to-video`")
    code, out, _err = drift(capsys, server)
    assert code == 2 and f"the page describes {FAST_I2V}, not this endpoint" in out


# -- which pages print a fact ----------------------------------------------------------------

def test_every_name_that_prints_a_fact_is_a_name_pages_have():
    import datetime as dt

    from seedpress.pages.data import gather
    from seedpress.pages.page_names import page_names

    names = page_names(gather(ROOT, dt.date(2026, 11, 24)).data)
    listed = {name for rule in FACT_NAMES.values() for name in rule}
    assert listed <= set(names), listed - set(names)


# -- the real entry point, and `make drift` where fal cannot be reached ----------------------

def test_installed_entry_point_in_sync_and_network_down(fake, tmp_path):
    env = {**os.environ, "SEEDPRESS_FAL_MODELS_URL": fake.base_url}
    result = subprocess.run([str(BIN / "seedpress"), "drift", "--cache-dir", str(tmp_path)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "In sync: all 7 pages of fal agree with the data.\n"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env["SEEDPRESS_FAL_MODELS_URL"] = f"http://127.0.0.1:{port}"
    result = subprocess.run(["make", "--no-print-directory", "drift",
                             f"DRIFT_FLAGS=--cache-dir {tmp_path}"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    lines = [t for t in result.stderr.splitlines() if t.startswith("seedpress drift:")]
    assert len(lines) == 1 and "could not reach" in lines[0]
    assert "Traceback" not in result.stdout + result.stderr


# -- the workflow's issue script, against a fake gh ------------------------------------------

def test_the_workflow_script_keeps_to_one_issue_per_drift(capsys, server, tmp_path):
    from fakes.gh import install

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    install(bin_dir)
    store = tmp_path / "gh.json"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "FAKE_GH_STORE": str(store), "GITHUB_SERVER_URL": "https://github.com",
           "GITHUB_REPOSITORY": "example/seedpress", "GITHUB_RUN_ID": "42"}

    def week(scenario: str) -> dict:
        """One scheduled run: drift with --report, then the workflow's script."""
        server.use(scenario)
        report = tmp_path / "artifacts" / "drift.json"
        drift(capsys, server, "--report", str(report))
        result = subprocess.run([str(BIN / "python"), "scripts/drift_issue.py", str(report)],
                                cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        return json.loads(store.read_text()) if store.exists() else {"issues": [], "calls": []}

    gh = week("fast-1080p")
    [issue] = gh["issues"]
    assert issue["state"] == "OPEN" and issue["labels"] == ["drift"]
    assert "**SP803** fal now lists 1080p" in issue["body"]
    assert "`docs/rules.md`" in issue["body"] and "actions/runs/42" in issue["body"]

    calls = len(week("fast-1080p")["calls"])  # the same drift next week: left alone
    gh = json.loads(store.read_text())
    assert len(gh["issues"]) == 1 and gh["calls"][-1][:2] == ["issue", "list"]

    gh = week("token-rate")  # other findings: the same issue, updated, with a comment
    assert len(gh["issues"]) == 1 and len(gh["calls"]) == calls + 3
    assert "$0.015 per 1,000 tokens" in gh["issues"][0]["body"]
    assert "1080p" not in gh["issues"][0]["body"]
    assert gh["issues"][0]["comments"] == ["The findings changed; the description above "
                                           "lists the current ones."]

    gh = week("in-sync")  # fal and the data agree: closed
    assert gh["issues"][0]["state"] == "CLOSED"

    gh = week("token-rate")  # the same drift again: reopened, never a second issue
    assert len(gh["issues"]) == 1 and gh["issues"][0]["state"] == "OPEN"

    before = len(gh["calls"])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    report = tmp_path / "artifacts" / "drift.json"
    drift(capsys, server, "--report", str(report), base=f"http://127.0.0.1:{port}")
    result = subprocess.run([str(BIN / "python"), "scripts/drift_issue.py", str(report)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "could not be reached" in result.stdout
    assert len(json.loads(store.read_text())["calls"]) == before  # nothing said to editors

"""The code the guides share (snippets/fal_calls.py) and how guides include it.

The file is run here as readers see it: rendered by the site's own renderer
(its rates and minimum duration are computed names), then executed as a module
with the real fal_client against the fake fal server. Each part is held to
what it stands for: the cost to the pricing model, the retry policy to the
`retries` rule of data/rules.yml, the fetching to "a completed render is
fetched again, never submitted again".
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import types

import fal_client
import httpx
import pytest
from fakes.fal_server import Fault
from fal_client.client import FalClientHTTPError
from seedpress.content import read_text
from seedpress.pages.code_include import MARKER
from seedpress.pages.data import load_site_data
from seedpress.pages.page_names import page_names
from seedpress.pages.render import TEXT_ENV, Origin, render_text, template_findings
from seedpress.pricing import quote
from support import BIN, ROOT

SHARED = ROOT / "snippets" / "fal_calls.py"
T2V = "bytedance/seedance-2.0/text-to-video"
FAST_T2V = "bytedance/seedance-2.0/fast/text-to-video"
R2V = "bytedance/seedance-2.0/reference-to-video"
SHOT = {"prompt": "A paper lantern drifting over a lake", "duration": "5",
        "resolution": "480p", "aspect_ratio": "16:9", "generate_audio": False}


@pytest.fixture(scope="module")
def names():
    return page_names(load_site_data(ROOT))


def rendered(names) -> str:
    """The file with its computed names rendered, lines where the file has them."""
    return render_text(read_text(SHARED), names, Origin("snippets/fal_calls.py"), TEXT_ENV)


@pytest.fixture
def shared(names):
    """The shared code as a fresh module (a test may turn its patience down)."""
    module = types.ModuleType("fal_calls")
    sys.modules[module.__name__] = module
    try:
        exec(compile(rendered(names), "snippets/fal_calls.py", "exec"), module.__dict__)  # noqa: S102
    finally:
        sys.modules.pop(module.__name__, None)
    return module.__dict__


# -- the include -------------------------------------------------------------------------

def test_sections_come_in_file_order_without_their_markers(names):
    snippet = names["snippet"]
    fetch_then_classify = str(snippet("fal_calls.py", "fetch", "classify"))
    assert fetch_then_classify.index("def classify") < fetch_then_classify.index("def fetch_result")
    assert "--8<--" not in fetch_then_classify
    assert "def attempt_cost" not in fetch_then_classify  # only what was asked
    whole = str(snippet("fal_calls.py"))
    assert not any(MARKER.match(line) for line in whole.split("\n"))
    for part in ("def classify", "def next_attempt", "def backoff", "def attempt_cost",
                 "def render_video", "def keep_video"):
        assert part in whole
    assert "{{" not in whole and "RATE_PER_1K = {\"standard\": 0.014" in whole
    # Inside an indented block (a collapsed note), Jinja's indent filter does the rest.
    page = render_text('??? note "Code"\n\n    ```python\n    {{ snippet("fal_calls.py", '
                       '"backoff") | indent(4) }}\n    ```\n', names, Origin("posts/x.md"))
    body = page.split("```python\n")[1].split("    ```")[0]
    assert all(line.startswith("    ") for line in body.splitlines() if line.strip())
    assert "&#34;" not in page and '"""Seconds to wait' in page  # shown as written, not escaped


def test_sections_shown_together_show_each_import_once(names):
    """Read 71B: the retry and backoff sections each import random, so each reads alone in
    the file; shown together, a reader sees the import once, before the first use."""
    snippet = names["snippet"]
    together = str(snippet("fal_calls.py", "retry", "backoff"))
    lines = together.split("\n")
    assert lines.count("import random") == 1
    assert lines.index("import random") < together[:together.index("random.")].count("\n")
    whole = str(snippet("fal_calls.py"))  # every section: no top-level import twice
    imports = [line for line in whole.split("\n") if line.startswith(("import ", "from "))]
    assert len(imports) == len(set(imports))
    alone = str(snippet("fal_calls.py", "backoff"))
    assert alone.startswith("import random\nimport time\n")


@pytest.mark.parametrize("expression, message", [
    ('snippet("fal_call.py")', "no file 'fal_call.py' in snippets/ (did you mean "
                               "'fal_calls.py'?)"),
    ('snippet("fal_calls.py", "fetc")', "no section 'fetc' in snippets/fal_calls.py (did you "
                                         "mean 'fetch'?)"),
    ('snippet("../data/rules.yml")', "no file '../data/rules.yml' in snippets/"),
])
def test_a_wrong_file_or_section_is_reported_at_the_line_that_names_it(names, expression,
                                                                         message):
    page = f"# A guide\n\n```python\n{{{{ {expression} }}}}\n```\n"
    (found,) = template_findings(page, names, Origin("posts/guide.md", 9))
    assert (found.path, found.line, found.column, found.code) == ("posts/guide.md", 13, 1,
                                                                  "SP008")
    assert message in found.message


def test_a_broken_expression_or_marker_in_the_shared_file_is_reported_at_its_line(names,
                                                                                    tmp_path):
    from seedpress.pages.code_include import snippet_findings

    text = read_text(SHARED)
    broken = text.replace("{{ duration_min() }}", "{{ duration_mini() }}", 1).replace(
        "# --8<-- [end:cost]", "# --8<-- [end:costs]")
    lines = broken.split("\n")
    found = snippet_findings(tmp_path / "fal_calls.py", broken, names, "snippets/fal_calls.py")
    assert [(d.line, d.code) for d in found] == [
        (next(i for i, line in enumerate(lines, 1) if "duration_mini" in line), "SP008"),
        (next(i for i, line in enumerate(lines, 1) if "[start:cost]" in line), "SP008"),
        (next(i for i, line in enumerate(lines, 1) if "[end:costs]" in line), "SP008"),
    ]
    assert "unknown name 'duration_mini' (did you mean 'duration_min'?)" in found[0].message
    assert snippet_findings(SHARED, text, names, "snippets/fal_calls.py") == []


def test_the_shared_code_is_clean_python(names):
    # Each section carries the imports it needs, since a page may show it alone: so
    # imports below code (E402) and an import repeated by a later section (F811) are
    # by design.
    result = subprocess.run(
        [str(BIN / "ruff"), "check", "--no-cache", "--ignore", "E402,F811", "--stdin-filename",
         "snippets/fal_calls.py", "-"], input=rendered(names), cwd=ROOT, capture_output=True,
        text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


# -- the cost of an attempt -------------------------------------------------------------

def test_the_cost_of_an_attempt_is_the_pricing_model(shared):
    pricing = load_site_data(ROOT).models["pricing"]
    cost = shared["attempt_cost"]
    for resolution, ratios in shared["FRAME"].items():
        assert ratios == {r: tuple(size) for r, size in pricing.sizes[resolution].items()}
    assert set(shared["FRAME"]) == {r for r in pricing.sizes if r != "1080p"}
    for endpoint in (T2V, FAST_T2V):
        for resolution, ratios in shared["FRAME"].items():
            for ratio in ratios:
                for seconds in pricing.durations:
                    args = {"resolution": resolution, "aspect_ratio": ratio,
                            "duration": str(seconds)}
                    exact = quote(pricing, endpoint, seconds, resolution, ratio).cost_usd
                    assert cost(endpoint, args) == pytest.approx(exact, rel=1e-12)
    refs = {"resolution": "720p", "aspect_ratio": "9:16", "duration": "6",
            "video_urls": ["https://example.com/move.mp4"]}
    for seconds in (2, 7, 15):
        exact = quote(pricing, R2V, 6, "720p", "9:16", seconds, reference_video=True).cost_usd
        assert cost(R2V, refs, seconds) == pytest.approx(exact, rel=1e-12)
    for args, seconds in ((refs, 0), ({**refs, "video_urls": []}, 4),
                          ({**refs, "duration": "auto"}, 4),
                          ({**refs, "aspect_ratio": "auto"}, 4)):
        with pytest.raises(ValueError):
            cost(R2V, args, seconds)


# -- classification and the retry policy ----------------------------------------------------

def error_from_the_fake(fake, fault: Fault | None, call) -> Exception:
    """What the real fal_client raises when the fake answers with ``fault``."""
    if fault is not None:
        fake.inject(fault)
    with pytest.raises((fal_client.FalClientHTTPError, httpx.TransportError)) as caught:
        call()
    return caught.value


def test_classify_reads_every_answer_fal_gives(shared, fake_fal, quick_client):
    classify = shared["classify"]
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1

    def submit(args=SHOT):
        return fal_client.submit(T2V, arguments=args)

    def result_of(fault):
        fake_fal.inject(fault)
        handle = submit()
        handle.status()
        return lambda: fal_client.result(T2V, handle.request_id)

    def reason(fault=None, call=submit):
        err = error_from_the_fake(fake_fal, fault, call)
        failure = classify(err)
        return failure.state, failure.reason, failure.field

    for loc, why in (("generated_video", "output_filter"), ("prompt", "prompt_filter"),
                     ("image_url", "likeness_filter"), ("image_urls", "likeness_filter")):
        assert reason(call=result_of(Fault("content_policy", loc=loc))) == ("blocked", why, loc)
    assert reason(call=lambda: submit({**SHOT, "duration": "30"})) == (
        "rejected", "invalid_input", "duration")
    assert reason(Fault("locked")) == ("failed", "account_locked", "")
    assert reason(Fault("server_error")) == ("failed", "server_error", "")
    for kind in ("rate_limit", "request_timeout", "conflict"):  # once fal_client gave up
        assert reason(Fault(kind, count=10, on="submit")) == ("failed", "busy", "")
    # no answer at all: not a failure, since fal may have queued it
    assert reason(Fault("drop", count=10, on="submit")) == ("unanswered", "no_answer", "")
    assert reason(call=result_of(Fault("render_error"))) == ("failed", "server_error", "")
    assert classify(ValueError("a bug")).reason == "unexpected"
    # Read 29B: a loc that ends in a list index still names its input; read 65B: and the
    # failure keeps the index, which says which image to replace
    indexed = FalClientHTTPError([{"loc": ["body", "image_urls", 2], "msg": "flagged",
                                   "type": "content_policy_violation"}], 422, {}, None)
    assert (classify(indexed).reason, classify(indexed).field) == ("likeness_filter",
                                                                   "image_urls[2]")
    assert "image_urls[2]" in str(classify(indexed))
    # Read 83B: the last frame is an input image too, read as the start image is (no
    # report of a block on it yet, so the fake fal does not serve one)
    last = FalClientHTTPError([{"loc": ["body", "end_image_url"], "msg": "flagged",
                                "type": "content_policy_violation"}], 422, {}, None)
    assert (classify(last).state, classify(last).reason, classify(last).field) == (
        "blocked", "likeness_filter", "end_image_url")


def test_the_retry_policy_is_the_retries_rule(shared, names):
    """What the code retries is what data/rules.yml `retries` says, and only that."""
    Failure, next_attempt = shared["Failure"], shared["next_attempt"]
    statement = " ".join(load_site_data(ROOT).models["rules"].get("retries").statement.split())
    # The rule names the statuses fal_client retries by itself: the code leaves them to it.
    codes = shared["PASSING"]
    assert f"HTTP {codes[0]}, {codes[1]} or {codes[2]}" in statement
    assert "retried by `fal_client` itself" in statement
    args = {**SHOT, "duration": "12", "seed": 41}
    # "a plain 500 at submit deserves one more attempt, later": the same request again.
    assert next_attempt(args, Failure("failed", "server_error")) == args
    assert "plain 500 at submit deserves one more attempt, later" in statement
    # "An output block ... one retry, to the same endpoint, with a new seed. Keep the
    # duration": a shorter shot only when a person asks for it (shorten=True).
    retry = next_attempt(args, Failure("blocked", "output_filter", "generated_video"))
    assert retry == {**args, "seed": 42}  # the same shot, another seed
    assert "`generated_video`, deserves one retry, to the same endpoint, with a new seed. " \
           "Keep the duration" in statement
    assert "a director approves before it is sent" in statement
    shorter = next_attempt(args, Failure("blocked", "output_filter"), shorten=True)
    assert shorter == {**args, "seed": 42, "duration": "8"}  # two thirds of it
    assert next_attempt({**args, "duration": "5"}, Failure("blocked", "output_filter"),
                        shorten=True)["duration"] == names["duration_min"]()  # the minimum
    assert next_attempt({**args, "duration": "auto"}, Failure("blocked", "output_filter"),
                        shorten=True)["duration"] == "auto"
    # "Every retry goes to the endpoint the first attempt went to": nothing in the
    # arguments names another one, and the code has no tier to move a retry to.
    assert "Every retry goes to the endpoint the first attempt went to" in statement
    assert "count on the fast tier to pass what standard blocked" in " ".join(statement.split())
    # "A submit that got no answer at all is not a failure": nothing to retry blindly.
    assert next_attempt(args, Failure("unanswered", "no_answer")) is None
    assert "A submit that got no answer at all is not a failure" in statement
    # Everything else: a person first (or fal_client already retried it).
    for reason in ("prompt_filter", "likeness_filter", "content_filter", "invalid_input",
                   "account_locked", "busy", "no_answer", "render_error", "no_video",
                   "http_404", "unexpected"):
        assert next_attempt(args, Failure("failed", reason)) is None, reason
    assert shared["MAX_ATTEMPTS"] == 2  # the first attempt and its one retry
    # A completed render is fetched again, never submitted again.
    assert "fetch the result again" in statement and "never submit it again" in statement


def test_backoff_doubles_up_to_its_cap_with_jitter(shared):
    backoff, base, cap = shared["backoff"], shared["BACKOFF_SECONDS"], shared["BACKOFF_CAP"]
    for attempt in range(1, 12):
        full = min(cap, base * 2 ** (attempt - 1))
        waits = {backoff(attempt) for _ in range(50)}
        assert all(full / 2 <= w <= full for w in waits), attempt
        assert len(waits) > 1  # jittered, so many clients do not retry in step


# -- fetching: never submit a completed render again ------------------------------------------

@pytest.fixture
def fake(fake_fal, quick_client):
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1
    return fake_fal


def test_a_500_on_the_result_of_a_completed_render_is_fetched_again(shared, fake):
    fake.inject("server_error", on="result", count=2)
    result = shared["render_video"](T2V, SHOT)
    ((rid, job),) = fake.jobs.items()
    assert result["video"]["url"].startswith(f"{fake.base_url}/files/{rid}/")
    assert (job.result_fetches, job.results_served) == (3, 1)
    assert fake.submission_count() == 1


def test_a_submit_answer_no_client_can_read_is_not_sent_again_and_may_be_queued(shared, fake):
    """Read 83C: a 200 at submit that is not JSON leaves fal_client without a request id,
    while fal may have queued the render: render_video says so (SubmitUnanswered), never
    sends it again, and arguments JSON cannot carry stop before anything is sent."""
    fake.inject("garbled", on="submit")
    with pytest.raises(shared["SubmitUnanswered"], match="fal may have queued it"):
        shared["render_video"](T2V, SHOT)
    assert fake.attempt_count() == 1  # one POST, its answer unreadable: not sent again
    with pytest.raises(TypeError):
        shared["render_video"](T2V, {**SHOT, "seed": object()})
    assert fake.attempt_count() == 1


def test_an_answer_no_client_can_read_after_the_submit_names_the_request(shared, fake):
    """Read 86C: render_video gives back the result or an error naming the request: a
    result that is not JSON, or a status word fal_client does not know, is ResultPending
    with the request id (fetch it later), never a bare error, and nothing is sent again."""
    fake.inject("garbled", on="result", match="garbled:")
    with pytest.raises(shared["ResultPending"]) as pending:
        shared["render_video"](T2V, {**SHOT, "prompt": "garbled: a weather vane"})
    (job,) = [j for j in fake.jobs.values() if "garbled:" in j.arguments["prompt"]]
    assert pending.value.request_id == job.request_id
    assert str(pending.value).startswith(f"{job.request_id}: no result yet")

    def odd_word(request_id: str) -> None:  # the request is queued: its status turns odd
        fake.jobs[request_id].status_word = "CANCELLED"

    with pytest.raises(shared["ResultPending"]) as odd:
        shared["render_video"](T2V, {**SHOT, "prompt": "odd: a weather vane"},
                               on_queued=odd_word)
    assert odd.value.request_id in fake.jobs
    assert fake.submission_count("garbled:") == fake.submission_count("odd:") == 1


def test_a_result_that_never_comes_is_handed_back_with_its_request_id(shared, fake):
    shared["BACKOFF_SECONDS"] = 0.001  # this test's patience, not the reader's
    fake.inject("server_error", on="result", count=-1)
    with pytest.raises(shared["ResultPending"]) as pending:
        shared["render_video"](T2V, SHOT)
    ((rid, job),) = fake.jobs.items()
    assert pending.value.request_id == rid and rid in str(pending.value)
    assert "never by submitting again" in str(pending.value)
    assert job.result_fetches == shared["PATIENCE"]
    assert fake.submission_count() == 1


def test_status_polls_ride_out_a_500_and_a_hung_request(shared, fake):
    fake.polls_to_finish = 3
    shared["POLL_SECONDS"] = 0.01  # this test's pace, not the reader's
    fake.inject("server_error", on="status")
    fake.inject("timeout", on="status", after=1)
    seen = []
    result = shared["wait_for_result"](T2V, fal_client.submit(T2V, arguments=SHOT).request_id,
                                       seen.append)
    assert result["video"]["url"]
    assert [type(s).__name__ for s in seen] == ["InProgress", "InProgress", "Completed"]
    assert seen[1].logs and seen[-1].logs
    assert fake.submission_count() == 1


@pytest.mark.parametrize("fault, reason, fetches", [
    (Fault("render_error"), "render_error", 1),  # COMPLETED with error: its result read once
    (Fault("no_video"), "no_video", 1),
    (Fault("content_policy", loc="generated_video"), "output_filter", 1),
    (Fault("content_policy", loc="image_url"), "likeness_filter", 1),
])
def test_a_render_that_will_not_come_says_why_and_names_the_request(shared, fake, fault,
                                                                    reason, fetches):
    fake.inject(fault)
    with pytest.raises(shared["RenderFailed"]) as failed:
        shared["render_video"](T2V, SHOT)
    ((rid, job),) = fake.jobs.items()
    assert failed.value.request_id == rid and rid in str(failed.value)
    assert failed.value.failure.reason == reason
    assert job.result_fetches == fetches
    assert fake.submission_count() == 1


def test_a_failed_render_whose_result_still_names_a_video_says_where_it_is(shared, fake):
    """Read 18B: a render that ended COMPLETED with an error is a failed render, but when
    the result read once still names a video, the failure keeps its address for a person
    instead of dropping it; nothing is sent again."""
    fake.inject(Fault("render_error", video=True))
    with pytest.raises(shared["RenderFailed"]) as failed:
        shared["render_video"](T2V, SHOT)
    ((rid, job),) = fake.jobs.items()
    assert failed.value.failure.reason == "render_error" and failed.value.request_id == rid
    assert "its result still names a video: " + fake.base_url in failed.value.failure.detail
    assert job.result_fetches == 1 and fake.submission_count() == 1


def test_a_failed_renders_result_read_is_asked_again_after_a_passing_answer(shared, fake):
    """Read 34A: the one read of a failed render's result that meets a 429 and a 503 is
    asked again, so the video it names, or the block behind it, is still found; one that
    never answers is ResultPending (read later), never a settled render error."""
    fake.inject(Fault("render_error", video=True, match="again:"))
    fake.inject("rate_limit", on="result", count=1, match="again:")
    fake.inject("unavailable", on="result", count=1, match="again:")
    with pytest.raises(shared["RenderFailed"]) as failed:
        shared["render_video"](T2V, {**SHOT, "prompt": "again: a kite string snaps"})
    assert failed.value.failure.video_url.startswith(fake.base_url + "/files/")
    fake.inject(Fault("render_error", match="never:"))
    fake.inject("unavailable", on="result", count=-1, match="never:")
    with pytest.raises(shared["ResultPending"]):
        shared["render_video"](T2V, {**SHOT, "prompt": "never: a kite on the ground"})
    assert fake.submission_count("again:") == 1 and fake.submission_count("never:") == 1


def test_a_failed_render_whose_result_read_answers_a_410_keeps_both_answers(shared, fake):
    """Read 61C: a render that ended COMPLETED with an error, whose result answers with an
    error the site does not classify (a 410), is a failed render whose detail carries the
    status's words and the result's answer, read once and never sent again."""
    fake.inject(Fault("render_error", error="decoder crashed", match="gone:"))
    fake.inject("gone", on="result", match="gone:")
    with pytest.raises(shared["RenderFailed"]) as failed:
        shared["render_video"](T2V, {**SHOT, "prompt": "gone: a paper lantern"})
    failure = failed.value.failure
    assert failure.reason == "render_error" and "decoder crashed" in failure.detail
    assert "(its result answered http_410" in failure.detail
    assert fake.submission_count("gone:") == 1


def test_a_failed_render_whose_result_is_a_validation_error_is_rejected_with_fal_words(
        shared, fake):
    """Read 26A: a render that ended COMPLETED with an error, whose result answers a 422
    validation list, is 'rejected' (a developer's to fix) with the input and fal's words,
    not a bare render error; nothing is sent again."""
    fake.inject(Fault("render_error", invalid=True))
    with pytest.raises(shared["RenderFailed"]) as failed:
        shared["render_video"](T2V, SHOT)
    failure = failed.value.failure
    assert (failure.state, failure.field) == ("rejected", "duration")
    assert "not one this model renders" in str(failure)
    assert fake.submission_count() == 1


def test_a_second_run_on_a_ledger_in_use_stops_before_it_sends(shared, names, fake, tmp_path):
    """Read 81B: two runs on one ledger at once would each send what the other is sending,
    and the later write would wipe the other's request ids. While another process holds
    the ledger, a run stops at once with a message, sending and writing nothing; once
    that process has ended, the run goes ahead."""
    code = tmp_path / "fal_calls.py"
    code.write_text(rendered(names))
    path = tmp_path / "renders.json"
    other = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pathlib import Path; ns = {}; "
         "exec(open(sys.argv[1]).read(), ns); ns['Ledger'](Path(sys.argv[2])); "
         "print('holding', flush=True); sys.stdin.read()", str(code), str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline() == "holding\n"
        with pytest.raises(SystemExit, match="another run is using the ledger"):
            shared["submit_all"](T2V, {"mine": {**SHOT, "prompt": "mine: a kite"}},
                                 shared["Ledger"](path))
    finally:
        other.communicate("", timeout=30)
    assert other.returncode == 0
    assert fake.submission_count() == 0 and not path.exists()
    queued, _ = shared["submit_all"](T2V, {"mine": {**SHOT, "prompt": "mine: a kite"}},
                                     shared["Ledger"](path))
    assert set(queued) == {"mine"} and fake.submission_count("mine:") == 1


def test_a_batch_records_a_failed_render_that_names_a_video_with_its_address(
        shared, fake, tmp_path):
    """Read 25 B2: in the ledger, a failed render whose result still names a video is not
    'no video' (its address only in the text) but 'failed with video', settled, with the
    address in a field of its own, and a later run neither fetches nor sends it again."""
    ledger = shared["Ledger"](tmp_path / "renders.json")
    fake.inject(Fault("render_error", video=True, match="named:"))
    requests = {"named": {**SHOT, "prompt": "named: a swing in the wind"},
                "plain": {**SHOT, "prompt": "plain: a swing at rest"}}
    queued, _ = shared["submit_all"](T2V, requests, ledger)
    results, failed = shared["collect_all"](T2V, queued, ledger)
    assert set(results) == {"plain"} and set(failed) == {"named"}
    entry = shared["Ledger"](ledger.path).get("named")
    assert entry["state"] == "failed with video"
    assert entry["video_url"].startswith(fake.base_url + "/files/")
    fetches = fake.jobs[queued["named"]].result_fetches
    again, _ = shared["submit_all"](T2V, requests, shared["Ledger"](ledger.path))
    assert "named" not in again and fake.submission_count("named:") == 1
    assert fake.jobs[queued["named"]].result_fetches == fetches


@pytest.mark.parametrize("duration", ["3", "16", "4.5", "five", 0, 5, "04", " 5", "\u0665"])
def test_a_duration_fal_does_not_render_is_refused_not_priced(shared, duration):
    """Read 26C: the cost of a request fal would refuse is not a price; the reader is
    told which lengths fal renders."""
    with pytest.raises(ValueError, match=r"fal.s schema lists whole seconds, 4 to 15, as strings"):
        shared["attempt_cost"](T2V, {**SHOT, "duration": duration})


@pytest.mark.parametrize("seconds", [1, 1.5, 16, 30])
def test_reference_clips_fal_would_refuse_are_not_priced(shared, seconds):
    """Read 49C: clips shorter than 2 s or longer than 15 s in all are refused, named."""
    refs = {**SHOT, "video_urls": ["https://example.com/a.mp4"]}
    with pytest.raises(ValueError, match=r"fal takes 2 to 15 s together"):
        shared["attempt_cost"](R2V, refs, seconds)
    assert shared["attempt_cost"](R2V, refs, 2) < shared["attempt_cost"](R2V, refs, 15)


@pytest.mark.parametrize("endpoint", [T2V, "bytedance/seedance-2.0/fast/image-to-video"])
def test_reference_clips_on_an_endpoint_that_lists_none_are_not_priced(shared, endpoint):
    """Read 55C: video_urls are a reference-to-video input; on another endpoint they are
    refused by name, never priced at the reference multiplier."""
    refs = {**SHOT, "video_urls": ["https://example.com/a.mp4"]}
    with pytest.raises(ValueError, match="its schema lists no video_urls"):
        shared["attempt_cost"](endpoint, refs, 4)


def test_only_seedance_2_0_is_priced_at_its_rates(shared):
    """Read 18B: another model's endpoint is refused by name, not priced at 2.0's rates."""
    with pytest.raises(ValueError, match="not a Seedance 2.0 endpoint"):
        shared["attempt_cost"]("fal-ai/bytedance/seedance/v1.5/pro/text-to-video", SHOT)


def test_a_block_that_ends_completed_with_an_error_is_still_read_as_a_block(shared, fake):
    """fal does not say whether a content block can end COMPLETED with error set: if it
    does, the result's 422 still names the input, so an output block stays an output block
    (which the rule retries) and is never reported as a plain failed render."""
    fake.inject(Fault("render_error", error="content blocked", error_type="content_policy"))
    fake.inject(Fault("content_policy", loc="generated_video"))
    with pytest.raises(shared["RenderFailed"]) as failed:
        shared["render_video"](T2V, SHOT)
    ((rid, job),) = fake.jobs.items()
    assert failed.value.failure.reason == "output_filter" and failed.value.request_id == rid
    assert job.result_fetches == 1 and fake.submission_count() == 1


@pytest.mark.parametrize("fault, reason", [
    (Fault("locked"), "account_locked"),
    (Fault("server_error"), "server_error"),
    (Fault("rate_limit", count=-1, on="submit"), "busy"),
])
def test_a_refused_submit_is_not_sent_again_by_our_code(shared, fake, fault, reason):
    fake.inject(fault)
    with pytest.raises(shared["RenderFailed"]) as failed:
        shared["render_video"](T2V, SHOT)
    assert failed.value.request_id is None and failed.value.failure.reason == reason
    assert fake.submission_count() == 0
    # fal_client's own tries (10 for a 429), and not one more from the shared code
    assert fake.attempt_count() == (10 if reason == "busy" else 1)


def test_a_submit_to_an_endpoint_fal_does_not_know_is_sent_once_the_name_is_fixed(
        shared, fake, tmp_path):
    """Read 77B: a 404 at submit (a mistyped endpoint) queued nothing, so the ledger keeps
    it as 'endpoint unknown', not as a settled refusal: once the endpoint is fixed, the next
    run sends it, with no entry to delete by hand."""
    ledger = shared["Ledger"](tmp_path / "renders.json")
    request = {"typo": {**SHOT, "prompt": "typo: a gull on a post"},
               "typo-2": {**SHOT, "prompt": "typo: a heron in reeds"}}
    queued, not_sent = shared["submit_all"]("bytedance/seedance-2.0/text-to-vidoe", request,
                                            ledger)
    assert queued == {} and not_sent["typo"].reason == "http_404"
    assert not_sent["typo-2"].reason == "not_sent"  # read 79A: the batch stops at the 404
    assert ledger.get("typo")["state"] == "endpoint unknown"
    queued, _ = shared["submit_all"](T2V, request, ledger)
    assert set(queued) == {"typo", "typo-2"} and fake.submission_count("typo:") == 2


def test_a_submit_that_got_no_answer_is_not_called_a_failure_nor_sent_again(shared, fake):
    """After fal_client's own tries, a submit with no answer may still have been queued: the
    shared code says so (SubmitUnanswered, not RenderFailed) and sends nothing more."""
    fake.inject("drop", count=10, on="submit")
    with pytest.raises(shared["SubmitUnanswered"]) as unanswered:
        shared["render_video"](T2V, SHOT)
    assert not isinstance(unanswered.value, shared["RenderFailed"])
    assert "may have queued it" in str(unanswered.value)
    assert "before you send it again" in str(unanswered.value)
    assert fake.attempt_count() == 10  # fal_client's own tries, and not one more of ours


def test_a_batch_keeps_every_request_id_on_disk_and_a_second_run_pays_for_nothing(
        shared, fake, tmp_path):
    """submit_all writes each request id to the ledger the moment fal answers, follows what
    an earlier run sent, and never sends again a submit that got no answer."""
    ledger = shared["Ledger"](tmp_path / "renders.json")
    fake.inject("drop", count=10, on="submit", match="unheard")
    requests = {name: {**SHOT, "prompt": f"{name}: a lantern on a lake"}
                for name in ("first", "unheard", "third")}
    queued, not_sent = shared["submit_all"](T2V, requests, ledger)
    assert set(queued) == {"first", "third"}  # the batch went on after the silent one
    assert (not_sent["unheard"].state, not_sent["unheard"].reason) == ("unanswered",
                                                                       "no_answer")
    assert shared["Ledger"](ledger.path).get("unheard")["state"] == "submitting"
    for name in queued:
        assert shared["Ledger"](ledger.path).get(name)["request_id"] == queued[name]
    attempts = fake.attempt_count()
    again, not_sent = shared["submit_all"](T2V, requests, shared["Ledger"](ledger.path))
    assert again == queued and fake.attempt_count() == attempts
    assert "look it up before you send it again" in str(not_sent["unheard"])


def test_a_deadline_is_read_while_fal_does_not_answer_a_status(shared, fake):
    """Read 74B: once fal has answered one status, a poll that then fails is tried again
    only while the deadline holds: past it, the wait ends as Overdue with the request id,
    not after PATIENCE more polls (each with fal_client's own tries)."""
    import time

    fake.polls_to_finish = 10**9  # it never finishes in this test
    shared["POLL_SECONDS"], shared["BACKOFF_SECONDS"] = 0.001, 0.001
    rid = fal_client.submit(T2V, arguments={**SHOT, "prompt": "late: a kite"}).request_id
    failing = fake.inject(Fault("server_error", on="status", after=1, count=-1, match="late:"))
    check = shared["give_up_after"](0.2)
    time_out = time.monotonic() + 0.2

    def on_update(status):
        check(status)
        while time.monotonic() < time_out:  # the first status comes before the deadline
            time.sleep(0.01)

    with pytest.raises(shared["Overdue"]):
        shared["wait_for_result"](T2V, rid, on_update=on_update)
    assert fake.jobs[rid].status_polls == 1 and failing.fired == 1  # then no more tries


def test_collect_all_keeps_what_it_has_and_keeps_to_its_deadline(shared, fake, tmp_path):
    """A render still running at the batch's deadline is handed back by name (its request
    id stays in queued); the renders that finished are collected all the same."""
    fake.polls_to_finish = 10**9  # done only when the test says so
    shared["POLL_SECONDS"] = 0.001
    ledger = shared["Ledger"](tmp_path / "renders.json")
    requests = {name: {**SHOT, "prompt": f"{name}: a kite"} for name in ("done", "slow")}
    queued, _ = shared["submit_all"](T2V, requests, ledger)
    fake.complete(queued["done"])
    results, failed = shared["collect_all"](T2V, queued, within=0.05)
    assert results["done"]["video"]["url"] and set(results) == {"done"}
    assert isinstance(failed["slow"], shared["Overdue"])
    assert fake.submission_count() == 2


def test_collect_all_writes_how_a_render_ended_so_a_later_run_reports_it_unfetched(
        shared, fake, tmp_path):
    """Given the ledger, collect_all writes a blocked render as 'no video' with why, and a
    render not back in time as still 'queued' with why: a later run reads the outcome from
    the ledger and neither sends nor fetches the blocked one again."""
    fake.inject("content_policy", match="blocked")
    fake.polls_to_finish = 10**9  # done only when the test says so
    shared["POLL_SECONDS"] = 0.001
    ledger = shared["Ledger"](tmp_path / "renders.json")
    requests = {name: {**SHOT, "prompt": f"{name}: a kite"} for name in ("blocked", "slow")}
    queued, _ = shared["submit_all"](T2V, requests, ledger)
    fake.complete(queued["blocked"])
    results, failed = shared["collect_all"](T2V, queued, ledger, within=0.05)
    assert results == {} and set(failed) == {"blocked", "slow"}
    on_disk = shared["Ledger"](ledger.path)
    blocked = on_disk.get("blocked")
    assert blocked["state"] == "no video" and blocked["request_id"] == queued["blocked"]
    assert "blocked" in blocked["why"] and "output_filter" in blocked["why"]
    slow = on_disk.get("slow")
    assert slow["state"] == "queued" and "not finished after" in slow["why"]
    fetches = {rid: j.result_fetches for rid, j in fake.jobs.items()}
    again, _ = shared["submit_all"](T2V, requests, on_disk)
    assert again == {"slow": queued["slow"]}  # the blocked one is settled: not followed
    assert {rid: j.result_fetches for rid, j in fake.jobs.items()} == fetches
    assert fake.submission_count() == 2


def test_a_locked_account_heard_while_waiting_leaves_the_render_queued_for_a_later_run(
        shared, fake, tmp_path):
    """A 403 on the status poll says nothing of the render, which may have finished: the
    ledger keeps it 'queued' with why, and the run after a person unlocked the account
    fetches and keeps it without sending it again."""
    fake.inject("locked", on="status", match="finished")
    ledger = shared["Ledger"](tmp_path / "renders.json")
    requests = {"finished": {**SHOT, "prompt": "finished: a kite over the dunes"}}
    queued, _ = shared["submit_all"](T2V, requests, ledger)
    fake.complete(queued["finished"])
    results, failed = shared["collect_all"](T2V, queued, ledger)
    assert results == {} and "account_locked" in str(failed["finished"])
    entry = shared["Ledger"](ledger.path).get("finished")
    assert entry["state"] == "queued" and entry["request_id"] == queued["finished"]
    assert "account_locked" in entry["why"]
    again, _ = shared["submit_all"](T2V, requests, shared["Ledger"](ledger.path))
    results, failed = shared["collect_all"](T2V, again, ledger)  # the account works again
    assert failed == {} and results["finished"]["video"]["url"]
    assert fake.submission_count() == 1


def test_a_gateway_error_at_submit_is_never_sent_again_and_says_fal_may_have_it(shared):
    """Only a plain 500 at submit is tried once more: a 502, 503 or 504 may have reached
    fal, so it is not sent again by our code, and its detail says to look for it first."""
    from fal_client.client import FalClientHTTPError

    for code in (502, 503, 504):
        failure = shared["classify"](FalClientHTTPError("Bad gateway", code, {}, None))
        assert failure.reason == f"http_{code}" and "fal may have queued it" in failure.detail
        assert shared["next_attempt"]({**SHOT, "prompt": "x"}, failure) is None
    plain = shared["classify"](FalClientHTTPError("Internal server error", 500, {}, None))
    assert shared["next_attempt"]({**SHOT, "prompt": "x"}, plain) is not None


def test_a_resolution_without_a_frame_size_is_refused_by_name_not_a_keyerror(shared):
    """An unconfirmed resolution has no frame size to price: a ValueError that says so, which
    the render queue records as a rejected job instead of stopping the batch."""
    for bad in ({"resolution": "1080p"}, {"resolution": "720p", "aspect_ratio": "2:1"}):
        with pytest.raises(ValueError, match="no frame size for"):
            shared["attempt_cost"](T2V, {**SHOT, **bad})


def test_a_request_changed_under_a_name_the_ledger_knows_is_never_sent_or_followed(
        shared, fake, tmp_path):
    """A rewritten prompt under an old name is not the render fal has: the batch neither
    follows the old request as if it were the new one nor sends the new one under the old
    name; it says to give it a new name, and a new name sends it once."""
    ledger = shared["Ledger"](tmp_path / "renders.json")
    first = {"bottle": {**SHOT, "prompt": "bottle: a bottle turns on a plinth"}}
    queued, _ = shared["submit_all"](T2V, first, ledger)
    changed = {"bottle": {**SHOT, "prompt": "bottle: a bottle turns, lit from behind"}}
    again, not_sent = shared["submit_all"](T2V, changed, shared["Ledger"](ledger.path))
    assert again == {} and not_sent["bottle"].reason == "changed"
    assert "new name" in not_sent["bottle"].detail and fake.submission_count() == 1
    # Read 27A: the earlier render is paid for: the message says how to keep following it
    assert f"the earlier render, {queued['bottle']}, is still followed" in \
        not_sent["bottle"].detail and "with {} as its arguments" in not_sent["bottle"].detail
    followed, _ = shared["submit_all"](T2V, {"bottle": {}}, shared["Ledger"](ledger.path))
    assert followed == queued and fake.submission_count() == 1
    renamed, _ = shared["submit_all"](T2V, {"bottle-2": changed["bottle"]}, ledger)
    assert set(renamed) == {"bottle-2"} and fake.submission_count() == 2
    same, _ = shared["submit_all"](T2V, first, shared["Ledger"](ledger.path))
    assert same == queued and fake.submission_count() == 2  # unchanged: followed, not sent
    # a follow by name alone (no arguments, as the character guide's second run asks) follows
    follow, not_sent = shared["submit_all"](T2V, {"bottle": {}}, shared["Ledger"](ledger.path))
    assert follow == queued and not_sent == {} and fake.submission_count() == 2


def test_a_503_at_submit_leaves_the_render_submitting_for_a_person_never_refused(
        shared, fake, tmp_path):
    """A 503 from fal at submit may have reached it: the ledger keeps 'submitting' with why
    (never the settled 'refused' whose advice is to delete it and send again), and a later
    run sends nothing until a person has looked."""
    fake.inject("unavailable", match="gate")
    ledger = shared["Ledger"](tmp_path / "renders.json")
    requests = {"gate": {**SHOT, "prompt": "gate: an iron gate in fog"}}
    queued, not_sent = shared["submit_all"](T2V, requests, ledger)
    assert queued == {} and not_sent["gate"].reason == "http_503"
    entry = shared["Ledger"](ledger.path).get("gate")
    assert entry["state"] == "submitting" and "fal may have queued it" in entry["why"]
    again, not_sent = shared["submit_all"](T2V, requests, shared["Ledger"](ledger.path))
    assert again == {} and not_sent["gate"].state == "unanswered"
    assert "http_503" in not_sent["gate"].detail  # what it met, never "never answered"
    assert fake.attempt_count("gate") == 1


def test_dollars_round_half_up_as_the_site_does(shared, names):
    assert shared["dollars"](0.125) == "$0.13"  # f"{0.125:.2f}" would print 0.12
    assert shared["dollars"](1.512) == "$1.51"
    for tier, endpoint in (("standard", T2V), ("fast", FAST_T2V)):
        for seconds in (4, 5, 8, 10, 15):
            for ratio in ("16:9", "9:16", "21:9"):
                args = {"resolution": "720p", "aspect_ratio": ratio, "duration": str(seconds)}
                assert shared["dollars"](shared["attempt_cost"](endpoint, args)) == names[
                    "price"](tier, "720p", seconds, aspect_ratio=ratio)


def test_passing_trouble_on_submit_is_left_to_fal_client(shared, fake):
    fake.inject("rate_limit", count=3, on="submit")
    assert shared["render_video"](T2V, SHOT)["video"]["url"]
    assert fake.submission_count() == 1 and fake.attempt_count() == 4


def test_a_timed_out_submit_is_never_sent_again(shared, fake):
    """The shared submits carry start_timeout, so fal_client does not send a submit again
    after a timeout, which could queue a second render: one POST, and the caller hears that
    fal may have it."""
    fake.inject("timeout", on="submit")
    with pytest.raises(shared["SubmitUnanswered"], match="fal may have queued it"):
        shared["render_video"](T2V, SHOT)
    assert fake.attempt_count() == 1


def test_a_timed_out_batch_submit_is_never_sent_again(shared, fake, tmp_path):
    fake.inject("timeout", on="submit")
    ledger = shared["Ledger"](tmp_path / "renders.json")
    queued, not_sent = shared["submit_all"](T2V, {"lake": SHOT}, ledger)
    assert queued == {} and not_sent["lake"].state == "unanswered"
    assert ledger.get("lake")["state"] == "submitting" and fake.attempt_count() == 1


def test_no_key_sends_nothing_and_marks_nothing(shared, fake, tmp_path, monkeypatch):
    """Without a key nothing leaves the machine, so no render is marked 'submitting'."""
    for name in ("FAL_KEY", "FAL_KEY_ID", "FAL_KEY_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FAL_HOME_DIR", str(tmp_path / "fal"))  # no saved login either
    ledger = shared["Ledger"](tmp_path / "renders.json")
    with pytest.raises(SystemExit, match="no fal key, nothing was sent"):
        shared["submit_all"](T2V, {"lake": SHOT}, ledger)
    assert ledger.get("lake") == {} and not ledger.path.exists()
    assert fake.attempt_count() == 0


# -- keeping the file: download, check, store -----------------------------------------------

class Cdn:
    """A plain HTTP server on 127.0.0.1 that stands between a reader and the fake's files as
    a CDN might: it redirects, fails for a while, forgets a file or answers with a page."""

    def __init__(self, target: str):
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        cdn = self
        self.target, self.failures_left, self.hits = target, 0, []
        self.flaky_status = 503

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                cdn.hits.append(self.path)
                if self.path == "/flaky" and cdn.failures_left > 0:
                    cdn.failures_left -= 1
                    self.send_response(cdn.flaky_status)
                elif self.path in ("/redirect", "/flaky"):
                    self.send_response(302)
                    self.send_header("Location", cdn.target)
                elif self.path == "/loop":  # a CDN that sends the reader round in a circle
                    self.send_response(302)
                    self.send_header("Location", "/loop")
                elif self.path == "/page":
                    body = b"<html><body>Your download is ready</body></html>"
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                else:
                    self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def rendered_video(shared, fake):
    """A finished render's result from the fake, and a CDN in front of its file."""
    result = shared["render_video"](T2V, SHOT)
    cdn = Cdn(result["video"]["url"])
    yield result, cdn
    cdn.close()


def test_a_finished_render_is_kept_whole_with_its_checksum(shared, fake, rendered_video,
                                                           tmp_path):
    import hashlib

    result, cdn = rendered_video
    target = tmp_path / "shot.mp4"
    kept = shared["keep_video"]({"video": {**result["video"], "url": cdn.base + "/redirect"}},
                                target)
    data = target.read_bytes()
    assert data[4:8] == b"ftyp" and len(data) == result["video"]["file_size"]
    assert kept == {"path": str(target), "bytes": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "url": cdn.base + "/redirect"}
    assert [p.name for p in tmp_path.iterdir()] == ["shot.mp4"]  # no partial file left
    ((rid, job),) = fake.jobs.items()
    assert job.downloads == 1 and fake.submission_count() == 1


def test_a_file_kept_before_is_never_replaced(shared, rendered_video, tmp_path):
    """Read 19B: a second paid render kept under the same name goes beside the first,
    numbered, and the first file stays as it was. Read 45A: the same render kept again
    (a run died before writing the first keep down) is that file, not a numbered copy."""
    result, cdn = rendered_video
    video = {"video": {**result["video"], "url": cdn.base + "/redirect"}}
    (tmp_path / "shot.mp4").write_bytes(b"the first render")
    second = shared["keep_video"](video, tmp_path / "shot.mp4")
    again = shared["keep_video"](video, tmp_path / "shot.mp4")
    assert (tmp_path / "shot.mp4").read_bytes() == b"the first render"
    assert second["path"] == again["path"] == str(tmp_path / "shot.2.mp4")
    assert second == again
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shot.2.mp4", "shot.mp4"]
    (tmp_path / "shot.2.mp4").write_bytes(b"x" * second["bytes"])  # same size, other bytes
    assert shared["keep_video"](video, tmp_path / "shot.mp4")["path"] == \
        str(tmp_path / "shot.3.mp4")


@pytest.mark.parametrize("status", [503, 408, 429])
def test_a_download_that_fails_for_a_while_is_tried_again(shared, rendered_video, tmp_path,
                                                          status):
    """A 5xx, and (read 69C) a 408 or a 429 from the file's server, pass: asked again."""
    shared["BACKOFF_SECONDS"] = 0.001  # this test's patience, not the reader's
    result, cdn = rendered_video
    cdn.failures_left, cdn.flaky_status = 2, status
    kept = shared["keep_video"]({"video": {**result["video"], "url": cdn.base + "/flaky"}},
                                tmp_path / "shot.mp4")
    assert kept["bytes"] == result["video"]["file_size"]
    assert cdn.hits == ["/flaky"] * 3


@pytest.mark.parametrize("path, change, why", [
    ("/gone", {}, "HTTP 404"),  # an expired URL: asking again will not bring it back
    ("/page", {}, "not an MP4 file"),
    ("/redirect", {"file_size": 1}, "bytes where fal said 1"),
])
def test_a_download_that_is_not_the_video_stores_nothing(shared, rendered_video, tmp_path,
                                                         path, change, why):
    result, cdn = rendered_video
    target = tmp_path / "shot.mp4"
    video = {**result["video"], **change, "url": cdn.base + path}
    with pytest.raises(shared["KeepFailed"]) as failed:
        shared["keep_video"]({"video": video}, target)
    assert why in str(failed.value) and "nothing was stored" in str(failed.value)
    assert list(tmp_path.iterdir()) == []
    assert cdn.hits == [path]  # a 4xx or a wrong file is not asked for again


def test_a_download_that_never_arrives_or_cannot_be_written_stores_nothing(
        shared, rendered_video, tmp_path):
    """Read 9 D3: any download error (here a redirect loop, which is no TransportError) and
    a file the disk will not take end in KeepFailed with nothing at the target and no
    partial file, so the callers that catch KeepFailed keep going."""
    shared["BACKOFF_SECONDS"] = 0.001  # this test's patience, not the reader's
    result, cdn = rendered_video
    target = tmp_path / "shot.mp4"
    with pytest.raises(shared["KeepFailed"], match="TooManyRedirects"):
        shared["keep_video"]({"video": {**result["video"], "url": cdn.base + "/loop"}},
                             target)
    assert list(tmp_path.iterdir()) == []
    nowhere = tmp_path / "no-such-folder" / "shot.mp4"
    with pytest.raises(shared["KeepFailed"], match="could not write"):
        shared["keep_video"]({"video": {**result["video"], "url": cdn.base + "/redirect"}},
                             nowhere)
    assert list(tmp_path.iterdir()) == []


def test_a_render_no_run_can_settle_is_stuck_after_max_follows(shared, fake, tmp_path):
    """Read 9A D5: a render that never finishes is followed by MAX_FOLLOWS runs, then it is
    'stuck' with its request id, and later runs neither wait on it nor send it again."""
    fake.polls_to_finish = 10**9  # never done
    shared["POLL_SECONDS"] = 0.001
    path = tmp_path / "renders.json"
    requests = {"slow": {**SHOT, "prompt": "slow: a kite"}}
    for run in range(1, shared["MAX_FOLLOWS"] + 1):
        ledger = shared["Ledger"](path)
        queued, _ = shared["submit_all"](T2V, requests, ledger)
        assert list(queued) == ["slow"], run
        shared["collect_all"](T2V, queued, ledger, within=0.01)
    entry = shared["Ledger"](path).get("slow")
    assert entry["state"] == "stuck" and entry["follows"] == shared["MAX_FOLLOWS"]
    assert entry["request_id"] in fake.jobs and "not finished after" in entry["why"]
    polls = {rid: j.status_polls for rid, j in fake.jobs.items()}
    queued, not_sent = shared["submit_all"](T2V, requests, shared["Ledger"](path))
    assert queued == {} and not_sent == {}
    assert {rid: j.status_polls for rid, j in fake.jobs.items()} == polls
    assert fake.submission_count() == 1


def test_a_status_answer_fal_documents_nothing_about_keeps_the_render_open(shared, fake,
                                                                          tmp_path):
    """Read 86A: a 410 to a status poll says nothing of the render, which may have
    finished: it is not 'no video' but followed again, counted toward MAX_FOLLOWS, then
    'stuck' for a person, as the render queue hands such an answer to one; never sent
    again."""
    path = tmp_path / "renders.json"
    requests = {"gone": {**SHOT, "prompt": "gone: a lantern"}}
    fake.inject("gone", on="status", count=-1, match="gone:")
    for run in range(1, shared["MAX_FOLLOWS"] + 1):
        ledger = shared["Ledger"](path)
        queued, _ = shared["submit_all"](T2V, requests, ledger)
        _, failed = shared["collect_all"](T2V, queued, ledger)
        assert list(failed) == ["gone"]
        entry = shared["Ledger"](path).get("gone")
        assert entry["follows"] == run and "http_410" in entry["why"]
        assert entry["state"] == ("stuck" if run == shared["MAX_FOLLOWS"] else "queued")
    assert fake.submission_count("gone:") == 1


def test_a_status_fal_client_cannot_read_is_counted_and_ends_stuck(shared, fake, tmp_path):
    """Read 14A D1: an answer the code does not understand (a status word fal does not
    document, which fal_client 1.0.3 refuses to parse) counts toward MAX_FOLLOWS like any
    run that could not settle the render, so it ends 'stuck', never followed for ever."""
    path = tmp_path / "renders.json"
    requests = {"odd": {**SHOT, "prompt": "odd: a lantern"}}
    for _ in range(shared["MAX_FOLLOWS"]):
        ledger = shared["Ledger"](path)
        queued, _ = shared["submit_all"](T2V, requests, ledger)
        fake.jobs[queued["odd"]].status_word = "CANCELLED"
        shared["collect_all"](T2V, queued, ledger)
    entry = shared["Ledger"](path).get("odd")
    assert entry["state"] == "stuck" and "unexpected" in entry["why"]
    assert fake.submission_count() == 1


def test_the_generation_stage_puts_the_shared_code_on_every_page_that_includes_it():
    """Both engines build the stage's tree (Zensical runs no hook), so the code is on
    both sites when it is in the tree."""
    from seedpress.pages.settings import Settings
    from seedpress.site.generate import generate
    from support import TODAY

    POSTS_URI = Settings.read(ROOT / "mkdocs.yml").posts_uri  # noqa: N806

    tree = generate(ROOT, today=TODAY)
    including = [p for p in sorted((ROOT / "posts").glob("*.md"))
                 if "snippet(" in read_text(p)]
    assert len(including) >= 8, [p.name for p in including]
    for post in including:
        page = tree.pages[f"{POSTS_URI}/{post.name}"]
        assert "snippet(" not in page and "--8<--" not in page, post.name
        assert "def " in page and "{{" not in page.split("```python", 1)[1], post.name
    queue = tree.pages[f"{POSTS_URI}/production-render-queue.md"]
    assert "    def wait_for_result(endpoint: str, request_id: str" in queue  # in its note


def test_a_locked_entry_is_sent_with_new_arguments_and_never_as_an_empty_request(shared,
                                                                                  tmp_path):
    """Read 19A: fal queued nothing for a render that met a locked account, so a later run
    may send it with arguments that changed meanwhile (a fresh upload URL); a follow-only
    call ({}) on a name with nothing to follow sends nothing at all."""
    ledger = shared["Ledger"](tmp_path / "renders.json")
    ledger.note("chained", state="locked", asked="0123456789abcdef", why="403")
    assert shared["next_step"]("chained", ledger, {}, {}) == ("skip", None)
    assert ledger.get("chained")["state"] == "locked"
    assert shared["next_step"]("chained", ledger, {}, {**SHOT, "prompt": "new"}) == ("send", None)
    assert ledger.get("chained")["state"] == "submitting"
    ledger.note("other", state="queued", asked="0123456789abcdef", request_id="r-1")
    not_sent: dict = {}
    assert shared["next_step"]("other", ledger, not_sent, {**SHOT, "prompt": "x"}) == \
        ("skip", None)
    assert not_sent["other"].reason == "changed"  # only a locked entry takes new arguments
    # Read 31A: a changed request whose earlier submit got no answer keeps that warning
    ledger.note("silent", state="submitting", asked="0123456789abcdef")
    assert shared["next_step"]("silent", ledger, not_sent, {**SHOT, "prompt": "y"}) == \
        ("skip", None)
    assert "fal may have it and bill it: look it up first" in not_sent["silent"].detail


def test_a_run_stopped_by_the_account_does_not_count_toward_stuck(shared, tmp_path):
    """Read 19A: a 401 or a 403 heard while following says nothing about the render: the
    render stays 'queued' however many runs meet it, while runs that could not settle it
    for its own reasons count toward MAX_FOLLOWS."""
    ledger = shared["Ledger"](tmp_path / "renders.json")
    locked = shared["Failure"]("failed", "account_locked", detail="locked")
    for _ in range(shared["MAX_FOLLOWS"] + 2):
        shared["unsettled"]("r", ledger, "403", counts=not shared["about_the_account"](locked))
    assert ledger.get("r")["state"] == "queued" and ledger.get("r")["follows"] == 0
    for _ in range(shared["MAX_FOLLOWS"]):
        shared["unsettled"]("r", ledger, "no result yet")
    assert ledger.get("r")["state"] == "stuck"


def test_a_start_timeout_that_ran_out_is_a_failure_not_asked_again(shared):
    """Read 20A: fal_client 1.0.3 takes a 504 that carries X-Fal-Request-Timeout-Type as the
    end of the start_timeout it sent and never asks again; the shared code reads it the same
    way, as a failure with no video, while a plain 504 stays one that asking again may cure."""
    ran_out = FalClientHTTPError("Request timed out", 504,
                                 {"X-Fal-Request-Timeout-Type": "start"}, None)
    plain = FalClientHTTPError("Gateway timeout", 504, {}, None)
    assert not shared["passing"](ran_out) and shared["passing"](plain)
    failure = shared["classify"](ran_out)
    assert failure.reason == "start_timeout" and shared["no_video_will_come"](failure)
    assert shared["classify"](plain).reason == "http_504"


def test_a_start_timeout_504_at_submit_is_refused_in_the_ledger_a_plain_one_submitting(
        shared, tmp_path):
    """Read 25 A3: the ledger reads a 504 that is our start_timeout running out as fal's
    answer (refused, sent again only once a person deletes the entry), as render_video does,
    and a plain 504 as one that may have reached fal (left in 'submitting')."""
    ledger = shared["Ledger"](tmp_path / "renders.json")
    ran_out = FalClientHTTPError("Request timed out", 504,
                                 {"X-Fal-Request-Timeout-Type": "user"}, None)
    plain = FalClientHTTPError("Gateway timeout", 504, {}, None)
    for name, err, state in (("a", ran_out, "refused"), ("b", plain, "submitting")):
        assert shared["next_step"](name, ledger, {}, SHOT) == ("send", None)
        assert shared["sent"](name, ledger, {}, err=err) is None
        assert shared["Ledger"](ledger.path).get(name)["state"] == state


def test_a_ledger_that_cannot_be_written_after_a_submit_still_shows_the_request_id(
        shared, fake, tmp_path, capsys):
    """Read 25 A5: the request id is printed before the ledger records it, so a disk that
    refuses the write leaves the id on screen, and the entry stays 'submitting' (never sent
    again by itself)."""
    ledger = shared["Ledger"](tmp_path / "renders.json")
    arguments = {**SHOT, "prompt": "unwritten: a bell in fog"}
    assert shared["next_step"]("bell", ledger, {}, arguments) == ("send", None)
    (tmp_path / "renders.json.part").mkdir()  # the next write of the ledger fails
    handle = fal_client.submit(T2V, arguments=arguments)
    with pytest.raises(OSError):
        shared["sent"]("bell", ledger, {}, handle)
    assert handle.request_id in capsys.readouterr().out
    assert json.loads((tmp_path / "renders.json").read_text())["bell"]["state"] == "submitting"


def test_a_key_fal_refuses_stops_the_batch_and_leaves_the_render_to_send_again(shared,
                                                                               tmp_path):
    """Read 20A: a 401 at submit is about the key, not the render: the render is 'key
    refused', not settled, the batch sends nothing more, and the stop says what to fix."""
    ledger = shared["Ledger"](tmp_path / "renders.json")
    not_sent: dict = {}
    assert shared["next_step"]("a", ledger, not_sent, SHOT) == ("send", None)
    refused = FalClientHTTPError("Invalid key", 401, {}, None)
    assert shared["sent"]("a", ledger, not_sent, err=refused) is None
    assert ledger.get("a")["state"] == "key refused"
    assert shared["next_step"]("b", ledger, not_sent, SHOT) == ("skip", None)
    with pytest.raises(SystemExit, match=r"refused the key \(401\).*set a FAL_KEY"):
        shared["stop_if_locked"](not_sent)
    assert shared["next_step"]("a", ledger, {}, {**SHOT, "prompt": "changed"}) == \
        ("send", None)  # once the key is fixed, it goes out
    assert ledger.get("a")["why"]  # the refusal, until the render is queued

    class Queued:  # what fal_client's submit hands back, as far as sent() reads it
        request_id = "r-after-the-fix"

    assert shared["sent"]("a", ledger, {}, Queued()) == "r-after-the-fix"
    assert (ledger.get("a")["state"], ledger.get("a")["why"]) == ("queued", "")  # read 48A

"""The render-queue guide's code, run as a reader runs it, against the fake fal server.

posts/production-render-queue.md is one program split into blocks. Each test
runs all of its Python blocks (the runner of tests/test_guide_code.py, so the
computed names are rendered as the site renders them) with the real fal_client
and the real `cryptography`, and then works with what the guide left running:
its job tables, its retry job and its webhook receiver on 127.0.0.1.

Only the environment points the guide at the fake: FAL_QUEUE_RUN_HOST and
SSL_CERT_FILE for fal_client, FAL_WEBHOOK_JWKS_URL for the receiver's key set
(the ``fake_fal`` fixture sets them), and RENDER_WEBHOOK_PORT/RENDER_WEBHOOK_URL
for the receiver. The fake signs every webhook with its own Ed25519 key and
serves the public half as a JWKS; :meth:`FakeFal.deliver` and
:meth:`FakeFal.replay` post good, spoiled and repeated deliveries. Nothing
leaves loopback, and no test reads a calendar date from the clock (the replay
window is checked both through the receiver, relative to now, and through the
guide's verify function with a fixed ``now``).
"""

from __future__ import annotations

import threading
import time
from typing import Any

import fal_client
import pytest
from fakes.fal_server import WEBHOOK_HEADERS, FakeFal, Fault
from seedpress.pages.data import load_site_data
from seedpress.pricing import quote
from support import ROOT
from support.render_queue import FAST_T2V, R2V, SHOT, T2V, Guide, run_guide, stop, wait_for

#: builds whole sites, renders through the fake fal server or runs every fault
pytestmark = pytest.mark.slow


@pytest.fixture
def guide(fake_fal: FakeFal, tmp_path, monkeypatch) -> Guide:
    """The guide's blocks, run with webhooks on, and the receiver they started."""
    ran, error = run_guide(fake_fal, tmp_path, monkeypatch)
    assert error is None, error
    yield ran
    stop(ran)


def submit(guide: Guide, job_key: str, prompt: str, **changes: Any) -> str:
    rid = guide["submit_job"](job_key, T2V, {**SHOT, "prompt": prompt, **changes})
    assert rid is not None
    return rid


# -- the guide as written ----------------------------------------------------------------

def test_the_guide_runs_with_webhooks_and_fetches_every_result_once(guide):
    fake = guide.fake
    states = dict(guide.query("SELECT job_key, state FROM jobs"))
    assert states == {"spring-ad/shot-01": "done", "spring-ad/shot-02": "done",
                      "spring-ad/shot-03": "rejected", "spring-ad/shot-04": "done"}
    assert fake.submission_count() == 3  # shot three was refused with a 422
    assert all(s["webhook_url"] == guide.hook_url for s in fake.submissions)
    # Each finished request was announced once, accepted, and fetched exactly once,
    # whichever of the webhook and the sweeper got there first.
    assert sorted(d["status"] for d in fake.deliveries) == [200, 200, 200]
    for (rid,) in guide.query("SELECT request_id FROM attempts"):
        assert fake.jobs[rid].result_fetches == 1, rid
    assert len(guide.query("SELECT * FROM deliveries WHERE job_key IS NOT NULL")) == 3
    assert fake.jwks_fetches == 1  # one key set for every delivery


def test_the_estimate_knows_every_frame_and_counts_input_video_seconds(guide):
    pricing = load_site_data(ROOT).models["pricing"]
    estimate = guide["attempt_cost"]
    for resolution in ("480p", "720p"):
        assert guide["FRAME"][resolution] == pricing.sizes[resolution]
        for ratio in pricing.sizes[resolution]:
            for endpoint in (T2V, FAST_T2V):
                args = {"resolution": resolution, "aspect_ratio": ratio, "duration": "7"}
                exact = quote(pricing, endpoint, 7, resolution, ratio).cost_usd
                assert estimate(endpoint, args) == pytest.approx(exact, rel=1e-12)
    refs = {"resolution": "720p", "aspect_ratio": "16:9", "duration": "5",
            "video_urls": ["https://example.com/a.mp4"]}
    with_seconds = quote(pricing, R2V, 5, "720p", "16:9", 6, reference_video=True).cost_usd
    assert estimate(R2V, refs, 6) == pytest.approx(with_seconds, rel=1e-12)
    # The guide's fourth job passed its 6 input seconds through to the estimate.
    ((usd,),) = guide.query("SELECT estimated_usd FROM attempts WHERE job_key = ?",
                            "spring-ad/shot-04")
    assert usd == pytest.approx(with_seconds, rel=1e-12)
    for args, seconds in ((refs, 0), ({**refs, "video_urls": []}, 6),
                          ({**refs, "duration": "auto"}, 6)):
        with pytest.raises(ValueError):
            estimate(R2V, args, seconds)


# -- webhooks ------------------------------------------------------------------------------

def test_a_signed_webhook_is_accepted_and_the_job_fetched_and_done(guide):
    rid = submit(guide, "test/webhook", "A kettle on a stove, steam rising")
    assert guide.fake.deliver(rid) == 200
    guide.wait_state("test/webhook", "done")
    assert guide.fake.jobs[rid].result_fetches == 1  # by the doorbell: no sweep ran
    assert guide.job("test/webhook")[3].startswith(guide.fake.base_url + "/files/")
    assert guide.query("SELECT job_key FROM deliveries WHERE request_id = ?", rid) == [
        ("test/webhook",)]
    assert guide.attempts("test/webhook")[0][1] == "done"


def test_the_same_webhook_delivered_twice_acts_once(guide):
    rid = submit(guide, "test/twice", "A paper boat on a puddle")
    assert guide.fake.deliver(rid) == 200
    guide.wait_state("test/twice", "done")
    before = (guide.changes(), guide.job("test/twice"), guide.attempts("test/twice"))
    assert guide.fake.replay(rid) == 200  # the same bytes, headers and signature again
    assert guide.fake.deliver(rid) == 200  # fal's own retry: a fresh timestamp and signature
    assert guide["doorbell"].empty()
    assert (guide.changes(), guide.job("test/twice"), guide.attempts("test/twice")) == before
    assert guide.fake.jobs[rid].result_fetches == 1


def test_spoiled_deliveries_are_rejected_and_change_nothing(guide):
    fake = guide.fake
    rid = submit(guide, "test/spoiled", "A lighthouse beam sweeping fog")
    changes = guide.changes()
    now = int(time.time())
    spoiled = {
        "a tampered body": ({"body": b'{"request_id":"' + rid.encode() + b'","status":"OK"}'},
                            401),
        "a stale timestamp": ({"timestamp": now - 301}, 401),
        "a timestamp from the future": ({"timestamp": now + 600}, 401),
        "a signature from another key": ({"foreign_key": True}, 401),
        **{f"no {header}": ({"omit": header}, 400) for header in WEBHOOK_HEADERS},
    }
    for what, (spoil, status) in spoiled.items():
        assert fake.deliver(rid, **spoil) == status, what
        assert guide.changes() == changes, what
        assert guide.job("test/spoiled")[0] == "submitted", what
    assert fake.jobs[rid].result_fetches == 0
    assert guide.query("SELECT * FROM deliveries WHERE request_id = ?", rid) == []
    # A good delivery a little old, but inside the window, still counts.
    assert fake.deliver(rid, timestamp=now - 200) == 200
    guide.wait_state("test/spoiled", "done")
    assert fake.jobs[rid].result_fetches == 1


def test_the_replay_window_is_300_seconds_either_way(guide):
    fake = guide.fake
    rid = submit(guide, "test/window", "A clock tower at noon")
    sent_at = 1_790_000_000  # a fixed instant: the check takes now as an argument
    delivery = fake.signed_delivery(fake.jobs[rid], timestamp=sent_at)
    verify = guide["verify_fal_webhook"]
    for now, status in ((sent_at, 200), (sent_at + 300, 200), (sent_at - 300, 200),
                        (sent_at + 301, 401), (sent_at - 301, 401)):
        assert verify(delivery["headers"], delivery["body"], now=now) == status, now - sent_at
    # The signature covers the raw bytes: the same JSON with other spacing fails.
    respaced = delivery["body"].replace(b",", b", ")
    assert respaced != delivery["body"]
    assert verify(delivery["headers"], respaced, now=sent_at) == 401


def test_a_delivery_for_an_unknown_request_is_recorded_as_an_orphan(guide, capsys):
    handle = fal_client.submit(T2V, arguments={**SHOT, "prompt": "Not in the table"},
                               webhook_url=guide.hook_url)
    assert guide.fake.deliver(handle.request_id) == 200
    assert guide.fake.replay(handle.request_id) == 200
    assert guide.query("SELECT job_key FROM deliveries WHERE request_id = ?",
                       handle.request_id) == [(None,)]
    assert guide.fake.jobs[handle.request_id].result_fetches == 0
    assert capsys.readouterr().out.count(f"orphan request, paid for but not in our table: "
                                         f"{handle.request_id}") == 1


def test_the_key_set_is_cached_and_never_kept_past_24_hours(guide):
    fake = guide.fake
    clock = [1000.0]
    keys = guide["FalKeys"](fake.jwks_url, clock=lambda: clock[0])
    fetches = fake.jwks_fetches
    assert len(keys.get()) == 2  # a retired key and the signing key: any may verify
    assert fake.jwks_fetches == fetches + 1
    clock[0] += 299
    keys.get(refresh=True)  # nothing verified, but the set is under 5 minutes old
    assert fake.jwks_fetches == fetches + 1
    clock[0] += 1
    keys.get(refresh=True)  # nothing verified and the set is 5 minutes old: fetch
    assert fake.jwks_fetches == fetches + 2
    clock[0] += 24 * 3600 - 1
    keys.get()
    assert fake.jwks_fetches == fetches + 2
    clock[0] += 1
    keys.get()  # 24 hours old: never kept longer
    assert fake.jwks_fetches == fetches + 3


# -- retries -------------------------------------------------------------------------------

def test_an_output_block_is_retried_once_with_a_new_seed_and_a_shorter_shot(guide):
    fake = guide.fake
    fake.inject(Fault("content_policy", loc="generated_video", match="output-block"))
    first = submit(guide, "test/retry", "output-block: a neon sign flickering", duration="8",
                   seed=7)
    assert fake.deliver(first) == 200
    guide.wait_state("test/retry", "blocked")
    assert guide.job("test/retry")[:3] == ("blocked", 1, "output_filter")
    second = guide["retry_job"]("test/retry")
    assert guide["retry_job"]("test/retry") is None  # the same failed attempt, retried again
    assert second is not None and second != first
    assert fake.submission_count("output-block") == 2
    sent = {s["request_id"]: s["arguments"] for s in fake.submissions}
    assert sent[first]["seed"] == 7 and sent[second]["seed"] != 7
    assert (sent[first]["duration"], sent[second]["duration"]) == ("8", "5")
    assert fake.deliver(second) == 200
    guide.wait_state("test/retry", "done")
    attempts = guide.attempts("test/retry")
    assert [(rid, outcome) for rid, outcome, _ in attempts] == [(first, "blocked"),
                                                                (second, "done")]
    assert attempts[1][2] < attempts[0][2]  # the shorter retry is estimated lower
    assert guide["retry_job"]("test/retry") is None
    assert fake.submission_count("output-block") == 2


def test_two_workers_retrying_the_same_failure_submit_once(guide):
    fake = guide.fake
    fake.inject(Fault("content_policy", loc="generated_video", match="raced"))
    rid = submit(guide, "test/raced", "raced: a spinning top slowing down")
    assert fake.deliver(rid) == 200
    guide.wait_state("test/raced", "blocked")
    start = threading.Barrier(4)
    answers: list[str | None] = []

    def worker() -> None:
        start.wait()
        answers.append(guide["retry_job"]("test/raced"))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == 4 and sum(a is not None for a in answers) == 1
    assert fake.submission_count("raced") == 2


def test_attempts_are_capped_at_two(guide):
    fake = guide.fake
    fake.inject(Fault("content_policy", count=-1, loc="generated_video", match="always"))
    rid = submit(guide, "test/capped", "always: a storm over the sea", duration="6")
    assert fake.deliver(rid) == 200
    guide.wait_state("test/capped", "blocked")
    retry = guide["retry_job"]("test/capped")
    assert fake.deliver(retry) == 200
    wait_for(lambda: guide.attempts("test/capped")[-1][1] == "blocked", "the retry to block")
    assert guide["retry_job"]("test/capped") is None
    assert guide.job("test/capped")[:2] == ("blocked", 2)
    assert fake.submission_count("always") == 2


@pytest.mark.parametrize("loc", ["image_url", "prompt"])
def test_likeness_and_prompt_blocks_are_not_retried(guide, loc):
    guide.fake.inject(Fault("content_policy", loc=loc, match="filtered"))
    rid = submit(guide, "test/filtered", "filtered: a face in a crowd")
    assert guide.fake.deliver(rid) == 200
    guide.wait_state("test/filtered", "blocked")
    assert guide.job("test/filtered")[2] == {"image_url": "likeness_filter",
                                             "prompt": "prompt_filter"}[loc]
    assert guide["retry_job"]("test/filtered") is None
    assert guide.fake.submission_count("filtered") == 1


def test_a_plain_500_at_submit_is_retried_once(guide):
    fake = guide.fake
    fake.inject("server_error", match="flaky")
    assert guide["submit_job"]("test/flaky", T2V, {**SHOT, "prompt": "flaky: rain"}) is None
    assert guide.job("test/flaky")[:3] == ("failed", 1, "server_error")
    assert fake.submission_count("flaky") == 0  # fal queued nothing
    assert guide["retry_job"]("test/flaky") is not None
    assert guide["retry_job"]("test/flaky") is None
    assert fake.submission_count("flaky") == 1
    assert guide.job("test/flaky")[:2] == ("submitted", 2)


def test_a_locked_account_stops_the_queue_and_is_not_retried(guide):
    guide.fake.inject("locked", count=-1)
    with pytest.raises(RuntimeError, match="locked"):
        guide["submit_job"]("test/locked", T2V, {**SHOT, "prompt": "Anything"})
    assert guide.job("test/locked")[:3] == ("failed", 1, "account_locked")
    assert guide["retry_job"]("test/locked") is None
    assert guide.fake.submission_count() == 3  # the guide's own three, nothing since


def test_a_job_stuck_in_submitting_is_never_sent_again(guide):
    # The process died after committing 'submitting' and before fal answered.
    with guide["transaction"]() as tx:
        tx.execute("INSERT INTO jobs VALUES (?, ?, ?, 0, 'submitting', 1, NULL, NULL)",
                   ("test/stuck", T2V, '{"prompt": "stuck", "duration": "5", '
                                       '"aspect_ratio": "16:9"}'))
    args = {**SHOT, "prompt": "stuck"}
    assert guide["submit_job"]("test/stuck", T2V, args) is None
    assert guide["retry_job"]("test/stuck") is None
    guide["sweep"]()
    assert guide.job("test/stuck")[0] == "submitting"
    assert guide.fake.submission_count("stuck") == 0


# -- faults on the way back: fetch again, record, never resubmit ---------------------------

def test_a_500_on_the_result_of_a_completed_render_is_fetched_again_never_resubmitted(guide):
    fake = guide.fake
    fake.inject("server_error", on="result", count=2, match="flaky-result")
    rid = submit(guide, "test/flaky-result", "flaky-result: a kite over a beach")
    assert fake.deliver(rid) == 200
    guide.wait_state("test/flaky-result", "done")
    assert fake.jobs[rid].result_fetches == 3 and fake.jobs[rid].results_served == 1
    assert guide["retry_job"]("test/flaky-result") is None
    assert fake.submission_count("flaky-result") == 1


def test_a_result_that_never_comes_back_waits_in_ready_and_is_never_resubmitted(guide):
    fake = guide.fake
    guide.ns["BACKOFF_SECONDS"] = 0.001  # this test's patience, not the reader's
    fake.inject("unfetchable", match="lost")
    rid = submit(guide, "test/lost", "lost: a lantern in the rain")
    fake.complete(rid)
    guide["sweep"]()
    assert guide.attempts("test/lost")[0][1] == "ready"
    assert guide.job("test/lost")[:3] == ("submitted", 1, None)
    assert fake.jobs[rid].result_fetches == guide["PATIENCE"]
    assert guide["retry_job"]("test/lost") is None
    assert fake.submission_count("lost") == 1


@pytest.mark.parametrize("kind, reason, fetches", [("no_video", "no_video", 1),
                                                   ("render_error", "render_error", 0)])
def test_a_render_that_failed_is_recorded_not_left_fetching(guide, kind, reason, fetches):
    fake = guide.fake
    fake.inject(kind, match="broken")
    rid = submit(guide, "test/broken", "broken: a glass falling in slow motion")
    fake.complete(rid)
    guide["sweep"]()
    assert guide.job("test/broken")[:3] == ("failed", 1, reason)
    assert guide.attempts("test/broken")[0][1] == "failed"
    assert fake.jobs[rid].result_fetches == fetches  # COMPLETED with error: nothing to fetch
    assert guide["retry_job"]("test/broken") is None
    assert fake.submission_count("broken") == 1


def test_a_key_set_that_is_not_json_is_answered_503_and_the_receiver_lives_on(guide, capsys):
    fake = guide.fake
    guide["fal_keys"].fetched_at = float("-inf")  # the cached set has expired
    fake.inject("jwks_not_json")
    rid = submit(guide, "test/jwks", "A bridge at night, cars passing")
    assert fake.deliver(rid) == 503
    assert "fal's key set is unusable, answering 503" in capsys.readouterr().out
    assert guide.job("test/jwks")[0] == "submitted"
    assert fake.deliver(rid) == 200  # fal delivers again; the next fetch of the set is good
    guide.wait_state("test/jwks", "done")
    assert guide["doorbell_worker"].is_alive()


def test_keys_that_are_not_ed25519_are_skipped(guide):
    fake = guide.fake
    guide["fal_keys"].fetched_at = float("-inf")
    fake.inject("jwks_not_ed25519", count=-1)
    rid = submit(guide, "test/rsa", "A windmill turning slowly")
    assert fake.deliver(rid) == 200
    guide.wait_state("test/rsa", "done")
    assert len(guide["fal_keys"].get()) == 2  # the two Ed25519 keys of the set

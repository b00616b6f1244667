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

import json
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import fal_client
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fakes.fal_server import WEBHOOK_HEADERS, FakeFal, Fault
from seedpress.pages.data import load_site_data
from seedpress.pricing import quote
from support import ROOT
from support.render_queue import (
    FAST_T2V,
    GUIDE,
    R2V,
    SHOT,
    T2V,
    Guide,
    receiver_source,
    run_guide,
    split_receiver,
    stop,
    unbound_globals,
    wait_for,
)

#: builds whole sites, renders through the fake fal server or runs every fault
pytestmark = pytest.mark.slow


@pytest.fixture
def guide(fake_fal: FakeFal, tmp_path, monkeypatch) -> Guide:
    """The guide's blocks, run with webhooks on, and the receiver they started."""
    ran, error = run_guide(fake_fal, tmp_path, monkeypatch)
    assert error is None, error
    yield ran
    stop(ran)


def submit_nothing(guide: Guide, job_key: str, prompt: str) -> str | None:
    """submit_job for a job fal does not queue: what it returns."""
    return guide["submit_job"](job_key, T2V, {**SHOT, "prompt": prompt})


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
    assert fake.submission_count() == 3  # shot three was refused before it was sent
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


def test_a_signed_delivery_whose_body_names_another_request_is_answered_400(guide):
    """Read 84A: the receiver acts on the request fal signed in the header; a signed body
    that names another request is answered 400 and changes nothing about either."""
    from fakes.fal_server import WEBHOOK_USER_ID

    fake = guide.fake
    mine = submit(guide, "test/mine", "mine: a desk lamp")
    other = submit(guide, "test/other", "other: a ceiling fan")
    body = fake.webhook_body(fake.jobs[mine]).replace(mine.encode(), other.encode())
    stamp = str(int(time.time()))
    signature = fake.signing_key.sign(
        fake.signed_message(mine, WEBHOOK_USER_ID, stamp, body)).hex()
    headers = dict(zip(WEBHOOK_HEADERS, (mine, WEBHOOK_USER_ID, stamp, signature),
                       strict=True))
    before = guide.changes()
    assert guide["verify_fal_webhook"](headers, body) == 200  # fal's signature holds
    assert guide["handle_fal_webhook"](headers, body) == 400
    assert guide.changes() == before and guide["doorbell"].empty()
    assert guide.query("SELECT * FROM deliveries WHERE request_id IN (?, ?)", mine, other) == []


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


def test_a_status_check_that_fails_during_the_webhooks_fetch_leaves_that_fetch_alone(guide):
    """Read 25 A1: the sweep reads an attempt as pending and asks fal its status; the webhook
    comes in meanwhile and the doorbell claims the attempt and fetches it. When the status
    check then fails, the sweep's miss must not hand the attempt being fetched back to
    'pending', or the next pass would fetch it a second time, into the same part file."""
    fake = guide.fake
    rid = submit(guide, "test/race", "race: a kite over a beach")
    fake.complete(rid)
    status_gate = fake.inject("gate", on="status", match="race:", then="unavailable")
    result_gate = fake.inject("gate", on="result", match="race:")
    sweeper = threading.Thread(target=guide["sweep"])
    sweeper.start()
    try:
        wait_for(lambda: status_gate.fired == 1, "the sweep's status check")
        assert fake.deliver(rid) == 200  # the doorbell's finish claims it and fetches
        wait_for(lambda: result_gate.fired == 1, "the doorbell's fetch")
        assert guide.attempts("test/race")[0][1] == "fetching"
        status_gate.release()  # fal answers the sweep's check with a 503
        sweeper.join(30)
        assert not sweeper.is_alive()
        assert guide.attempts("test/race")[0][1] == "fetching"  # the fetch still holds it
    finally:
        status_gate.release()
        result_gate.release()
        sweeper.join(30)
    guide.wait_state("test/race", "done")
    assert guide["sweep"]() == []
    assert fake.jobs[rid].result_fetches == 1
    assert sorted(p.name for p in guide["FILES"].glob(f"{rid}*")) == [f"{rid}.mp4"]
    assert fake.submission_count("race:") == 1


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


@pytest.mark.parametrize("header, value", [
    ("X-Fal-Webhook-Timestamp", "+{stamp}"), ("X-Fal-Webhook-Timestamp", " {stamp}"),
    ("X-Fal-Webhook-Timestamp", "{stamp}.0"), ("X-Fal-Webhook-Timestamp", "\u0661\u0662"),
    ("X-Fal-Webhook-Timestamp", "000{stamp}"), ("X-Fal-Webhook-Timestamp", "{digits}"),
    ("X-Fal-Webhook-Signature", "{sig_spaced}"), ("X-Fal-Webhook-Signature", "{sig}0"),
    ("X-Fal-Webhook-Signature", "zz{sig}")])
def test_a_delivery_shaped_unlike_fals_is_answered_400_as_in_typescript(guide, header, value):
    """Read 57A: the Python check takes what the TypeScript one takes: a timestamp of at
    most 12 ASCII digits (read 65A: 4,301 of them made int() raise, a 500) and a signature
    of whole hex bytes; anything else is 400, not parsed."""
    fake = guide.fake
    rid = submit(guide, "test/shape", "shape: a weathervane turning")
    delivery = fake.signed_delivery(fake.jobs[rid])
    headers = dict(delivery["headers"])
    stamp, sig = headers["X-Fal-Webhook-Timestamp"], headers["X-Fal-Webhook-Signature"]
    verify = guide["verify_fal_webhook"]
    assert verify(headers, delivery["body"], now=int(stamp)) == 200
    headers[header] = value.format(stamp=stamp, sig=sig, sig_spaced=f"{sig[:2]} {sig[2:]}",
                                   digits="9" * 4301)
    assert verify(headers, delivery["body"], now=int(stamp)) == 400


def test_a_delivery_for_an_unknown_request_is_recorded_as_an_orphan(guide, capsys):
    handle = fal_client.submit(T2V, arguments={**SHOT, "prompt": "Not in the table"},
                               webhook_url=guide.hook_url)
    assert guide.fake.deliver(handle.request_id) == 200
    assert guide.fake.replay(handle.request_id) == 200
    assert guide.query("SELECT job_key FROM deliveries WHERE request_id = ?",
                       handle.request_id) == [(None,)]
    assert guide.fake.jobs[handle.request_id].result_fetches == 0
    guide["sweep"]()  # it matches no attempt after a pass either
    assert guide["orphans"]() == [handle.request_id]
    guide["report"]([])
    assert capsys.readouterr().out.count(f"orphan request, fal has it and our table does not: "
                                         f"{handle.request_id}") == 1


def test_a_delivery_that_beats_its_attempt_row_is_matched_later_never_called_an_orphan(guide):
    """fal may deliver before the submitter has written the attempt down: the delivery is
    kept unmatched, the sweeper's next pass (or a redelivery) matches it, the job is done,
    and it is never reported as an orphan."""
    fake = guide.fake
    handle = fal_client.submit(T2V, arguments={**SHOT, "prompt": "early bell: a door opens"},
                               webhook_url=guide.hook_url)
    assert fake.deliver(handle.request_id) == 200  # the doorbell rings before the row exists
    assert guide["orphans"]() == [handle.request_id]  # not yet matched: nothing concluded
    with guide["transaction"]() as tx:  # the submitter's commit lands now
        tx.execute("INSERT INTO jobs (job_key, endpoint, arguments, video_seconds, state, "
                   "tries) VALUES ('test/early', ?, '{}', 0, 'submitted', 1)", (T2V,))
        tx.execute("INSERT INTO attempts (request_id, job_key, submitted_at, arguments, "
                   "estimated_usd, outcome) VALUES (?, 'test/early', 0, ?, 0.5, 'pending')",
                   (handle.request_id, '{"duration": "5"}'))
    assert fake.deliver(handle.request_id) == 200  # fal's redelivery now finds its attempt
    guide.wait_state("test/early", "done")
    assert guide.query("SELECT job_key FROM deliveries WHERE request_id = ?",
                       handle.request_id) == [("test/early",)]
    assert guide["orphans"]() == []
    assert fake.jobs[handle.request_id].result_fetches == 1
    assert fake.submission_count("early bell") == 1


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


def test_an_unverified_delivery_waits_for_a_key_set_that_cannot_be_fetched_again(guide):
    """Read 66A: a signature no held key verifies, once the held set is five minutes old
    and fetching it again fails, is answered 503 (fal delivers again later: it may be
    signed by a key fal just added), never taken; once the set can be read, it is 401."""
    fake = guide.fake
    clock = [1000.0]
    guide.ns["fal_keys"] = guide["FalKeys"](fake.jwks_url, clock=lambda: clock[0])
    rid = submit(guide, "test/rotated", "rotated: a lighthouse beam at sea")
    good = fake.signed_delivery(fake.jobs[rid])
    verify = guide["verify_fal_webhook"]
    sent_at = int(good["headers"]["X-Fal-Webhook-Timestamp"])
    assert verify(good["headers"], good["body"], now=sent_at) == 200  # the set is held
    forged = fake.signed_delivery(fake.jobs[rid], key=Ed25519PrivateKey.generate())
    clock[0] += 300
    fake.inject("jwks_not_json")
    assert verify(forged["headers"], forged["body"], now=sent_at) == 503
    assert verify(forged["headers"], forged["body"], now=sent_at) == 401  # the set is read
    assert verify(good["headers"], good["body"], now=sent_at) == 200


# -- retries -------------------------------------------------------------------------------

def test_an_output_block_is_retried_once_with_a_new_seed_and_a_shorter_shot(guide):
    fake = guide.fake
    fake.inject(Fault("content_policy", loc="generated_video", match="output-block"))
    first = submit(guide, "test/retry", "output-block: a neon sign flickering", duration="8",
                   seed=7)
    assert fake.deliver(first) == 200
    guide.wait_state("test/retry", "blocked")
    assert guide.job("test/retry")[:3] == ("blocked", 1, "output_filter")
    second = guide["retry_job"]("test/retry", shorten=True)  # a person asked for shorter
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
    # what was sent is on record: the job asked for 8 s, the attempt that finished it is 5 s
    assert [json.loads(a)["duration"] for (a,) in guide.query(
        "SELECT arguments FROM attempts WHERE job_key = ? ORDER BY submitted_at",
        "test/retry")] == ["8", "5"]
    assert json.loads(guide.query("SELECT arguments FROM jobs WHERE job_key = ?",
                                  "test/retry")[0][0])["duration"] == "8"
    assert guide["retry_job"]("test/retry") is None
    assert fake.submission_count("output-block") == 2


def test_an_output_block_is_retried_at_the_same_length_unless_a_person_says_otherwise(guide,
                                                                                      capsys):
    fake = guide.fake
    fake.inject(Fault("content_policy", loc="generated_video", match="same-length"))
    first = submit(guide, "test/same", "same-length: rain on a window", duration="8", seed=3)
    assert fake.deliver(first) == 200
    guide.wait_state("test/same", "blocked")
    second = guide["retry_job"]("test/same")
    sent = {s["request_id"]: s["arguments"] for s in fake.submissions}
    assert (sent[first]["duration"], sent[second]["duration"]) == ("8", "8")
    assert sent[second]["seed"] != 3
    assert {s["endpoint"] for s in fake.submissions if "same-length" in
            s["arguments"]["prompt"]} == {T2V}  # never moved to another tier
    assert fake.deliver(second) == 200
    guide.wait_state("test/same", "done")
    guide["report"]([])
    assert "test/same: done, 8 s as sent" in capsys.readouterr().out


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
    # once, later: the time of the failure is on the job, and the retry waits RETRY_AFTER
    ((failed_at,),) = guide.query("SELECT failed_at FROM jobs WHERE job_key = 'test/flaky'")
    later = failed_at + guide["RETRY_AFTER"]
    assert guide["retry_job"]("test/flaky") is None  # at once, in the same run: not yet
    assert guide["retry_job"]("test/flaky", now=later - 1) is None
    assert fake.attempt_count("flaky") == 1
    assert guide["retry_job"]("test/flaky", now=later) is not None
    assert guide.query("SELECT submitting_at FROM jobs WHERE job_key = 'test/flaky'") == [
        (later,)]  # Read 34A: when it last went to fal, for a person who looks it up
    assert guide["retry_job"]("test/flaky", now=later) is None
    words = {5: "five", 10: "ten", 15: "fifteen"}  # the page says the wait in words
    assert f"({words[guide['RETRY_AFTER'] // 60]} minutes, our figure" in GUIDE.read_text()
    assert fake.submission_count("flaky") == 1
    assert guide.job("test/flaky")[:2] == ("submitted", 2)


def test_a_locked_account_stops_the_queue_and_is_not_retried(guide):
    guide.fake.inject("locked", count=-1)
    with pytest.raises(RuntimeError, match="locked"):
        guide["submit_job"]("test/locked", T2V, {**SHOT, "prompt": "Anything"})
    assert guide.job("test/locked")[:3] == ("failed", 1, "account_locked")
    with pytest.raises(RuntimeError, match="locked"):  # the queue stays stopped in this run
        guide["retry_job"]("test/locked")
    guide["queue_stopped"].clear()  # the next run, after a person has unlocked the account
    assert guide["retry_job"]("test/locked") is None  # a locked account is never retried
    assert guide.fake.submission_count() == 3  # the guide's own three, nothing since


def test_a_retry_writes_what_it_sends_on_the_job_before_it_calls_fal(guide, capsys):
    """Read 54A: while a retry's submit is out, the job in 'submitting' names the retry's
    own arguments (its new seed), so a person matching fal's list after a crash there has
    them; the report shows them, and a queued retry clears them."""
    fake = guide.fake
    fake.inject(Fault("content_policy", loc="generated_video", match="reseed"))
    first = submit(guide, "test/reseed", "reseed: a paper boat on a pond")
    assert fake.deliver(first) == 200
    guide.wait_state("test/reseed", "blocked")
    held = fake.inject("gate", on="submit", match="reseed")
    retrying = threading.Thread(target=guide["retry_job"], args=("test/reseed",))
    retrying.start()
    try:
        wait_for(lambda: held.fired == 1, "the retry's submit")
        state, tries, error = guide.job("test/reseed")[:3]
        assert (state, tries) == ("submitting", 2) and error.startswith("retry; sends {")
        sends = json.loads(error.removeprefix("retry; sends "))
        assert sends["prompt"] == "reseed: a paper boat on a pond"
        assert sends["seed"] != fake.jobs[first].arguments.get("seed")  # the retry's own
        guide["report"]([])
        assert f"test/reseed: submitting (retry; sends {json.dumps(sends)})" in \
            capsys.readouterr().out
    finally:
        held.release()
        retrying.join(30)
    assert guide.job("test/reseed")[:3] == ("submitted", 2, None)
    (retry,) = [job for job in fake.jobs.values() if job.request_id != first
                and "reseed" in job.arguments["prompt"]]
    assert retry.arguments == sends


def test_a_retry_left_in_submitting_is_closed_by_hand_as_the_page_says(guide, capsys):
    """Read 56A: a retry answered with a 503 leaves its job, which already has an attempt,
    in 'submitting'. The page's hand step for it (mark it failed, send it under a new key)
    takes it out of the budget, sends no third attempt, and keeps the first on record."""
    fake = guide.fake
    fake.inject(Fault("content_policy", loc="generated_video", match="handmark"))
    first = submit(guide, "test/handmark", "handmark: a kite in a gale")
    assert fake.deliver(first) == 200
    guide.wait_state("test/handmark", "blocked")
    fake.inject("unavailable", on="submit", match="handmark")  # a 503: fal may have it
    assert guide["retry_job"]("test/handmark") is None
    assert guide.job("test/handmark")[:2] == ("submitting", 2)
    fake.faults.clear()
    with guide["transaction"]() as tx:
        before = guide["spending"](tx)
        tx.execute("UPDATE jobs SET state = 'failed' WHERE job_key = ?", ("test/handmark",))
        after = guide["spending"](tx)
    assert before - after == pytest.approx(guide["attempt_cost"](T2V, {**SHOT, "prompt": "x"}))
    assert guide["retry_job"]("test/handmark") is None
    assert submit(guide, "test/handmark-2", "handmark: a kite in a gale") not in (None, first)
    assert [rid for rid, _, _ in guide.attempts("test/handmark")] == [first]


def test_a_403_on_a_retrys_submit_stops_the_queue_and_leaves_the_job_for_a_person(guide):
    """A retry (here of an output block) that meets a locked account ends failed with the
    reason, sends nothing more in this run and is not retried by the program once the
    account is unlocked; its first, blocked attempt stays on record."""
    fake = guide.fake
    fake.inject(Fault("content_policy", loc="generated_video", match="relock"))
    first = submit(guide, "test/relock", "relock: a shutter in the wind")
    assert fake.deliver(first) == 200
    guide.wait_state("test/relock", "blocked")
    fake.inject("locked", on="submit", count=-1)
    with pytest.raises(RuntimeError, match="locked"):
        guide["retry_job"]("test/relock")
    assert guide.job("test/relock")[:3] == ("failed", 2, "account_locked")
    assert [(rid, outcome) for rid, outcome, _ in guide.attempts("test/relock")] == \
        [(first, "blocked")]
    with pytest.raises(RuntimeError, match="locked"):  # stopped for the rest of the run
        guide["submit_job"]("test/relock-next", T2V, {**SHOT, "prompt": "relock: next"})
    guide["queue_stopped"].clear()  # the next run, after a person has unlocked the account
    assert guide["retry_job"]("test/relock") is None  # two attempts used: a person decides
    assert fake.submission_count("relock") == 1


def test_a_known_key_asked_with_other_arguments_says_so_and_sends_nothing(guide, capsys):
    """Read 11A G1: a changed or fixed request under a key the table holds is not sent,
    and the program says why instead of staying silent."""
    rid = submit(guide, "test/changed", "changed: a bell tower at noon")
    capsys.readouterr()
    assert submit_nothing(guide, "test/changed", "changed: a bell tower at noon") is None
    assert capsys.readouterr().out == ""  # the same request again: nothing to say
    assert submit_nothing(guide, "test/changed", "changed: a bell tower at dusk") is None
    assert "already a job, asked with other arguments" in capsys.readouterr().out
    assert guide.attempts("test/changed")[0][0] == rid
    assert guide.fake.submission_count("changed") == 1


def test_a_job_stuck_in_submitting_is_never_sent_again(guide):
    # The process died after committing 'submitting' and before fal answered.
    with guide["transaction"]() as tx:
        tx.execute("INSERT INTO jobs (job_key, endpoint, arguments, video_seconds, state, "
                   "tries) VALUES (?, ?, ?, 0, 'submitting', 1)",
                   ("test/stuck", T2V, '{"prompt": "stuck", "duration": "5", '
                                       '"aspect_ratio": "16:9"}'))
    args = {**SHOT, "prompt": "stuck"}
    assert guide["submit_job"]("test/stuck", T2V, args) is None
    assert guide["retry_job"]("test/stuck") is None
    guide["sweep"]()
    assert guide.job("test/stuck")[0] == "submitting"
    assert guide.fake.submission_count("stuck") == 0


def test_a_submit_with_no_answer_stays_submitting_and_the_batch_goes_on(guide, capsys,
                                                                       quick_client):
    """No answer after fal_client's own tries: fal may have queued it. The job stays in
    'submitting' for a person, nothing stops, the next job is sent, and no retry sends the
    silent one again."""
    fake = guide.fake
    fake.inject("drop", count=10, on="submit", match="silent")
    assert guide["submit_job"]("test/silent", T2V, {**SHOT, "prompt": "silent: a bell"}) is None
    assert "fal may have queued it" in capsys.readouterr().out
    assert guide.job("test/silent")[:2] == ("submitting", 1)
    # Read 29A: what the silent submit sent is on the job, to match fal's list against
    assert '"prompt": "silent: a bell"' in guide.job("test/silent")[2]
    # Read 34A: the report says when it went to fal, where a search of fal's list starts
    ((at,),) = guide.query("SELECT submitting_at FROM jobs WHERE job_key = 'test/silent'")
    guide["report"]([])
    (line,) = [line for line in capsys.readouterr().out.splitlines()
               if line.startswith("test/silent:")]
    stamp = datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f"sent to fal at {stamp}: look for it in fal's list" in line
    assert submit(guide, "test/after-silent", "after the silent one: a gong")
    assert guide["retry_job"]("test/silent") is None
    assert fake.attempt_count("silent: a bell") == 10  # fal_client's tries, none of ours


@pytest.mark.parametrize("setting, value", [
    ("RENDER_QUEUE_OPEN_HOURS", "0.0001"), ("RENDER_QUEUE_OPEN_HOURS", "nan"),
    ("RENDER_QUEUE_OPEN_HOURS", "inf"), ("RENDER_QUEUE_BUDGET_USD", "nan"),
    ("RENDER_QUEUE_BUDGET_USD", "inf"), ("RENDER_QUEUE_BUDGET_USD", "-1")])
def test_a_setting_the_queue_cannot_use_stops_the_program_before_any_job(
        fake_fal, tmp_path, monkeypatch, setting, value):
    """Read 35A: a RENDER_QUEUE_OPEN_HOURS under a minute (fal_client refuses a start_timeout
    of 1 s or less, before it sends anything) or not a finite number, and read 59A: a
    RENDER_QUEUE_BUDGET_USD that is not a finite sum of dollars (nan would make every budget
    comparison false, so the check would never stop a submit), stop the program at once with
    a message naming the setting, so no job is left in 'submitting' as if fal might have it."""
    monkeypatch.setenv(setting, value)
    ran, error = run_guide(fake_fal, tmp_path, monkeypatch)
    stop(ran)
    assert isinstance(error, SystemExit) and setting in str(error)
    assert fake_fal.attempt_count("") == 0
    assert "submit_job" not in ran.ns


def test_a_known_key_asked_again_with_auto_is_not_called_rejected(guide, capsys):
    """Read 39A: a job the table holds, asked again with arguments that cannot be priced,
    is the known job: the run says nothing was sent under that key, not 'rejected', and the
    job's row is unchanged."""
    rid = submit(guide, "test/known", "known: a lantern on a jetty")
    before = guide.job("test/known")
    capsys.readouterr()
    args = {**SHOT, "prompt": "known: a lantern on a jetty", "duration": "auto"}
    assert guide["submit_job"]("test/known", T2V, args) is None
    printed = capsys.readouterr().out
    assert "already a job, asked with other arguments" in printed and "rejected" not in printed
    assert guide.job("test/known") == before and guide.fake.submission_count("known:") == 1
    assert guide.attempts("test/known")[0][0] == rid


def test_a_key_fal_refuses_at_submit_stops_the_queue_after_one_job(guide, capsys):
    """Read 39A: a 401 at submit means every later job would meet it too: that job is
    failed for a person, and the queue stops, so nothing more is sent in this run."""
    fake = guide.fake
    fake.inject("unauthorized", on="submit", count=-1, match="rekeyed")
    with pytest.raises(guide["AccountLocked"], match="fal refused the key"):
        guide["submit_job"]("test/rekeyed-1", T2V, {**SHOT, "prompt": "rekeyed: one"})
    assert guide.job("test/rekeyed-1")[:3] == ("failed", 1, "http_401")
    with pytest.raises(guide["AccountLocked"], match="the queue stopped, fal refused the key"):
        guide["submit_job"]("test/rekeyed-2", T2V, {**SHOT, "prompt": "rekeyed: two"})
    assert guide.query("SELECT * FROM jobs WHERE job_key = 'test/rekeyed-2'") == []
    assert fake.attempt_count("rekeyed") == 1


def test_the_budget_stops_a_job_before_anything_is_sent(guide, capsys):
    ((spent,),) = guide.query("SELECT TOTAL(estimated_usd) FROM attempts")
    guide.ns["BUDGET_USD"] = spent + 0.01  # nothing more fits
    args = {**SHOT, "prompt": "over budget: a yacht at sea"}
    assert guide["submit_job"]("test/over", T2V, args) is None
    assert "past its budget" in capsys.readouterr().out
    assert guide.query("SELECT * FROM jobs WHERE job_key = 'test/over'") == []
    assert guide.fake.attempt_count("over budget") == 0
    guide.ns["BUDGET_USD"] = spent + 10  # a person raises it: the job goes as new
    assert guide["submit_job"]("test/over", T2V, args) is not None


def test_the_budget_holds_against_another_program_writing_at_the_same_time(guide, capsys):
    """Read 81A: a second program on the same database file (the scheduled retry job beside
    a batch, say) writes a job while this one checks the budget. The check waits for that
    write and counts it, so the two together never pass the budget."""
    import sqlite3

    ((spent,),) = guide.query("SELECT TOTAL(estimated_usd) FROM attempts")
    estimate = guide["attempt_cost"](T2V, SHOT)
    guide.ns["BUDGET_USD"] = spent + 1.5 * estimate  # room for one more job, not for two
    statements: list[str] = []
    guide["db"].set_trace_callback(statements.append)
    other = sqlite3.connect(guide["DB_PATH"], timeout=30, isolation_level=None)
    outcome: dict = {}
    try:
        other.execute("BEGIN IMMEDIATE")  # the other program has checked, and now writes
        other.execute("INSERT INTO jobs VALUES ('test/theirs', ?, ?, 0, 'submitting', 1, NULL, "
                      "NULL, NULL, 0)", (T2V, json.dumps({**SHOT, "prompt": "theirs: a gull"})))
        ours = threading.Thread(target=lambda: outcome.update(rid=guide["submit_job"](
            "test/ours", T2V, {**SHOT, "prompt": "ours: a kite over dunes"})))
        ours.start()
        # our program has reached a statement that needs the write lock the other holds
        wait_for(lambda: any(s.startswith(("BEGIN IMMEDIATE", "INSERT INTO jobs"))
                             for s in statements), "submit_job to wait for the write lock")
        other.execute("COMMIT")
        ours.join(timeout=60)
    finally:
        guide["db"].set_trace_callback(None)
        other.close()
    assert outcome == {"rid": None}
    assert "past its budget" in capsys.readouterr().out
    assert guide.fake.attempt_count("ours: a kite") == 0
    assert guide.query("SELECT * FROM jobs WHERE job_key = 'test/ours'") == []


def test_every_finished_render_is_kept_on_disk_with_its_checksum(guide):
    import hashlib
    from pathlib import Path

    rows = guide.query("SELECT request_id, file, sha256 FROM attempts WHERE outcome = 'done'")
    assert len(rows) == 3
    for rid, file, sha256 in rows:
        data = Path(file).read_bytes()
        assert data[4:8] == b"ftyp" and hashlib.sha256(data).hexdigest() == sha256
        assert guide.fake.jobs[rid].downloads == 1


def test_running_the_program_again_sends_nothing_and_follows_what_is_still_open(
        fake_fal, tmp_path, monkeypatch):
    """The database is a file: a second run in the same folder sends no job again, fetches
    nothing it has, and follows to its end a render the first run left open."""
    first, error = run_guide(fake_fal, tmp_path, monkeypatch)
    try:
        assert error is None, error
        fake_fal.polls_to_finish = 10**9  # this one stays open until the test finishes it
        left_open = submit(first, "test/left-open", "left open: a tide coming in")
        first["sweep"]()
        assert first.attempts("test/left-open")[0][1] == "pending"
        with first["transaction"]() as tx:  # the first run dies in the middle of its fetch
            tx.execute("UPDATE attempts SET outcome = 'fetching' WHERE request_id = ?",
                       (left_open,))
    finally:
        stop(first)
    fake_fal.complete(left_open)
    before = (fake_fal.attempt_count(), {rid: j.downloads for rid, j in fake_fal.jobs.items()})
    second, error = run_guide(fake_fal, tmp_path, monkeypatch)
    try:
        assert error is None, error
        assert fake_fal.attempt_count() == before[0]  # not one submit more
        assert second.job("test/left-open")[0] == "done"
        downloads = {rid: j.downloads for rid, j in fake_fal.jobs.items()}
        assert downloads == {**before[1], left_open: 1}  # only the one it did not have
    finally:
        stop(second)


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
    # the sweeper's status poll also rang the doorbell: wait until whichever fetched is done
    wait_for(lambda: guide.attempts("test/lost")[0][1] != "fetching", "the fetch to end")
    assert guide.attempts("test/lost")[0][1] == "ready"
    assert guide.job("test/lost")[:3] == ("submitted", 1, None)
    assert fake.jobs[rid].result_fetches == guide["PATIENCE"]
    assert guide["retry_job"]("test/lost") is None
    assert fake.submission_count("lost") == 1


def test_a_result_that_never_comes_back_ends_stuck_after_max_rounds_never_resubmitted(guide):
    fake = guide.fake
    guide.ns["BACKOFF_SECONDS"] = 0.001  # this test's patience, not the reader's
    guide.ns["STUCK_AFTER"] = 0  # passes alone count here; the test below counts time too
    guide.ns["WEBHOOK_URL"] = None  # only the sweeper, so the test counts its passes
    fake.inject("unfetchable", match="gone for good")
    rid = submit(guide, "test/gone", "gone for good: smoke over a field")
    fake.complete(rid)
    for _ in range(guide["MAX_ROUNDS"] - 1):
        assert guide["sweep"]() == [rid]  # handed back for the next pass
    assert guide["sweep"]() == []  # the last pass: no longer open
    assert guide.attempts("test/gone")[0][1] == "stuck"
    assert guide.job("test/gone")[0] == "stuck"
    fetches = fake.jobs[rid].result_fetches
    assert fetches == guide["MAX_ROUNDS"] * guide["PATIENCE"]
    guide["sweep"]()
    assert fake.jobs[rid].result_fetches == fetches  # never fetched again by the sweeper
    assert guide["retry_job"]("test/gone") is None
    assert fake.submission_count("gone for good") == 1


def test_a_file_whose_address_is_refused_goes_to_a_person_at_once(guide):
    """Read 48A: the video's address answers 404 (expired, say). Asking again every pass
    will not bring it back: the attempt is 'stuck' at once, with the answer, after one
    download, and the render is never sent again."""
    fake = guide.fake
    guide.ns["WEBHOOK_URL"] = None
    rid = submit(guide, "test/expired", "expired: a kite over a beach")
    fake.jobs[rid].file_gone = True
    fake.complete(rid)
    assert guide["sweep"]() == []
    ((outcome, detail),) = guide.query("SELECT outcome, detail FROM attempts WHERE "
                                       "request_id = ?", rid)
    assert outcome == "stuck" and "HTTP 404" in detail
    assert guide.job("test/expired")[0] == "stuck"
    assert fake.jobs[rid].downloads == 1 and fake.submission_count("expired") == 1
    assert guide["retry_job"]("test/expired") is None


def test_a_few_seconds_of_500s_on_status_hand_nothing_to_a_person(guide):
    """Read 10A M1: plain 500s on the status poll for more than MAX_ROUNDS passes, at the
    program's one pass a second, are a blip: the attempt stays open (STUCK_AFTER has not
    passed), and once fal answers again the render is fetched and kept."""
    fake = guide.fake
    guide.ns["WEBHOOK_URL"] = None  # only the sweeper, so the test counts its passes
    rid = submit(guide, "test/blip", "blip: a kettle on a stove")
    fake.complete(rid)
    fake.inject("server_error", on="status", count=guide["MAX_ROUNDS"] + 1, match="blip")
    for _ in range(guide["MAX_ROUNDS"] + 1):
        assert guide["sweep"]() == [rid]  # still open, never stuck
    assert guide.attempts("test/blip")[0][1] == "pending"
    assert guide["sweep"]() == []
    assert guide.attempts("test/blip")[0][1] == "done" and guide.job("test/blip")[0] == "done"
    assert fake.submission_count("blip") == 1


def test_a_person_hands_a_stuck_attempt_back_and_it_is_fetched_never_sent(guide):
    """unstick: once the cause is sorted (here a result fal answered 410 once, an answer
    it documents nowhere), the stuck attempt goes back to the sweeper, which fetches and
    keeps the finished render."""
    fake = guide.fake
    guide.ns["WEBHOOK_URL"] = None
    rid = submit(guide, "test/rekey", "rekey: a door in the wind")
    fake.complete(rid)
    fake.inject("gone", on="result", count=1, match="rekey")
    guide["sweep"]()
    assert guide.attempts("test/rekey")[0][1] == "stuck"
    with pytest.raises(SystemExit, match="no stuck attempt"):
        guide["unstick"]("00000000-0000-0000-0000-000000000000")
    guide["unstick"](rid)
    assert guide["sweep"]() == []
    assert guide.attempts("test/rekey")[0][1] == "done" and guide.job("test/rekey")[0] == "done"
    assert fake.submission_count("rekey") == 1


def test_a_person_adopts_the_request_found_for_a_job_left_in_submitting(guide):
    """adopt: the request id a person found for a job in 'submitting' becomes its attempt;
    the sweeper follows and keeps it, and the job is never sent again."""
    fake = guide.fake
    guide.ns["WEBHOOK_URL"] = None
    args = {**SHOT, "prompt": "found: a kite over dunes"}
    rid = fal_client.submit(T2V, arguments=args).request_id  # queued, its answer lost
    with guide["transaction"]() as tx:
        tx.execute("INSERT INTO jobs (job_key, endpoint, arguments, video_seconds, state, "
                   "tries) VALUES ('test/found', ?, ?, 0, 'submitting', 1)",
                   (T2V, json.dumps(args)))
    with pytest.raises(SystemExit, match="no job has this key"):
        guide["adopt"]("test/nothing", rid)
    guide["adopt"]("test/found", rid)
    with pytest.raises(SystemExit, match="already an attempt"):
        guide["adopt"]("test/found", rid)
    fake.complete(rid)
    assert guide["sweep"]() == []
    assert guide.attempts("test/found")[0][:2] == (rid, "done")
    assert guide.job("test/found")[0] == "done" and fake.submission_count("found") == 1
    assert guide["submit_job"]("test/found", T2V, args) is None


def test_an_adopted_request_is_estimated_and_aged_from_what_fal_lists(guide):
    """Read 32: a shortened retry whose submit got no answer is adopted with what fal's list
    shows for it: the attempt is estimated at the length it asked for, and its age runs
    from when fal got it, so one older than RENDER_QUEUE_OPEN_HOURS goes stuck."""
    fake = guide.fake
    guide.ns["WEBHOOK_URL"] = None
    fake.polls_to_finish = 10**9  # it never finishes in this test
    held = {**SHOT, "duration": "10", "prompt": "listed: a lighthouse in fog"}
    sent = {**held, "duration": "5", "seed": 7}  # the retry's request, as fal lists it
    rid = fal_client.submit(T2V, arguments=sent).request_id
    with guide["transaction"]() as tx:
        tx.execute("INSERT INTO jobs (job_key, endpoint, arguments, video_seconds, state, "
                   "tries) VALUES ('test/listed', ?, ?, 0, 'submitting', 2)",
                   (T2V, json.dumps(held)))
    for bad, message in (("yesterday", "not an ISO 8601 time"),
                         ("2026-12-01T10:00:00", "with its offset")):
        with pytest.raises(SystemExit, match=message):
            guide["adopt"]("test/listed", rid, sent, bad)
    with pytest.raises(SystemExit, match="cannot estimate"):
        guide["adopt"]("test/listed", rid, {**sent, "duration": "auto"})
    assert guide.attempts("test/listed") == []  # nothing half-written
    guide["adopt"]("test/listed", rid, sent, "2026-01-01T08:00:00Z")  # long ago, as fal lists
    estimate, arguments, at = guide.query("SELECT estimated_usd, arguments, submitted_at "
                                          "FROM attempts WHERE request_id = ?", rid)[0]
    assert estimate == pytest.approx(guide["attempt_cost"](T2V, sent, 0))
    assert estimate < guide["attempt_cost"](T2V, held, 0)
    assert json.loads(arguments) == sent and at == 1767254400  # 08:00 UTC
    guide["sweep"]()
    assert guide.attempts("test/listed")[0][1] == "stuck"  # open past its limit, by fal's clock
    assert fake.submission_count("listed:") == 1


def kept_job(guide, job_key: str, prompt: str) -> str:
    """A job rendered and kept by the sweeper (no webhook): its request id."""
    guide.ns["WEBHOOK_URL"] = None
    rid = submit(guide, job_key, prompt)
    guide.fake.complete(rid)
    guide["sweep"]()
    guide.wait_state(job_key, "done")
    return rid


def test_a_file_kept_before_a_crash_is_recorded_not_downloaded_again(guide):
    """Read 42A: the program died after keep_video put the file in place and before the
    database said 'done'. The next pass finds the attempt back in 'ready' (as the reset
    leaves it) and records the file on disk as it is: no second download, no copy, and
    (read 44A) nothing asked of fal, which here no longer answers for the request."""
    rid = kept_job(guide, "test/crashed", "crashed: a kettle on a stove")
    for on in ("status", "result"):
        guide.fake.inject("gone", on=on, count=-1, match="crashed")
    (path, sha256), = guide.query("SELECT file, sha256 FROM attempts WHERE request_id = ?", rid)
    with guide["transaction"]() as tx:  # what the crash left: a file, and no record of it
        tx.execute("UPDATE attempts SET outcome = 'ready', file = NULL, sha256 = NULL "
                   "WHERE request_id = ?", (rid,))
        tx.execute("UPDATE jobs SET state = 'submitted' WHERE job_key = 'test/crashed'")
    assert guide["sweep"]() == []
    assert guide.query("SELECT outcome, file, sha256 FROM attempts WHERE request_id = ?",
                       rid) == [("done", path, sha256)]
    assert guide.job("test/crashed")[0] == "done"
    assert guide.fake.jobs[rid].downloads == 1
    assert sorted(p.name for p in Path(path).parent.glob(rid + "*")) == [Path(path).name]


def test_a_file_that_is_not_an_mp4_under_the_name_is_not_recorded_as_the_render(guide):
    """Read 75A: something other than an MP4 at the render's file name (not what keep_video
    writes) is not taken as the kept render: the render is downloaded beside it, checked,
    and recorded; the stray file is left as it was."""
    guide.ns["WEBHOOK_URL"] = None
    rid = submit(guide, "test/stray", "stray: a bicycle bell")
    stray = guide["FILES"] / f"{rid}.mp4"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"not a video, left here by hand")
    guide.fake.complete(rid)
    assert guide["sweep"]() == []
    ((file,),) = guide.query("SELECT file FROM attempts WHERE request_id = ?", rid)
    assert file != str(stray) and Path(file).read_bytes()[4:8] == b"ftyp"
    assert stray.read_bytes() == b"not a video, left here by hand"
    assert guide.fake.jobs[rid].downloads == 1


def test_a_second_copy_of_a_submit_is_adopted_kept_and_counted(guide, capsys):
    """Read 19A: fal_client may send a submit again, and fal may then hold the job twice.
    The copy a person finds is adopted to its job whatever the job's state: the sweeper
    keeps its file, the budget counts it, and a copy that fails never undoes a kept job."""
    fake = guide.fake
    rid = kept_job(guide, "test/twice", "twice: a heron lifts off a pond")
    args = json.loads(guide.query("SELECT arguments FROM jobs WHERE job_key = ?",
                                  "test/twice")[0][0])
    spent = guide["spending"]
    with guide["transaction"]() as tx:
        before = spent(tx)
    fake.inject("render_error", match="twice")  # the copy failed: the job stays done
    copy = fal_client.submit(T2V, arguments=args).request_id
    ok = fal_client.submit(T2V, arguments=args).request_id  # a third, that finishes
    guide["adopt"]("test/twice", copy)
    guide["adopt"]("test/twice", ok)
    fake.complete(copy)
    fake.complete(ok)
    assert guide["sweep"]() == []
    outcomes = dict(guide.query("SELECT request_id, outcome FROM attempts "
                                "WHERE job_key = ?", "test/twice"))
    assert outcomes == {rid: "done", copy: "failed", ok: "done"}
    assert guide.job("test/twice")[0] == "done"
    with guide["transaction"]() as tx:
        assert spent(tx) > before  # both copies count now
    kept = guide.query("SELECT file FROM attempts WHERE request_id = ?", ok)[0][0]
    assert Path(kept).is_file()
    # Read 30A: the job keeps the first kept render's address, and the report prints it once
    first_file = guide.query("SELECT file FROM attempts WHERE request_id = ?", rid)[0][0]
    assert rid in first_file or Path(first_file).name.startswith(rid)
    capsys.readouterr()
    guide["report"]([])
    lines = [line for line in capsys.readouterr().out.splitlines()
             if line.startswith("test/twice:")]
    assert len(lines) == 1 and first_file in lines[0]


def test_a_request_adopted_for_a_failed_job_stops_its_retry(guide):
    """Read 22A: a job failed on a plain 500 may have left a request behind; once a person
    adopts it, the job is 'submitted' and the retry job sends nothing beside it."""
    fake = guide.fake
    guide.ns["WEBHOOK_URL"] = None
    args = {**SHOT, "prompt": "adopted: a bell tower at noon"}
    with guide["transaction"]() as tx:
        tx.execute("INSERT INTO jobs (job_key, endpoint, arguments, video_seconds, state, "
                   "tries, error, failed_at) VALUES ('test/adopted', ?, ?, 0, 'failed', 1, "
                   "'server_error', 0)", (T2V, json.dumps(args)))
    found = fal_client.submit(T2V, arguments=args).request_id  # what the 500 left behind
    guide["adopt"]("test/adopted", found)
    assert guide.job("test/adopted")[0] == "submitted"
    assert guide["retry_job"]("test/adopted", now=10**9) is None
    assert fake.submission_count("adopted") == 1


def test_an_output_block_sends_no_retry_while_an_adopted_copy_is_open(guide):
    """Read 26A: a person adopts a second copy of a job while the first attempt is open;
    the first then ends in an output block. The retry job sends nothing while the copy may
    still bring the video back, and once the copy is kept the job is done."""
    fake = guide.fake
    guide.ns["WEBHOOK_URL"] = None
    fake.polls_to_finish = 10**9  # each render ends when the test says so
    fake.inject(Fault("content_policy", loc="generated_video", match="copied:"))
    first = submit(guide, "test/copied", "copied: a ferris wheel at dusk")
    args = json.loads(guide.query("SELECT arguments FROM jobs WHERE job_key = ?",
                                  "test/copied")[0][0])
    copy = fal_client.submit(T2V, arguments=args).request_id  # fal_client's resend, found
    guide["adopt"]("test/copied", copy)
    fake.complete(first)
    assert guide["sweep"]() == [copy]  # the first is blocked; the copy still renders
    assert guide.job("test/copied")[0] == "blocked"
    assert guide["retry_job"]("test/copied") is None
    assert fake.submission_count("copied:") == 2  # the first and the copy, nothing more
    fake.complete(copy)
    assert guide["sweep"]() == []
    assert guide.job("test/copied")[0] == "done"
    assert guide["retry_job"]("test/copied") is None
    assert fake.submission_count("copied:") == 2


def test_a_job_stays_stuck_while_any_attempt_is_stuck(guide, capsys):
    """Read 63A, 67A: an adopted copy goes stuck, then the job's first attempt ends in an
    output block. The job stays 'stuck' (a person has to look) whatever the other attempt
    came to; adopting another copy does not move it on either; handing back the stuck
    copy makes it 'submitted', and the report prints each attempt with its own reason."""
    fake = guide.fake
    guide.ns["WEBHOOK_URL"] = None
    fake.polls_to_finish = 10**9  # the first render ends when the test says so
    fake.inject(Fault("content_policy", loc="generated_video", match="held:"))
    first = submit(guide, "test/held", "held: a tram in the snow")
    unknown = "00000000-0000-0000-0000-00000000beef"  # a copy fal does not know: a 404
    guide["adopt"]("test/held", unknown)
    assert guide["sweep"]() == [first]
    assert guide.job("test/held")[0] == "stuck"
    fake.complete(first)
    assert guide["sweep"]() == []
    assert guide.job("test/held")[0] == "stuck"  # the block is on the first attempt's row
    args = json.loads(guide.query("SELECT arguments FROM jobs WHERE job_key = ?",
                                  "test/held")[0][0])
    other = fal_client.submit(T2V, arguments=args).request_id  # one more copy, found
    guide["adopt"]("test/held", other)
    assert guide.job("test/held")[0] == "stuck"
    capsys.readouterr()
    guide["report"]([])
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith(f"  test/held {first} blocked (") for line in lines)
    assert any(line.startswith(f"  test/held {unknown} stuck (") and "404" in line
               for line in lines)
    guide["unstick"](unknown)
    assert guide.job("test/held")[:3] == ("submitted", 3, None)
    assert dict(guide.query("SELECT request_id, outcome FROM attempts WHERE job_key = ?",
                            "test/held")) == {first: "blocked", unknown: "pending",
                                              other: "pending"}
    fake.complete(other)
    guide["sweep"]()  # the found copy is kept; the unknown one goes stuck again
    assert guide.job("test/held")[0] == "done"
    assert fake.submission_count("held:") == 2  # the first and the copy found, no retry


def test_an_adopted_copy_counts_toward_the_jobs_attempts(guide):
    """Read 55A: a second copy of a job, adopted, is one of its MAX_ATTEMPTS: when it and
    the first attempt both end in an output block, no third paid attempt goes out."""
    fake = guide.fake
    guide.ns["WEBHOOK_URL"] = None
    fake.polls_to_finish = 10**9  # each render ends when the test says so
    fake.inject(Fault("content_policy", loc="generated_video", match="twice:", count=2))
    first = submit(guide, "test/twice", "twice: a windmill in a storm")
    args = json.loads(guide.query("SELECT arguments FROM jobs WHERE job_key = ?",
                                  "test/twice")[0][0])
    copy = fal_client.submit(T2V, arguments=args).request_id  # fal_client's resend, found
    guide["adopt"]("test/twice", copy)
    assert guide.job("test/twice")[:2] == ("submitted", 2)
    fake.complete(first)
    fake.complete(copy)
    assert guide["sweep"]() == []
    assert guide.job("test/twice")[:2] == ("blocked", 2)
    assert guide["retry_job"]("test/twice") is None
    assert fake.submission_count("twice:") == 2


def test_a_ready_attempt_whose_status_lags_goes_back_to_pending_uncounted(guide):
    """Read 61A: a webhook said done, but fal's status is not COMPLETED yet. finish sends
    the attempt back to 'pending' for the sweeper's status polls (where the age limit
    applies), counts no missed round toward 'stuck', and a later pass keeps the file."""
    fake = guide.fake
    guide.ns["WEBHOOK_URL"] = None
    fake.polls_to_finish = 10**9  # it finishes when the test says so
    rid = submit(guide, "test/lag", "lag: a heron lifting off")
    with guide["transaction"]() as tx:  # what the doorbell writes on a delivery
        tx.execute("UPDATE attempts SET outcome = 'ready' WHERE request_id = ?", (rid,))
    guide["finish"]("test/lag", T2V, rid)
    assert guide.query("SELECT outcome, rounds FROM attempts WHERE request_id = ?",
                       rid) == [("pending", 0)]
    fake.complete(rid)
    assert guide["sweep"]() == []
    assert guide.job("test/lag")[0] == "done" and fake.submission_count("lag:") == 1


def test_a_copy_that_goes_stuck_never_takes_a_kept_job_back(guide):
    """Read 20A: an adopted copy of a job already done can end 'stuck' (fal does not know
    it) and be unstuck by a person; the job stays 'done' throughout, so no retry is ever
    sent for a shot already on disk."""
    fake = guide.fake
    rid = kept_job(guide, "test/kept", "kept: a lantern swinging in the wind")
    unknown = "00000000-0000-0000-0000-00000000c0de"
    guide["adopt"]("test/kept", unknown)
    assert unknown not in guide["sweep"]()
    outcomes = dict(guide.query("SELECT request_id, outcome FROM attempts WHERE job_key = ?",
                                "test/kept"))
    assert outcomes == {rid: "done", unknown: "stuck"}
    assert guide.job("test/kept")[0] == "done"
    guide["unstick"](unknown)
    assert guide.job("test/kept")[0] == "done"
    assert fake.submission_count("kept") == 1


def test_a_pending_attempt_whose_status_cannot_be_read_ends_in_a_recorded_state(guide):
    """A 404 (fal does not know the request) will not change by asking again: the attempt is
    'stuck' at once, with its request id and the reason, for a person."""
    unknown = "00000000-0000-0000-0000-000000000404"
    with guide["transaction"]() as tx:
        tx.execute("INSERT INTO jobs (job_key, endpoint, arguments, video_seconds, state, "
                   "tries) VALUES ('test/unknown', ?, '{}', 0, 'submitted', 1)", (T2V,))
        tx.execute("INSERT INTO attempts (request_id, job_key, submitted_at, arguments, "
                   "estimated_usd, outcome) VALUES (?, 'test/unknown', 0, '{}', 0.5, 'pending')",
                   (unknown,))
    assert unknown not in guide["sweep"]()
    ((outcome, detail),) = guide.query("SELECT outcome, detail FROM attempts WHERE "
                                       "request_id = ?", unknown)
    assert outcome == "stuck" and "http_404" in detail
    assert guide.job("test/unknown")[0] == "stuck"


@pytest.mark.parametrize("kind, reason, fetches", [("no_video", "no_video", 1),
                                                   ("render_error", "render_error", 1)])
def test_a_render_that_failed_is_recorded_not_left_fetching(guide, kind, reason, fetches):
    fake = guide.fake
    fake.inject(kind, match="broken")
    rid = submit(guide, "test/broken", "broken: a glass falling in slow motion")
    fake.complete(rid)
    guide["sweep"]()
    # the sweeper's status poll also rang the doorbell, and the sweeper walks away from an
    # attempt the doorbell claimed first: wait until whichever fetched has recorded it
    guide.wait_state("test/broken", "failed")
    assert guide.job("test/broken")[:3] == ("failed", 1, reason)
    assert guide.attempts("test/broken")[0][1] == "failed"
    assert fake.jobs[rid].result_fetches == fetches  # read once, never sent again
    assert guide["retry_job"]("test/broken") is None
    assert fake.submission_count("broken") == 1


def test_a_queued_submit_may_wait_to_start_as_long_as_the_queue_keeps_it_open(guide):
    """Read 27A: the queue sends every job at once, and fal holds those over the account's
    ceiling in its queue, so its submits carry half of OPEN_AT_MOST as start_timeout, not
    the other guides' ten minutes: a big batch does not time itself out. Read 55A: the
    other half is left to render before the sweeper calls the render stuck."""
    submit(guide, "test/patient", "patient: a queue of boats at a lock")
    (sent,) = [a for a in guide.fake.submit_attempts if "patient:" in a["prompt"]]
    assert guide["OPEN_AT_MOST"] == 24 * 3600
    assert float(sent["start_timeout"]) == guide["START_AT_MOST"] == 12 * 3600


def test_a_failed_render_that_names_a_video_keeps_its_address_on_the_job(guide, capsys):
    """Read 27A: a render fal called failed whose result still names a video: the job is
    failed, its video_url holds the address and the report prints it, for a person to
    decide within fal's 7 days; nothing is sent again."""
    fake = guide.fake
    guide.ns["WEBHOOK_URL"] = None
    fake.inject(Fault("render_error", video=True, match="named:"))
    rid = submit(guide, "test/named", "named: a paper lantern drifting")
    fake.complete(rid)
    guide["sweep"]()
    guide.wait_state("test/named", "failed")
    state, _tries, error, video_url = guide.job("test/named")
    assert (state, error) == ("failed", "render_error")
    assert video_url.startswith(fake.base_url + "/files/")
    capsys.readouterr()
    guide["report"]([])
    assert f"its result still names a video, kept by fal at least 7 days: {video_url}" in \
        capsys.readouterr().out
    assert guide["retry_job"]("test/named") is None and fake.submission_count("named:") == 1


def test_without_a_key_the_retry_job_and_the_sweep_stop_and_change_nothing(guide,
                                                                          monkeypatch):
    """Read 27A: run from a scheduler with no FAL_KEY, the retry job claims nothing (no job
    says 'submitting' when nothing left the machine) and the sweep marks nothing stuck."""
    fake = guide.fake
    guide.ns["WEBHOOK_URL"] = None
    fake.polls_to_finish = 10**9
    fake.inject("server_error", match="keyless:")
    assert submit_nothing(guide, "test/keyless", "keyless: a kite in the rain") is None
    rid = submit(guide, "test/open", "open: a kite at rest")
    before = (guide.job("test/keyless"), guide.attempts("test/open"))
    monkeypatch.delenv("FAL_KEY")
    with pytest.raises(SystemExit, match="no fal key, nothing was sent"):
        guide["retry_job"]("test/keyless", now=10**12)
    with pytest.raises(SystemExit, match="no fal key, nothing was sent"):
        guide["sweep"]()
    assert (guide.job("test/keyless"), guide.attempts("test/open")) == before
    assert guide.attempts("test/open")[0][:2] == (rid, "pending")


def test_a_start_time_that_ran_out_on_a_status_poll_fails_the_job(guide):
    """Read 31A: a 504 naming a timeout on the status poll of a pending attempt is the
    start_timeout running out: the attempt and the job are failed with that reason, as at
    submit, not stuck as an unreadable answer; nothing is sent again."""
    fake = guide.fake
    guide.ns["WEBHOOK_URL"] = None
    fake.polls_to_finish = 10**9
    rid = submit(guide, "test/late", "late: a train that never leaves")
    fake.inject("start_ran_out", on="status", match="late:")
    assert rid not in guide["sweep"]()
    assert guide.attempts("test/late")[0][1] == "failed"
    assert guide.job("test/late")[:3] == ("failed", 1, "start_timeout")
    assert guide["retry_job"]("test/late") is None and fake.submission_count("late:") == 1


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


# -- expert read 2A: C2, D4, D5, D6, D7 ------------------------------------------------------

def test_a_render_that_never_completes_ends_stuck_once_it_is_older_than_the_limit(guide):
    """A status that answers but never says COMPLETED (a cancelled render may never end) is
    followed until the attempt is RENDER_QUEUE_OPEN_HOURS old, then 'stuck' for a person;
    its age comes from the row, never from the clock."""
    fake = guide.fake
    guide.ns["WEBHOOK_URL"] = None
    fake.polls_to_finish = 10**9  # it never finishes
    rid = submit(guide, "test/forever", "forever: a clock with no hands")
    assert rid in guide["sweep"]()  # young: still followed
    with guide["transaction"]() as tx:
        tx.execute("UPDATE attempts SET submitted_at = submitted_at - ? WHERE request_id = ?",
                   (guide["OPEN_AT_MOST"] + 60, rid))
    assert rid not in guide["sweep"]()
    ((outcome, detail),) = guide.query("SELECT outcome, detail FROM attempts WHERE "
                                       "request_id = ?", rid)
    assert outcome == "stuck" and "after its submit" in detail
    assert guide.job("test/forever")[0] == "stuck" and fake.submission_count("forever") == 1


def test_a_gateway_error_at_submit_is_left_submitting_and_counted_by_the_budget(guide):
    """A 503 at submit may have reached fal: the job stays 'submitting' for a person, its
    estimate counts against the budget, and nothing sends it again."""
    fake = guide.fake
    fake.inject("unavailable", match="gateway")
    def spent() -> float:
        with guide["transaction"]() as tx:
            return guide["spending"](tx)

    before = spent()
    assert submit_nothing(guide, "test/gateway", "gateway: a door left ajar") is None
    state, tries, error, _ = guide.job("test/gateway")
    assert state == "submitting" and error.startswith("http_503") and "fal may have" in error
    assert spent() > before  # its estimate counts until a person has looked
    assert guide["retry_job"]("test/gateway") is None
    assert fake.attempt_count("gateway") == 1 and fake.submission_count("gateway") == 0


def test_a_start_timeout_504_at_submit_fails_the_job_as_render_video_does(guide, capsys):
    """Read 25 A3: a 504 that fal_client reads as our start_timeout running out is an answer,
    not a lost one: the queue fails the job with that reason, as the shared render_video
    does, instead of leaving it in 'submitting' for a person to look for."""
    fault = guide.fake.inject("start_ran_out", on="submit", match="ran out:")
    assert submit_nothing(guide, "test/ran-out", "ran out: a lighthouse at dusk") is None
    assert fault.fired == 1  # asked once: fal_client does not try it again
    state, _tries, error, _url = guide.job("test/ran-out")
    assert (state, error) == ("failed", "start_timeout")
    assert "left in 'submitting'" not in capsys.readouterr().out
    assert guide.attempts("test/ran-out") == []


def test_a_plain_500_at_submit_counts_by_the_budget_until_it_is_retried(guide):
    """Read 13A G2: fal does not say whether a plain 500 at submit can leave a request
    behind, so the failed job's estimate counts against the budget."""
    fake = guide.fake
    fake.inject("server_error", match="plain")

    def spent() -> float:
        with guide["transaction"]() as tx:
            return guide["spending"](tx)

    before = spent()
    assert submit_nothing(guide, "test/plain", "plain: a gate in the rain") is None
    assert guide.job("test/plain")[:3] == ("failed", 1, "server_error")
    assert spent() > before


def test_a_404_on_a_ready_attempt_ends_stuck_as_on_a_pending_one(guide):
    """C2: fal does not know the request. Whether the status poll of a pending attempt or
    the fetch of a ready one (the doorbell rang) hears it, the attempt is 'stuck' at once."""
    unknown = "00000000-0000-0000-0000-000000000405"
    with guide["transaction"]() as tx:
        tx.execute("INSERT INTO jobs (job_key, endpoint, arguments, video_seconds, state, tries) "
                   "VALUES ('test/unknown-ready', ?, '{}', 0, 'submitted', 1)", (T2V,))
        tx.execute("INSERT INTO attempts (request_id, job_key, submitted_at, arguments, "
                   "estimated_usd, outcome) VALUES (?, 'test/unknown-ready', 0, '{}', 0.5, "
                   "'ready')", (unknown,))
    assert unknown not in guide["sweep"]()
    ((outcome, detail),) = guide.query("SELECT outcome, detail FROM attempts WHERE "
                                       "request_id = ?", unknown)
    assert outcome == "stuck" and "http_404" in detail
    assert guide.job("test/unknown-ready")[:3] == ("stuck", 1, detail)


@pytest.mark.parametrize("on", ["status", "result"])
def test_an_answer_fal_documents_nowhere_on_a_ready_attempt_ends_stuck_as_on_a_pending_one(
        guide, on):
    """Read 43A: a 410 heard while a ready attempt is polled or fetched (the doorbell rang)
    is handed to a person as 'stuck', as the sweep's own poll of a pending one does, never
    'failed' with no way back; nothing is sent again."""
    fake = guide.fake
    guide.ns["WEBHOOK_URL"] = None
    rid = submit(guide, "test/gone-" + on, f"gone{on}: a gate in the fog")
    fake.complete(rid)
    with guide["transaction"]() as tx:  # as a delivery leaves it
        tx.execute("UPDATE attempts SET outcome = 'ready' WHERE request_id = ?", (rid,))
    fake.inject("gone", on=on, count=-1, match=f"gone{on}")
    assert rid not in guide["sweep"]()
    ((outcome, detail),) = guide.query("SELECT outcome, detail FROM attempts WHERE "
                                       "request_id = ?", rid)
    assert outcome == "stuck" and "http_410" in detail
    assert guide.job("test/gone-" + on)[0] == "stuck"
    assert guide["retry_job"]("test/gone-" + on) is None
    assert fake.submission_count(f"gone{on}") == 1


def test_a_401_on_the_result_of_a_failed_render_stops_the_queue_and_keeps_it_open(guide):
    """Read 28A, 73A: a render that ended COMPLETED with an error is read once for its
    cause; a 401 there is about the key, as anywhere, so the queue stops and the attempt
    stays open; once a person has replaced the key, the next run records the failure."""
    fake = guide.fake
    guide.ns["WEBHOOK_URL"] = None  # only the sweeper follows
    fake.inject("render_error", match="keyed:")
    rid = submit(guide, "test/keyed", "keyed: a door in the wind")
    fake.complete(rid)
    refused = fake.inject("unauthorized", on="result", count=-1, match="keyed:")
    with pytest.raises(RuntimeError, match="refused the key"):
        guide["sweep"]()
    assert guide.attempts("test/keyed")[0][1] == "pending"
    assert guide.job("test/keyed")[0] == "submitted"
    fake.faults.remove(refused)
    guide["queue_stopped"].clear()  # the next run, with a key fal takes
    assert guide["sweep"]() == []
    assert guide.attempts("test/keyed")[0][1] == "failed"
    assert fake.submission_count("keyed:") == 1


@pytest.mark.parametrize("fault, says", [("locked", "locked"),
                                         ("unauthorized", "refused the key")])
@pytest.mark.parametrize("on", ["status", "result"])
def test_a_403_while_following_stops_the_queue_and_leaves_the_attempt_open(guide, on, fault,
                                                                          says):
    """D6: a locked account answers 403 to a status poll or a result fetch too. The queue
    stops, as the page's table says: the sweep raises, nothing more is sent or polled in
    this run, and the attempt stays open for the run after the account is unlocked. Read
    73A: a 401 (a key fal does not take) while following stops it the same way, as at
    submit, rather than handing every open attempt to a person one by one."""
    fake = guide.fake
    guide.ns["WEBHOOK_URL"] = None  # only the sweeper follows, so the test sees every poll
    fake.polls_to_finish = 10**9  # both stay open until the test says otherwise
    rid = submit(guide, "test/locked-" + on, f"locked-{on}: a lamp in a window")
    other = submit(guide, "test/locked-other-" + on, "another open one: a ferry at dusk")
    if on == "result":
        fake.complete(rid)
    fake.inject(Fault(fault, on=on, count=-1, match=f"locked-{on}"))
    with pytest.raises(RuntimeError, match=says):
        guide["sweep"]()
    assert guide.attempts("test/locked-" + on)[0][1] == "pending"  # open, not stuck
    assert guide.job("test/locked-" + on)[0] == "submitted"
    polls = fake.jobs[other].status_polls
    with pytest.raises(RuntimeError, match=says):
        guide["sweep"]()  # the queue stays stopped: nothing else is asked about
    assert fake.jobs[other].status_polls == polls
    submits = fake.attempt_count()
    with pytest.raises(RuntimeError, match=says):
        guide["submit_job"]("test/after-lock", T2V, {**SHOT, "prompt": "after the lock"})
    assert fake.attempt_count() == submits
    assert guide.query("SELECT * FROM jobs WHERE job_key = 'test/after-lock'") == []


def test_a_bug_at_submit_surfaces_and_is_recorded_not_called_no_answer(guide, capsys):
    """D5: only a transport error is 'no answer'. Anything else (here our own arguments,
    which cannot be sent as JSON) is raised to the caller, and the job keeps the error."""
    with guide["transaction"]() as tx:
        tx.execute("INSERT INTO jobs (job_key, endpoint, arguments, video_seconds, state, tries) "
                   "VALUES ('test/bug', ?, ?, 0, 'submitting', 1)", (T2V, json.dumps(SHOT)))
    with pytest.raises(TypeError):
        guide["send_attempt"]("test/bug", T2V, {**SHOT, "prompt": "bug", "tags": {"a"}}, 0.5)
    assert "no answer" not in capsys.readouterr().out
    state, tries, error, _ = guide.job("test/bug")
    assert (state, tries) == ("submitting", 1) and error.startswith("unexpected: TypeError")
    assert guide.fake.attempt_count("bug") == 0
    assert guide["retry_job"]("test/bug") is None


def test_the_budget_counts_a_submit_that_never_heard_back(guide, capsys, quick_client):
    """D4: a job left in 'submitting' may be billed, so the budget counts it at its
    estimate: the next job that would pass the budget with it is not sent."""
    fake = guide.fake
    ((spent,),) = guide.query("SELECT TOTAL(estimated_usd) FROM attempts")
    estimate = guide["attempt_cost"](T2V, SHOT)
    guide.ns["BUDGET_USD"] = spent + 1.5 * estimate  # room for one more, not for two
    fake.inject("drop", count=10, on="submit", match="unheard")
    assert guide["submit_job"]("test/unheard", T2V, {**SHOT, "prompt": "unheard: a bell"}) \
        is None
    assert guide.job("test/unheard")[0] == "submitting"
    capsys.readouterr()
    assert guide["submit_job"]("test/next", T2V, {**SHOT, "prompt": "next: a gong"}) is None
    assert "past its budget" in capsys.readouterr().out
    assert fake.attempt_count("next: a gong") == 0
    assert guide.query("SELECT * FROM jobs WHERE job_key = 'test/next'") == []


def test_the_program_does_not_retry_a_500_at_submit_in_the_run_that_met_it(
        fake_fal, tmp_path, monkeypatch, capsys):
    """D7: 'once, later'. The guide's own retry job, at the end of the run where shot one
    met a plain 500, sends nothing; it says the retry waits RETRY_AFTER seconds."""
    fake_fal.inject("server_error", match="glass bottle of cold brew")
    ran, error = run_guide(fake_fal, tmp_path, monkeypatch)
    try:
        assert error is None, error
        assert ran.job("spring-ad/shot-01")[:3] == ("failed", 1, "server_error")
        assert fake_fal.attempt_count("glass bottle of cold brew") == 1
        assert "spring-ad/shot-01: retry later" in capsys.readouterr().out
    finally:
        stop(ran)


# -- expert read 4A: D3, D4 (the FastAPI split) ----------------------------------------------

def test_the_receiver_module_split_out_as_listed_binds_every_name_it_reads():
    """D4: the recipe lists every definition the receiver's code reads (missed reads
    MAX_ROUNDS): no function of the module, as listed, reads a name it never binds."""
    source = receiver_source()
    assert unbound_globals(source) == {}
    assert "submit_job(" not in source.replace("def submit_job(", "")
    assert "start_receiver(int(" not in source  # the stdlib server is the batch's


def test_the_receiver_module_sends_nothing_and_leaves_a_live_claim_alone(guide, tmp_path):
    """D3: importing the receiver module (uvicorn does, in its own process) submits
    nothing, starts nothing, and does not set back to 'ready' an attempt the batch program
    is fetching at that moment: only the batch program resets claims when it starts."""
    fake = guide.fake
    guide.ns["WEBHOOK_URL"] = None
    rid = submit(guide, "test/live-claim", "live claim: a heron in the reeds")
    with guide["transaction"]() as tx:  # the batch program's finish holds the claim
        tx.execute("UPDATE attempts SET outcome = 'fetching' WHERE request_id = ?", (rid,))
    submits, threads = fake.attempt_count(), threading.active_count()
    receiver = split_receiver(tmp_path)
    try:
        assert guide.attempts("test/live-claim")[0][1] == "fetching"
        assert fake.attempt_count() == submits and threading.active_count() == threads
    finally:
        receiver["db"].close()


def test_two_processes_claiming_one_attempt_fetch_it_once(guide, tmp_path):
    """D3: the receiver in its own process (its own connection and lock on the same
    database file) and the batch program's sweeper reach one finished render at once.
    The receiver has read the attempt open and is about to claim it when the batch asks
    for it too: the batch waits for the receiver's transaction (read 81A: every one takes
    the write lock first), then finds the attempt claimed and walks away."""
    fake = guide.fake
    guide.ns["WEBHOOK_URL"] = None  # the test rings for the receiver itself
    rid = submit(guide, "test/race", "race: two gulls over a pier")
    fake.complete(rid)
    receiver = split_receiver(tmp_path)
    at_claim, go_on, batch_waits = threading.Event(), threading.Event(), threading.Event()

    def pause_at_claim(sql: str) -> None:
        if "SET outcome = 'fetching'" in sql and not at_claim.is_set():
            at_claim.set()
            go_on.wait(30)

    def note_the_wait(sql: str) -> None:
        if sql.startswith("BEGIN IMMEDIATE"):
            batch_waits.set()

    receiver["db"].set_trace_callback(pause_at_claim)
    worker = threading.Thread(target=receiver["finish"], args=("test/race", T2V, rid))
    batch = threading.Thread(target=guide["finish"], args=("test/race", T2V, rid))
    try:
        worker.start()
        assert at_claim.wait(30), "the receiver never reached its claim"
        guide["db"].set_trace_callback(note_the_wait)
        batch.start()  # the batch's sweeper reaches the same render
        assert batch_waits.wait(30), "the batch never asked for the write lock"
    finally:
        go_on.set()
        worker.join(30)
        batch.join(60)
        guide["db"].set_trace_callback(None)
        receiver["db"].close()
    assert not worker.is_alive() and not batch.is_alive()
    assert guide.attempts("test/race")[0][1] == "done"
    assert fake.jobs[rid].result_fetches == 1 and fake.jobs[rid].downloads == 1

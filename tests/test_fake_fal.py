"""The fake fal server against the real, unmodified fal_client (in process)."""

from __future__ import annotations

import subprocess
import time

import fal_client
import httpx
import pytest

#: builds whole sites, renders through the fake fal server or runs every fault
pytestmark = pytest.mark.slow

T2V = "bytedance/seedance-2.0/text-to-video"
FAST_I2V = "bytedance/seedance-2.0/fast/image-to-video"
R2V = "bytedance/seedance-2.0/reference-to-video"
ARGS = {"prompt": "A lighthouse at dawn", "duration": "4", "resolution": "480p",
        "aspect_ratio": "9:16", "generate_audio": True, "seed": 7}


def test_subscribe_streams_queue_updates_and_returns_a_real_mp4(fake_fal, tmp_path):
    # paced by polls, not the clock: a loaded machine cannot skip the IN_PROGRESS updates
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 3
    updates = []
    result = fal_client.subscribe(T2V, arguments=ARGS, with_logs=True,
                                  on_queue_update=updates.append)
    kinds = {type(u).__name__ for u in updates}
    assert {"InProgress", "Completed"} <= kinds
    assert any(u.logs for u in updates if isinstance(u, fal_client.InProgress))
    assert result["seed"] == 7
    video = result["video"]
    assert video["content_type"] == "video/mp4"
    data = httpx.get(video["url"], verify=fake_fal.ssl_context()).content
    assert len(data) == video["file_size"]
    out = tmp_path / "out.mp4"
    out.write_bytes(data)
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries",
         "stream=codec_name,width,height:format=duration",
         "-of", "default=nw=1", str(out)], capture_output=True, text=True, check=True).stdout
    assert "codec_name=h264" in probe and "codec_name=aac" in probe
    assert "width=496" in probe and "height=864" in probe
    assert abs(float(probe.split("duration=")[1].split()[0]) - 4.0) < 0.3


def test_submit_status_result_and_lookup_by_request_id(fake_fal):
    handle = fal_client.submit(FAST_I2V, arguments={
        "prompt": "The product turns", "image_url": "https://example.com/still.png",
        "generate_audio": False, "duration": 5})
    assert isinstance(handle.status(), fal_client.Queued | fal_client.InProgress)
    result = handle.get()
    assert result["video"]["url"].startswith(fake_fal.base_url)
    # fal_client builds /owner/alias/requests/{id} for lookups by id (no sub-path).
    again = fal_client.result(FAST_I2V, handle.request_id)
    assert again == result
    assert isinstance(fal_client.status(FAST_I2V, handle.request_id, with_logs=True),
                      fal_client.Completed)
    assert fake_fal.submission_count() == 1


def test_cancel_and_webhook_submit(fake_fal):
    fake_fal.render_seconds = 5
    handle = fal_client.submit(T2V, arguments=ARGS, webhook_url="https://example.com/hook")
    fal_client.cancel(T2V, handle.request_id)
    assert isinstance(handle.status(), fal_client.Completed)
    assert fake_fal.webhooks == [{"request_id": handle.request_id,
                                  "url": "https://example.com/hook", "delivered": False}]
    with pytest.raises(fal_client.FalClientHTTPError) as err:
        handle.cancel()
    assert err.value.status_code == 400


@pytest.mark.parametrize("endpoint, args, loc", [
    (T2V, {"duration": "5"}, ["body", "prompt"]),
    (T2V, {"prompt": "x", "duration": "20"}, ["body", "duration"]),
    (T2V, {"prompt": "x", "resolution": "1080p"}, ["body", "resolution"]),
    (T2V, {"prompt": "x", "negative_prompt": "blur"}, ["body", "negative_prompt"]),
    (FAST_I2V, {"prompt": "x"}, ["body", "image_url"]),
    (R2V, {"prompt": "x", "audio_urls": ["https://example.com/a.mp3"]}, ["body", "audio_urls"]),
    (R2V, {"prompt": "x", "image_urls": ["https://example.com/i.png"] * 10},
     ["body", "image_urls"]),
])
def test_invalid_input_answers_422_with_a_detail_list(fake_fal, endpoint, args, loc):
    with pytest.raises(fal_client.FalClientHTTPError) as err:
        fal_client.submit(endpoint, arguments=args)
    assert err.value.status_code == 422
    assert loc in [d["loc"] for d in err.value.message]
    assert fake_fal.submission_count() == 0


@pytest.mark.parametrize("loc", ["image_url", "image_urls", "generated_video", "prompt"])
def test_content_policy_violation_arrives_on_the_result_after_completed(fake_fal, loc):
    fake_fal.inject("content_policy", loc=loc)
    handle = fal_client.submit(T2V, arguments=ARGS)
    with pytest.raises(fal_client.FalClientHTTPError) as err:
        handle.get()
    assert isinstance(handle.status(), fal_client.Completed)
    assert err.value.status_code == 422
    (item,) = err.value.message
    assert item["loc"] == ["body", loc]
    assert item["type"] == "content_policy_violation"
    assert item["ctx"]["extra_info"]["reason"] == "partner_validation_failed"


def test_client_rides_out_a_429_burst_and_dropped_connections(fake_fal):
    fake_fal.inject("rate_limit", count=3)
    fake_fal.inject("drop", count=2)
    result = fal_client.subscribe(T2V, arguments=ARGS)
    assert result["seed"] == 7
    assert fake_fal.submission_count() == 1


@pytest.mark.parametrize("kind, status", [("server_error", 500), ("locked", 403)])
def test_plain_500_and_locked_account_fail_at_once(fake_fal, kind, status):
    fake_fal.inject(kind)
    with pytest.raises(fal_client.FalClientHTTPError) as err:
        fal_client.submit(T2V, arguments=ARGS)
    assert err.value.status_code == status
    if kind == "locked":
        assert isinstance(err.value.message, str) and "locked" in err.value.message
    assert fake_fal.submission_count() == 0


def test_requests_without_a_key_are_refused(fake_fal):
    response = httpx.post(f"{fake_fal.base_url}/{T2V}", json=ARGS, verify=fake_fal.ssl_context())
    assert response.status_code == 401
    assert fake_fal.unauthorized == 1


# -- pace and the record the properties are checked against -----------------------------------

def test_the_polls_pace_moves_a_job_on_by_status_polls_not_by_the_clock(fake_fal):
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 3
    handle = fal_client.submit(T2V, arguments=ARGS)
    job = fake_fal.jobs[handle.request_id]
    assert [type(handle.status()).__name__ for _ in range(3)] == [
        "InProgress", "InProgress", "Completed"]
    assert job.completed_seq is not None and job.completed_seq > job.seq
    other = fal_client.submit(T2V, arguments={**ARGS, "prompt": "Another"})
    fake_fal.complete(other.request_id)
    assert isinstance(other.status(), fal_client.Completed)
    assert [s["seq"] for s in fake_fal.submissions] == [job.seq, fake_fal.jobs[
        other.request_id].seq]


def test_every_submit_post_is_recorded_with_what_it_got(fake_fal):
    fake_fal.inject("request_timeout", on="submit")
    fake_fal.inject("conflict", on="submit")
    fake_fal.inject("server_error", after=1, match="lighthouse")
    fal_client.submit(T2V, arguments=ARGS)
    with pytest.raises(fal_client.FalClientHTTPError):
        fal_client.submit(T2V, arguments=ARGS)
    with pytest.raises(fal_client.FalClientHTTPError):
        fal_client.submit(T2V, arguments={**ARGS, "duration": "99"})
    assert [(a["prompt"], a["status"]) for a in fake_fal.submit_attempts] == [
        (ARGS["prompt"], "408"), (ARGS["prompt"], "409"), (ARGS["prompt"], "200"),
        (ARGS["prompt"], "500"), (ARGS["prompt"], "422")]
    assert fake_fal.attempt_count("lighthouse") == 5 and fake_fal.submission_count() == 1


@pytest.mark.parametrize("kind, status", [("rate_limit", 429), ("request_timeout", 408),
                                          ("conflict", 409), ("server_error", 500)])
def test_status_and_result_faults_hit_only_the_request_they_name(fake_fal, kind, status):
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1
    handle = fal_client.submit(T2V, arguments=ARGS)
    fake_fal.inject(kind, on="result", count=-1)
    assert isinstance(handle.status(), fal_client.Completed)  # status polls are untouched
    fake_fal.faults[-1].count = 1 if status != 500 else -1
    if status == 500:  # a plain 500 is not retried by the client
        with pytest.raises(fal_client.FalClientHTTPError) as err:
            fal_client.result(T2V, handle.request_id)
        assert err.value.status_code == 500
    else:  # 408, 409 and 429 are, by the client itself
        assert fal_client.result(T2V, handle.request_id)["video"]["url"]
    job = fake_fal.jobs[handle.request_id]
    assert job.result_fetches >= 1 and fake_fal.submission_count() == 1


def test_a_failed_render_is_completed_with_an_error_and_no_result(fake_fal):
    fake_fal.inject("render_error", error="Render timed out", error_type="request_timeout")
    handle = fal_client.submit(T2V, arguments=ARGS)
    status = fal_client.status(T2V, handle.request_id)
    while not isinstance(status, fal_client.Completed):
        status = fal_client.status(T2V, handle.request_id)
    assert (status.error, status.error_type) == ("Render timed out", "request_timeout")
    with pytest.raises(fal_client.FalClientHTTPError) as err:
        handle.get()
    assert (err.value.status_code, err.value.error_type) == (500, "request_timeout")
    assert err.value.response_headers["x-fal-error-type"] == "request_timeout"


def test_a_result_without_video(fake_fal):
    fake_fal.inject("no_video")
    result = fal_client.subscribe(T2V, arguments=ARGS)
    assert "video" not in result and result["seed"] == 7


def test_a_timeout_holds_the_request_past_the_clients_timeout(fake_fal, quick_client):
    fake_fal.inject("timeout", on="submit")
    handle = fal_client.submit(T2V, arguments=ARGS)  # fal_client retried the hung submit
    assert [a["status"] for a in fake_fal.submit_attempts] == ["timeout", "200"]
    assert fake_fal.submission_count() == 1 and handle.request_id in fake_fal.jobs


# -- the key set and webhook faults -----------------------------------------------------------

def jwks_of(fake) -> httpx.Response:
    return httpx.get(fake.jwks_url, verify=fake.ssl_context())


def test_key_set_faults(fake_fal):
    fake_fal.inject("jwks_not_json")
    fake_fal.inject("jwks_not_ed25519", after=1)
    page = jwks_of(fake_fal)
    assert page.status_code == 200 and page.headers["content-type"] == "text/html"
    with pytest.raises(ValueError):
        page.json()
    good = jwks_of(fake_fal).json()["keys"]
    assert [k["kty"] for k in good] == ["OKP", "OKP"]
    mixed = jwks_of(fake_fal).json()["keys"]
    assert [(k["kty"], k.get("crv")) for k in mixed] == [
        ("RSA", None), ("EC", "P-256"), ("OKP", "Ed25519"), ("OKP", "Ed25519")]
    assert fake_fal.jwks_fetches == 3


@pytest.fixture
def receiver():
    """A bare loopback receiver that answers 200 and keeps what it got, in order."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    got = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            got.append((dict(self.headers), body))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", got
    server.shutdown()
    server.server_close()


def verifies(fake, headers: dict, body: bytes) -> bool:
    import base64

    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    message = fake.signed_message(headers["X-Fal-Webhook-Request-Id"],
                                  headers["X-Fal-Webhook-User-Id"],
                                  headers["X-Fal-Webhook-Timestamp"], body)
    for key in fake.jwks()["keys"]:
        public = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(key["x"] + "=="))
        try:
            public.verify(bytes.fromhex(headers["X-Fal-Webhook-Signature"]), message)
            return True
        except InvalidSignature:
            pass
    return False


def finish(handle) -> None:
    while not isinstance(handle.status(), fal_client.Completed):
        pass


def test_webhook_faults_twice_spoiled_late_and_out_of_order(fake_fal, receiver):
    import json

    url, got = receiver
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1
    for kind, prompt in (("webhook_twice", "twice"), ("webhook_bad_signature", "spoiled"),
                         ("webhook_late", "late"), ("webhook_out_of_order", "order")):
        fake_fal.inject(kind, match=prompt, count=-1)
    handles = {name: fal_client.submit(T2V, arguments={**ARGS, "prompt": name},
                                       webhook_url=url)
               for name in ("twice", "spoiled", "late", "order-1", "order-2", "plain")}
    for handle in handles.values():
        finish(handle)
    deadline = time.monotonic() + 30
    while len(fake_fal.deliveries) < 4:  # the four sent at once, in their own threads
        assert time.monotonic() < deadline, fake_fal.deliveries
        time.sleep(0.01)
    first = {json.loads(body)["request_id"]: (headers, body) for headers, body in got}
    ids = {name: h.request_id for name, h in handles.items()}
    assert [json.loads(b)["request_id"] for _, b in got].count(ids["twice"]) == 2
    assert verifies(fake_fal, *first[ids["twice"]])
    assert verifies(fake_fal, *first[ids["plain"]])
    assert not verifies(fake_fal, *first[ids["spoiled"]])
    held = {ids["late"], ids["order-1"], ids["order-2"]}
    assert not held & set(first)  # held back until the test says so
    assert fake_fal.flush_webhooks() == [200, 200, 200]
    flushed = [json.loads(b)["request_id"] for _, b in got[-3:]]
    assert flushed == [ids["late"], ids["order-2"], ids["order-1"]]
    assert all(verifies(fake_fal, h, b) for h, b in got[-3:])

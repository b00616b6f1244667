"""The fake fal server against the real, unmodified fal_client (in process)."""

from __future__ import annotations

import subprocess

import fal_client
import httpx
import pytest

T2V = "bytedance/seedance-2.0/text-to-video"
FAST_I2V = "bytedance/seedance-2.0/fast/image-to-video"
R2V = "bytedance/seedance-2.0/reference-to-video"
ARGS = {"prompt": "A lighthouse at dawn", "duration": "4", "resolution": "480p",
        "aspect_ratio": "9:16", "generate_audio": True, "seed": 7}


def test_subscribe_streams_queue_updates_and_returns_a_real_mp4(fake_fal, tmp_path):
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

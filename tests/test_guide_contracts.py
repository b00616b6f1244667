"""What the guides' code promises in prose, held to it: run the post's blocks
against the fake fal server, then use the functions they define as a reader
would."""

from __future__ import annotations

import pytest
from conftest import ROOT
from seedpress.content import read_text
from test_guide_code import python_blocks, run_blocks

FALLBACK = ROOT / "posts" / "when-to-fall-back-to-seedance-1-5-pro.md"


@pytest.fixture
def fallback(fake_fal, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return run_blocks(python_blocks(read_text(FALLBACK)), "posts/" + FALLBACK.name)


def test_the_fallback_router_keeps_every_reference_or_refuses_with_a_reason(fallback, fake_fal):
    route, Job = fallback["route"], fallback["Job"]
    refs = {"image_urls": ["https://example.com/a.png", "https://example.com/b.png"],
            "video_urls": ["https://example.com/move.mp4"],
            "audio_urls": ["https://example.com/voice.wav"]}
    endpoint, arguments = route(Job("@Image1 speaks in the voice of @Audio1.", 8, **refs))
    assert endpoint == "bytedance/seedance-2.0/reference-to-video"
    for key, urls in refs.items():
        assert arguments[key] == urls
    for only in refs:  # one kind alone is kept too
        endpoint, arguments = route(Job("A shot.", 6, **{only: refs[only]}))
        assert endpoint.endswith("/reference-to-video") and arguments[only] == refs[only]
    with pytest.raises(ValueError, match="native 1080p and references"):
        route(Job("A shot.", 6, needs_native_1080p=True, **refs))
    with pytest.raises(ValueError, match="split the shot"):
        route(Job("A long shot.", 14, needs_native_1080p=True))
    endpoint, arguments = route(Job("A plain shot.", 10, needs_native_1080p=True))
    assert endpoint.startswith("fal-ai/bytedance/seedance/v1.5/pro/")
    assert arguments["resolution"] == "1080p"
    assert not any(key in arguments for key in refs)


def test_the_routed_reference_job_renders_with_its_references_on_the_fake(fallback, fake_fal):
    import fal_client

    job = fallback["jobs"]["courier spot"]
    endpoint, arguments = fallback["route"](job)
    before = fake_fal.submission_count()
    result = fal_client.subscribe(endpoint, arguments=arguments)
    assert result["video"]["url"]
    assert fake_fal.submission_count() == before + 1
    sent = [j.arguments for j in fake_fal.jobs.values() if j.arguments["prompt"] == job.prompt]
    assert sent and sent[-1]["image_urls"] == job.image_urls
    assert sent[-1]["video_urls"] == job.video_urls

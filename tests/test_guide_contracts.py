"""What the guides' code promises in prose, held to it: run the post's blocks
against the fake fal server, then use the functions they define as a reader
would."""

from __future__ import annotations

import pytest
from seedpress.content import read_text
from support import ROOT
from support.guide_code import python_blocks, run_blocks

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


RULE_OF_12 = ROOT / "posts" / "reference-to-video-rule-of-12.md"


@pytest.fixture
def brief_check(fake_fal, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1
    ns = run_blocks(python_blocks(read_text(RULE_OF_12)), "posts/" + RULE_OF_12.name)
    return ns["preflight"], ns["Ref"]


def test_the_preflight_refuses_every_brief_the_request_validator_refuses(brief_check):
    """The rule-of-12 check says it lists every reason fal would refuse a brief: over a grid
    of counts and lengths it refuses exactly what seedpress.request refuses."""
    from seedpress.pages.data import load_site_data
    from seedpress.request import Request, check_request

    preflight, Ref = brief_check
    data = load_site_data(ROOT)
    limits, pricing = data.models["limits"], data.models["pricing"]
    checked = 0
    for images in range(limits.references["images"] + 2):
        for videos in range(limits.references["videos"] + 2):
            for audio in range(limits.references["audio"] + 2):
                for video_seconds in ((1, 2, 9, 15, 16) if videos else (0,)):
                    for audio_seconds in ((5, 15, 16) if audio else (0,)):
                        refs = ([Ref("image", f"https://example.com/i{n}.png", 0, 1)
                                 for n in range(images)]
                                + [Ref("video", f"https://example.com/v{n}.mp4",
                                       video_seconds / videos, 1) for n in range(videos)]
                                + [Ref("audio", f"https://example.com/a{n}.wav",
                                       audio_seconds / audio, 1) for n in range(audio)])
                        verdict = check_request(limits, pricing, Request(
                            mode="reference", prompt="A shot", images=images, videos=videos,
                            audio=audio, video_seconds=video_seconds,
                            audio_seconds=audio_seconds))
                        assert bool(preflight(refs)) == bool(verdict.errors), (
                            images, videos, audio, video_seconds, audio_seconds,
                            preflight(refs), verdict.errors)
                        checked += 1
    assert checked > 1000


def test_the_preflight_checks_file_sizes_types_and_an_empty_brief(brief_check):
    from seedpress.pages.data import load_site_data

    preflight, Ref = brief_check
    files = load_site_data(ROOT).models["limits"].files
    image_mb = files["image"].limits["max_mb_each"]
    video_mb = files["video"].limits["max_mb_total"]
    audio_mb = files["audio"].limits["max_mb_each"]
    face = Ref("image", "https://example.com/face.png", 0, 1)
    assert preflight([face]) == []
    assert preflight([Ref("image", "https://example.com/big.png", 0, image_mb)]) == []
    assert preflight([Ref("image", "https://example.com/big.png", 0, image_mb + 0.1)]) == [
        f"https://example.com/big.png: over {image_mb} MB"]
    assert preflight([face, Ref("video", "https://example.com/m.mp4", 4, video_mb)])
    assert preflight([face, Ref("audio", "https://example.com/v.wav", 4, audio_mb + 1)])
    assert preflight([]) and "at least one" in preflight([])[0]
    # A signed URL is judged by the file name in its path, not by its query string.
    signed = "https://bucket.example.com/face.PNG?X-Amz-Signature=abc&X-Amz-Expires=3600"
    assert preflight([Ref("image", signed, 0, 1)]) == []
    assert preflight([Ref("image", "https://example.com/face.gif?v=.png", 0, 1)]) == [
        "https://example.com/face.gif?v=.png: not an accepted image format"]
    assert preflight([Ref("sticker", "https://example.com/s.png")]) == [
        "https://example.com/s.png: kind 'sticker' is not image, video or audio"]

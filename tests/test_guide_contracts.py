"""What the guides' code promises in prose, held to it: run the post's blocks
against the fake fal server, then use the functions they define as a reader
would."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from seedpress.content import read_text
from support import ROOT, require_tool
from support.guide_code import BlockFailed, as_a_script, python_blocks, run_blocks
from support.render_queue import file_gone_once_queued, wait_for, when_held

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
    for only in ("image_urls", "video_urls"):  # one kind alone is kept too (audio: below)
        endpoint, arguments = route(Job("A shot.", 6, **{only: refs[only]}))
        assert endpoint.endswith("/reference-to-video") and arguments[only] == refs[only]
    with pytest.raises(ValueError, match="a 1080p render and references"):
        route(Job("A shot.", 6, needs_1080p_render=True, **refs))
    with pytest.raises(ValueError, match="split the shot, or render on 2.0 at 720p and upscale"):
        route(Job("A long shot.", 14, needs_1080p_render=True))
    endpoint, arguments = route(Job("A plain shot.", 10, needs_1080p_render=True))
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


def test_the_fallback_router_refuses_audio_references_with_no_picture(fallback):
    """Read 65C: audio references alone are refused before they are sent (reference-to-video
    needs an image or a video beside them); with an image beside them, they go."""
    Job, route = fallback["Job"], fallback["route"]
    voice = ["https://example.com/refs/voice.wav"]
    with pytest.raises(ValueError, match="audio references need an image or a video"):
        route(Job("The narrator from @Audio1 speaks.", 6, audio_urls=voice))
    endpoint, arguments = route(Job("The courier from @Image1 speaks as @Audio1.", 6,
                                    image_urls=["https://example.com/refs/c.png"],
                                    audio_urls=voice))
    assert endpoint.endswith("/reference-to-video") and arguments["audio_urls"] == voice


def test_the_fallback_router_sends_each_model_only_the_inputs_its_schema_lists(fallback):
    """1.5 Pro gets prompt, duration (a string in its own range, from the data), resolution,
    an explicit aspect ratio, seed when set and camera_fixed only when used; never
    generate_audio, which its input list does not have."""
    from seedpress.pages.data import load_site_data

    route, Job = fallback["route"], fallback["Job"]
    pro = load_site_data(ROOT).models["pricing"].pro15
    assert fallback["SEEDANCE_15_PRO_SECONDS"] == (pro.duration_min, pro.duration_max)
    endpoint, arguments = route(Job("A plain shot.", pro.duration_max, needs_1080p_render=True))
    assert endpoint == "fal-ai/bytedance/seedance/v1.5/pro/text-to-video"
    assert arguments == {"prompt": "A plain shot.", "duration": str(pro.duration_max),
                         "resolution": "1080p", "aspect_ratio": "16:9"}
    endpoint, arguments = route(Job("A still comes alive.", pro.duration_min, aspect_ratio="9:16",
                                    image_url="https://example.com/still.png", seed=7,
                                    camera_fixed=True, needs_1080p_render=True))
    assert endpoint == "fal-ai/bytedance/seedance/v1.5/pro/image-to-video"
    assert arguments == {"prompt": "A still comes alive.", "duration": str(pro.duration_min),
                         "resolution": "1080p", "aspect_ratio": "9:16", "seed": 7,
                         "camera_fixed": True, "image_url": "https://example.com/still.png"}
    # a job that asks for silence is refused, never sent where it could come back with sound
    with pytest.raises(ValueError, match="a silent job cannot move to 1.5 Pro"):
        route(Job("A quiet shot.", pro.duration_min, generate_audio=False,
                  needs_1080p_render=True))
    for seconds in (pro.duration_min - 1, pro.duration_max + 1):
        with pytest.raises(ValueError, match="Seedance 1.5 Pro renders"):
            route(Job("A shot.", seconds, needs_1080p_render=True))
    # Seedance 2.0 gets its own inputs, sound included, and never a 1.x field.
    endpoint, arguments = route(Job("A shot.", 6, seed=3, generate_audio=False))
    assert endpoint == "bytedance/seedance-2.0/text-to-video"
    assert arguments == {"prompt": "A shot.", "duration": "6", "aspect_ratio": "16:9",
                         "seed": 3, "resolution": "720p", "generate_audio": False}
    with pytest.raises(ValueError, match="camera_fixed is a Seedance 1.5 Pro input"):
        route(Job("A shot.", 6, camera_fixed=True))


def test_the_fallback_render_keeps_the_request_id_when_the_result_does_not_come(fallback,
                                                                                fake_fal):
    fallback["BACKOFF_SECONDS"] = 0.001  # this test's patience, not the reader's
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1
    fake_fal.inject("unfetchable", match="lighthouse")
    job = fallback["Job"]("A lighthouse at dusk, waves below.", 5)
    with pytest.raises(fallback["ResultPending"]):
        fallback["render"](job)
    entry = fallback["render_log"][-1]
    (rid,) = [r for r, j in fake_fal.jobs.items() if "lighthouse" in j.arguments["prompt"]]
    assert entry["request_id"] == rid and rid in entry["outcome"]
    assert fake_fal.submission_count("lighthouse") == 1


def test_the_fallback_render_logs_an_overdue_render_with_its_id(fallback, fake_fal):
    """4B D2: a render past RENDER_WITHIN raises Overdue, and the log the page promises
    holds it too: its request id and an outcome that names the id, so it is fetched later,
    never sent again."""
    fallback["RENDER_WITHIN"], fallback["POLL_SECONDS"] = 0, 0.001
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 50
    job = fallback["Job"]("A slow tide over mudflats.", 5)
    with pytest.raises(fallback["Overdue"]):
        fallback["render"](job)
    entry = fallback["render_log"][-1]
    (rid,) = [r for r, j in fake_fal.jobs.items() if "slow tide" in j.arguments["prompt"]]
    assert entry["request_id"] == rid
    assert rid in entry.get("outcome", "") and "not finished" in entry["outcome"]
    assert fake_fal.submission_count("slow tide") == 1


RULE_OF_12 = ROOT / "posts" / "reference-to-video-rule-of-12.md"


@pytest.fixture
def rule_of_12(fake_fal, tmp_path, monkeypatch) -> dict:
    monkeypatch.chdir(tmp_path)
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1
    return run_blocks(python_blocks(read_text(RULE_OF_12)), "posts/" + RULE_OF_12.name)


@pytest.fixture
def brief_check(rule_of_12):
    return rule_of_12["preflight"], rule_of_12["Ref"], rule_of_12["cautions"]


def test_the_preflight_refuses_every_brief_the_request_validator_refuses(brief_check):
    """The rule-of-12 check says it lists every reason fal would refuse a brief: over a grid
    of counts and lengths it refuses exactly what seedpress.request refuses."""
    from seedpress.pages.data import load_site_data
    from seedpress.request import Request, check_request

    preflight, Ref, _ = brief_check
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
    """It refuses by what fal publishes: video and audio formats and sizes, an empty brief.
    fal publishes no formats or size for reference images, so it refuses none for those and
    names them as cautions instead (the start image's limits, the site's cautious guide)."""
    from seedpress.pages.data import load_site_data

    preflight, Ref, cautions = brief_check
    files = load_site_data(ROOT).models["limits"].files
    image_mb = files["image"].limits["max_mb_each"]
    video_mb = files["video"].limits["max_mb_total"]
    audio_mb = files["audio"].limits["max_mb_each"]
    face = Ref("image", "https://example.com/face.png", 0, 1)
    assert preflight([face]) == [] and cautions([face]) == []
    big = Ref("image", "https://example.com/big.png", 0, image_mb + 0.1)
    gif = Ref("image", "https://example.com/face.gif?v=.png", 0, 1)
    assert preflight([big]) == [] and preflight([gif]) == []
    assert cautions([big]) == [f"https://example.com/big.png: over {image_mb} MB, a start "
                               "image's limit"]
    assert cautions([gif]) == ["https://example.com/face.gif?v=.png: not JPEG, PNG or WebP, "
                               "as a start image must be"]
    assert preflight([face, Ref("video", "https://example.com/m.mp4", 4, video_mb)])
    assert preflight([face, Ref("audio", "https://example.com/v.wav", 4, audio_mb + 1)])
    assert preflight([face, Ref("video", "https://example.com/m.webm", 4, 1)]) == [
        "https://example.com/m.webm: not an accepted video format"]
    assert preflight([]) and "no references" in preflight([])[0]
    # A signed URL is judged by the file name in its path, not by its query string.
    signed = "https://bucket.example.com/move.MP4?X-Amz-Signature=abc&X-Amz-Expires=21600"
    assert preflight([face, Ref("video", signed, 4, 1)]) == []
    assert preflight([Ref("sticker", "https://example.com/s.png")]) == [
        "https://example.com/s.png: kind 'sticker' is not image, video or audio"]


def test_the_preflight_never_takes_a_missing_size_or_length_for_zero(brief_check):
    """4B D3: a Ref with no size or length is not a file of 0 MB or 0 s. A video or audio
    file with no length is refused (the published limits on their lengths need it); a file
    with no size passes with a caution that names it, since it is not checked here."""
    from seedpress.pages.data import load_site_data

    preflight, Ref, cautions = brief_check
    files = load_site_data(ROOT).models["limits"].files
    video_mb = files["video"].limits["max_mb_total"]
    face = Ref("image", "https://example.com/face.png")
    clip = "https://example.com/move.mp4"
    voice = "https://example.com/voice.wav"
    assert preflight([face]) == []
    assert cautions([face]) == ["https://example.com/face.png: size not given, so not "
                                "compared with a start image's limit"]
    (untimed,) = preflight([face, Ref("video", clip, megabytes=1)])
    assert untimed.startswith(f"{clip}: length not given")
    (untimed,) = preflight([face, Ref("audio", voice, megabytes=1)])
    assert untimed.startswith(f"{voice}: length not given")
    for ref in (Ref("video", clip, 4), Ref("audio", voice, 4)):
        assert preflight([face, ref]) == [], ref
        assert f"{ref.url}: size not given, not checked here against fal's limit" in cautions(
            [face, ref]), ref
    # the sizes that are given still count: over the total is refused with one unknown
    assert preflight([face, Ref("video", clip, 3), Ref("video", clip, 3, video_mb)])
    # an address with no extension names no type: a caution, never a refusal
    bare = "https://cdn.example.com/clips/8f2c91"
    assert preflight([face, Ref("video", bare, 4, 2)]) == []
    assert f"{bare}: the address names no type, not checked here" in cautions(
        [face, Ref("video", bare, 4, 2)])
    assert preflight([face, Ref("video", "https://example.com/move.avi", 4, 2)])
    bare_image = Ref("image", "https://cdn.example.com/stills/71ab", megabytes=1)
    assert cautions([bare_image]) == [f"{bare_image.url}: the address names no type, "
                                      "not checked here"]  # not called a wrong format


def test_the_worked_brief_derives_its_tags_from_the_brief_and_checks_them(rule_of_12,
                                                                          fake_fal):
    """4B C1: the worked example follows the prompting guide's rule. No @ tag is typed by
    hand: the tags come from the brief's order with the prompting guide's own assign_tags
    and check_prompt, and in the request sent each tag names the file its words describe.
    The page's table of slots is what the code assigns."""
    import ast
    import re

    def rendered(path: Path, helpers: bool = True) -> str:
        return "".join(b.rendered(f"posts/{path.name}:{b.line}")
                       for b in python_blocks(read_text(path)) if helpers or not b.indent)

    tree = ast.parse(rendered(RULE_OF_12))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.FunctionDef) and ast.get_docstring(node)}
    typed = [node.value for node in ast.walk(tree)
             if isinstance(node, ast.Constant) and isinstance(node.value, str)
             and id(node) not in docstrings and re.search(r"@(?:Image|Video|Audio)\d", node.value)]
    assert typed == []  # a tag typed into a string by hand, apart from the lists

    def definitions(path: Path) -> dict[str, str]:
        found = {}
        for node in ast.parse(rendered(path, helpers=False)).body:
            names = ([node.name] if isinstance(node, ast.FunctionDef) else
                     [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)])
            found.update({name: ast.unparse(node) for name in names
                          if name in ("KIND_PREFIX", "assign_tags", "check_prompt")})
        return found

    shared = definitions(RULE_OF_12)
    assert set(shared) == {"KIND_PREFIX", "assign_tags", "check_prompt"}
    assert shared == definitions(ROOT / "posts" / "prompting-multimodal-references.md")
    for page in (RULE_OF_12, ROOT / "posts" / "prompting-multimodal-references.md"):
        assert 'snippet("prompt_tags.py", "tags")' in read_text(page)  # written once

    (job,) = [j for j in fake_fal.jobs.values() if j.endpoint.endswith("/reference-to-video")]
    prompt = job.arguments["prompt"]
    check = rule_of_12["check_prompt"]
    assert check(prompt, rule_of_12["tags"]) == []
    # read 68C: a tag in another case is named as what it is, not as a missing reference
    lowered = prompt.replace("@Image1", "@image1")
    assert check(lowered, rule_of_12["tags"]) == [
        "prompt writes @image1: write it as @Image1, the form fal documents"]
    assert check(prompt + " And @IMAGE9.", rule_of_12["tags"]) == [
        "prompt writes @IMAGE9: write it as @Image9, the form fal documents",
        "prompt names @Image9, which is not attached"]

    def file_named(words: str) -> str:
        kind, n = re.search(re.escape(words) + r" @(Image|Video|Audio)(\d+)", prompt).groups()
        return job.arguments[f"{kind.lower()}_urls"][int(n) - 1].split("?")[0].rsplit("/", 1)[1]

    assert [file_named(w) for w in ("The barista from", "the cup from", "the counter of",
                                    "the push-in of", "the voice of", "the room tone of")] == [
        "barista-front.png", "cup.png", "counter-wide.jpg", "push-in.mp4", "voice.wav",
        "room-tone.mp3"]

    table = re.findall(r"^\| (@\w+) \| (\w+) \| [^|]+\| *(\d*) *\|$", read_text(RULE_OF_12),
                       re.M)
    brief, tags = rule_of_12["brief"], rule_of_12["tags"]
    assert table == [(tags[role], ref.kind, "" if ref.seconds is None else f"{ref.seconds:g}")
                     for role, ref in brief.items()]


def test_the_render_queue_demo_sends_nothing_it_cannot_price(fake_fal, tmp_path, monkeypatch):
    """The page says what its demo renders and what that costs: three renders, the job it
    cannot price refused before anything is sent (no 422 from fal relied on)."""
    from seedpress.pages.data import load_site_data
    from seedpress.pricing import quote
    from support.render_queue import run_guide, stop

    guide, error = run_guide(fake_fal, tmp_path, monkeypatch)
    try:
        assert error is None, error
        assert guide.job("spring-ad/shot-03") == ("rejected", 0, "unpriced", None)
        assert not [a for a in fake_fal.submit_attempts if "Condensation" in a["prompt"]]
        pricing = load_site_data(ROOT).models["pricing"]
        sent = sorted((s["endpoint"], s["arguments"]["aspect_ratio"], s["arguments"]["duration"],
                       s["arguments"]["resolution"]) for s in fake_fal.submissions)
        assert sent == [("bytedance/seedance-2.0/fast/text-to-video", "9:16", "5", "720p"),
                        ("bytedance/seedance-2.0/reference-to-video", "16:9", "5", "720p"),
                        ("bytedance/seedance-2.0/text-to-video", "9:16", "5", "720p")]
        page = (quote(pricing, "bytedance/seedance-2.0/text-to-video", 5, "720p", "9:16").cost_usd
                + quote(pricing, "bytedance/seedance-2.0/fast/text-to-video", 5, "720p",
                        "9:16").cost_usd
                + quote(pricing, "bytedance/seedance-2.0/reference-to-video", 5, "720p", "16:9",
                        6, reference_video=True).cost_usd)
        ((estimated,),) = guide.query("SELECT SUM(estimated_usd) FROM attempts")
        assert estimated == pytest.approx(float(page), rel=1e-12)
    finally:
        stop(guide)


OPERATIONS = ROOT / "posts" / "operating-seedance-on-fal.md"


@pytest.fixture
def operations(fake_fal, quick_client, tmp_path, monkeypatch):
    """The operations guide's program, run once as a reader runs it, in a fresh folder."""
    monkeypatch.chdir(tmp_path)
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1
    ns = run_blocks(python_blocks(read_text(OPERATIONS)), "posts/" + OPERATIONS.name)
    ns["POLL_SECONDS"] = ns["BACKOFF_SECONDS"] = 0.001  # this test's pace, not the reader's
    return ns


def drafts(ns, *names: str) -> dict:
    return {name: {"prompt": f"{name}: a quiet street at dusk", **ns["DRAFT"]} for name in names}


def run_batch(operations, batch: str, *args):
    """The operations guide's sync or async batch, by name, run as the reader runs it."""
    import asyncio

    if batch.endswith("async"):
        return as_a_script(asyncio.run, operations[batch](*args))
    return operations[batch](*args)


def test_the_batch_never_has_more_renders_open_than_it_says(operations, fake_fal):
    """At each submit, the renders submitted before it and not yet seen finished number
    fewer than IN_FLIGHT, and the batch does use its slots. The renders finish only when
    the test finishes them, one at a time, so nothing here races the clock."""
    import threading


    fake_fal.reset()
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 10**9  # done only when completed
    operations["POLL_SECONDS"] = 0.01
    in_flight, names = operations["IN_FLIGHT"], [f"open-{n}" for n in range(6)]
    ended: list = []
    batch = threading.Thread(target=lambda: ended.append(operations["render_batch"](
        drafts(operations, *names), operations["ledger"])))
    batch.start()
    for finished in range(len(names)):
        submitted = min(len(names), in_flight + finished)
        wait_for(lambda n=submitted: len(fake_fal.jobs) >= n, f"{submitted} submits")
        oldest = min((j for j in fake_fal.jobs.values() if not j.finished), key=lambda j: j.seq)
        fake_fal.complete(oldest.request_id)
        wait_for(lambda job=oldest: job.results_served == 1, "the finished render to be fetched")
    batch.join(timeout=30)
    assert ended == [{}]
    jobs = sorted(fake_fal.jobs.values(), key=lambda j: j.seq)
    assert len(jobs) == 6 and all(j.results_served == 1 and j.downloads == 1 for j in jobs)
    open_at_submit = [sum(1 for i in jobs if i.seq < j.seq
                          and (i.completed_seq is None or i.completed_seq > j.seq))
                      for j in jobs]
    assert max(open_at_submit) == in_flight - 1, open_at_submit


def test_a_second_run_sends_and_fetches_nothing_it_already_has(operations, fake_fal):
    ledger = operations["ledger"]
    requests = {name: {"prompt": prompt, **operations["DRAFT"]}
                for name, prompt in operations["SHOTS"].items()}
    before = (fake_fal.attempt_count(), {rid: j.result_fetches for rid, j in fake_fal.jobs.items()})
    assert all(ledger.get(name)["state"] == "kept" for name in requests)
    assert operations["render_batch"](requests, ledger) == {}
    assert (fake_fal.attempt_count(),
            {rid: j.result_fetches for rid, j in fake_fal.jobs.items()}) == before
    # the ledger on disk says the same: every request id with its file and checksum
    import json

    on_disk = json.loads((operations["ledger"].path).read_text())
    for name in requests:
        entry = on_disk[name]
        assert entry["request_id"] in fake_fal.jobs and len(entry["sha256"]) == 64


def test_a_render_whose_result_did_not_come_is_kept_by_the_next_run(operations, fake_fal):
    ledger, render_batch = operations["ledger"], operations["render_batch"]
    fake_fal.inject("server_error", on="result", count=operations["PATIENCE"], match="late-1")
    requests = drafts(operations, "late-1")
    render_batch(requests, ledger)
    entry = ledger.get("late-1")
    assert entry["state"] == "queued" and "fetch it later" in entry["why"]
    render_batch(requests, ledger)
    assert ledger.get("late-1")["state"] == "kept"
    assert fake_fal.submission_count("late-1") == 1


def test_a_file_address_the_server_refuses_is_stuck_at_once_for_a_person(operations, fake_fal):
    """Read 88A: when the file's server refuses a finished render's address (a 404), asking
    again will not change it: the render is 'stuck' after that one run, for a person, as
    in the render queue, never followed again by the next run nor sent again."""
    ledger, render_batch = operations["ledger"], operations["render_batch"]
    requests = drafts(operations, "refused-file-1")
    held = fake_fal.inject("gate", on="result", match="refused-file-1")

    def take_the_file_away() -> None:  # before the result names it: its address answers 404
        with fake_fal.lock:
            for job in fake_fal.jobs.values():
                if "refused-file-1" in job.arguments["prompt"]:
                    job.file_gone = True

    with when_held(held, "the result GET to reach fal", take_the_file_away):
        render_batch(requests, ledger)
    entry = ledger.get("refused-file-1")
    assert entry["state"] == "stuck" and "HTTP 404" in entry["why"]
    (job,) = [j for j in fake_fal.jobs.values() if "refused-file-1" in j.arguments["prompt"]]
    fetches = job.result_fetches
    render_batch(requests, ledger)
    assert job.result_fetches == fetches and fake_fal.submission_count("refused-file-1") == 1


def test_an_overdue_render_is_cancelled_followed_and_never_sent_again(operations, fake_fal):
    ledger, render_batch = operations["ledger"], operations["render_batch"]
    fake_fal.polls_to_finish = 10_000  # it would take for ever
    operations["RENDER_WITHIN"] = 0.05
    requests = drafts(operations, "slow-1")
    render_batch(requests, ledger)
    entry = ledger.get("slow-1")
    (job,) = [j for j in fake_fal.jobs.values() if "slow-1" in j.arguments["prompt"]]
    assert job.cancelled and entry["cancel"] == "accepted"
    # read 12A C2: after its own cancel, follow goes on waiting (AFTER_CANCEL at most), so
    # the render's end is settled in this run, not left for the next
    assert entry["state"] == "no video" and "cancelled" in entry["why"]
    render_batch(requests, ledger)  # a later run leaves it alone
    assert fake_fal.submission_count("slow-1") == 1 and job.cancels == 1


def test_a_render_whose_result_never_comes_ends_stuck_after_max_follows(operations, fake_fal):
    """D8: a finished render whose result (or file) never comes back is followed by the next
    runs, and after MAX_FOLLOWS of them it is 'stuck' in the ledger, with its request id and
    why: no later run asks fal about it again or sends it again."""
    ledger, render_batch = operations["ledger"], operations["render_batch"]
    fake_fal.inject("server_error", on="result", count=-1, match="never-1")
    requests = drafts(operations, "never-1")
    for run in range(1, operations["MAX_FOLLOWS"]):
        render_batch(requests, ledger)
        entry = ledger.get("never-1")
        assert (entry["state"], entry["follows"]) == ("queued", run), entry
    render_batch(requests, ledger)
    entry = ledger.get("never-1")
    assert entry["state"] == "stuck" and "fetch it later" in entry["why"]
    (job,) = [j for j in fake_fal.jobs.values() if "never-1" in j.arguments["prompt"]]
    asked = (job.status_polls, job.result_fetches)
    render_batch(requests, ledger)  # a later run leaves it to a person
    assert ledger.get("never-1")["state"] == "stuck"
    assert (job.status_polls, job.result_fetches) == asked
    assert fake_fal.submission_count("never-1") == 1 and entry["request_id"] == job.request_id


def test_a_cancelled_render_that_never_ends_is_waited_on_briefly_and_cancelled_once(
        operations, fake_fal):
    """G4: what a cancelled request's status says is not documented. If it never reports
    COMPLETED, later runs wait AFTER_CANCEL at most (not RENDER_WITHIN), send no second
    cancel, and after MAX_FOLLOWS runs the render is 'stuck'."""
    ledger, render_batch = operations["ledger"], operations["render_batch"]
    after_cancel = operations["AFTER_CANCEL"]  # the reader's figure, before this test's
    fake_fal.polls_to_finish = 10**9
    fake_fal.cancel_completes = False
    operations["RENDER_WITHIN"] = 0.05
    operations["AFTER_CANCEL"] = 0.05
    requests = drafts(operations, "unending-1")
    render_batch(requests, ledger)
    entry = ledger.get("unending-1")
    assert entry["state"] == "queued" and entry["cancel"] == "accepted"
    (job,) = [j for j in fake_fal.jobs.values() if "unending-1" in j.arguments["prompt"]]
    operations["RENDER_WITHIN"] = 3600  # a later run must not wait this long after a cancel
    for _ in range(operations["MAX_FOLLOWS"] - 1):
        render_batch(requests, ledger)
    assert ledger.get("unending-1")["state"] == "stuck"
    assert job.cancels == 1 and fake_fal.submission_count("unending-1") == 1
    # the page gives both figures in words, as its own choices
    text = read_text(OPERATIONS)
    words = {2: "two", 3: "three", 5: "five", 10: "ten"}
    assert f"({words[operations['MAX_FOLLOWS']]}, our figure)" in text
    assert f"({words[after_cancel // 60]} minutes, our figure)" in text


def test_cancel_reports_the_word_fal_answered(operations, fake_fal):
    cancel, endpoint = operations["cancel_render"], operations["ENDPOINT"]
    done = fal_client_submit(endpoint, "cancel-done")
    operations["wait_for_result"](endpoint, done)
    assert cancel(endpoint, done) == "ALREADY_COMPLETED"
    assert cancel(endpoint, "00000000-0000-0000-0000-000000000000") == "NOT_FOUND"
    queued = fal_client_submit(endpoint, "cancel-queued")
    assert cancel(endpoint, queued) == "accepted"  # a 2xx: fal_client keeps no word


def fal_client_submit(endpoint: str, prompt: str) -> str:
    import fal_client

    return fal_client.submit(endpoint, arguments={"prompt": prompt, "duration": "4",
                                                  "resolution": "480p"}).request_id


def test_the_async_batch_stops_at_a_locked_account_and_runs_in_a_new_loop(operations, fake_fal):
    import asyncio

    fake_fal.inject("locked", count=-1)
    requests = drafts(operations, "locked-1", "locked-2", "locked-3")
    not_sent = as_a_script(asyncio.run,
                           operations["render_batch_async"](requests, operations["ledger"]))
    assert not_sent["locked-1"].reason == "account_locked"
    assert {not_sent[n].reason for n in ("locked-2", "locked-3")} == {"not_sent"}
    assert fake_fal.attempt_count("locked") == 1  # nothing after the 403
    with pytest.raises(SystemExit, match="locked.*once it is unlocked, run this again"):
        operations["stop_if_locked"](not_sent)
    # read 17A: fal queued nothing for the render that met the 403, so it is not settled:
    # once the account is unlocked, the next run sends it with the two never tried
    assert operations["ledger"].get("locked-1")["state"] == "locked"
    fake_fal.faults.clear()
    again = as_a_script(asyncio.run,
                        operations["render_batch_async"](requests, operations["ledger"]))
    assert again == {}
    assert {operations["ledger"].get(n)["state"] for n in requests} == {"kept"}
    assert all(fake_fal.submission_count(requests[n]["prompt"]) == 1 for n in requests)


@pytest.mark.parametrize("batch", ["render_batch", "render_batch_async"])
def test_an_answer_no_client_can_read_at_submit_stops_every_later_submit(operations, fake_fal,
                                                                         batch):
    """Read 49A: a submit answered with a 200 that is not JSON raises in fal_client. The
    entry stays 'submitting' with the error beside it (fal may have the render), no later
    submit goes out, a render already queued is followed and kept, and the run stops."""

    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1
    fake_fal.inject("garbled", on="submit", match=f"{batch}-odd-2")
    requests = drafts(operations, *(f"{batch}-odd-{n}" for n in (1, 2, 3)))
    ledger = operations["ledger"]
    with pytest.raises(ValueError):  # what fal_client raises on a body that is not JSON
        run_batch(operations, batch, requests, ledger)
    first, odd, last = (ledger.get(f"{batch}-odd-{n}") for n in (1, 2, 3))
    assert first["state"] == "kept"
    assert odd["state"] == "submitting" and odd["why"].startswith("unexpected at submit")
    assert last == {} or last.get("state") is None
    assert fake_fal.attempt_count(f"{batch}-odd-3") == 0


@pytest.mark.parametrize("batch", ["render_batch", "render_batch_async"])
def test_a_ledger_that_cannot_be_written_after_a_submit_stops_every_later_submit(
        operations, fake_fal, tmp_path, capsys, batch):
    """Read 52: when the ledger cannot be written as a submit's answer comes back, the
    request id is on screen, the entry on disk still says 'submitting', the run stops with
    the disk's error, and no later submit goes out, in the sync and the async batch."""
    import json


    requests = drafts(operations, *(f"{batch}-disk-{n}" for n in (1, 2)))
    held = fake_fal.inject("gate", on="submit", match=f"{batch}-disk-1")
    full = (tmp_path / "renders.json.part").mkdir  # the ledger's next write meets a directory
    with when_held(held, "the first submit to reach fal", full):
        with pytest.raises(IsADirectoryError):
            run_batch(operations, batch, requests, operations["ledger"])
    (job,) = [j for j in fake_fal.jobs.values() if f"{batch}-disk-1" in j.arguments["prompt"]]
    assert f"{batch}-disk-1: queued as {job.request_id}" in capsys.readouterr().out
    on_disk = json.loads((tmp_path / "renders.json").read_text())
    assert on_disk[f"{batch}-disk-1"]["state"] == "submitting"
    assert fake_fal.attempt_count(f"{batch}-disk-2") == 0


@pytest.mark.parametrize("batch", ["render_batch", "render_batch_async"])
def test_a_ledger_that_cannot_be_written_before_a_submit_stops_the_batch(
        operations, fake_fal, tmp_path, batch):
    """Read 69A: when the ledger cannot take the 'submitting' entry, nothing is sent, the
    render is marked submit_unexpected, so no later render of the batch tries either, and
    the run stops with the disk's error, in the sync and the async batch."""

    requests = drafts(operations, *(f"{batch}-full-{n}" for n in (1, 2)))
    (tmp_path / "renders.json.part").mkdir()  # the ledger's next write meets a directory
    not_sent: dict = {}
    with pytest.raises(IsADirectoryError):
        run_batch(operations, batch, requests, operations["ledger"], not_sent)
    first, second = (f"{batch}-full-{n}" for n in (1, 2))
    assert not_sent[first].reason == "submit_unexpected"
    assert not_sent.get(second) is None or not_sent[second].reason == "not_sent"
    assert fake_fal.attempt_count(first) == fake_fal.attempt_count(second) == 0


def test_a_follow_that_cannot_write_its_outcome_stops_the_sync_batch_too(
        operations, fake_fal, tmp_path):
    """Read 71A: a render's result answers a 410 (fal documents none there) and the ledger
    cannot take that note, nor the note of the error: the sync batch, like the async one,
    stops with the disk's error once its renders are followed, instead of losing it in a
    worker thread."""


    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1
    requests = drafts(operations, "sync-note-1")
    held = fake_fal.inject("gate", on="result", match="sync-note-1", then="gone")
    full = (tmp_path / "renders.json.part").mkdir  # the ledger's next write meets a directory
    with when_held(held, "the result GET to reach fal", full):
        with pytest.raises(IsADirectoryError):
            operations["render_batch"](requests, operations["ledger"])
    assert fake_fal.submission_count("sync-note-1") == 1


@pytest.mark.parametrize("batch, raised, printed", [
    ("render_batch", ValueError, "a follow could not record its render: IsADirectoryError"),
    ("render_batch_async", IsADirectoryError, "also stopped the run: JSONDecodeError"),
])
def test_a_follow_error_is_not_lost_when_a_submit_stops_the_run_first(
        operations, fake_fal, tmp_path, capsys, batch, raised, printed):
    """Read 83A: a submit that meets an answer no client can read stops the run, while a
    render already queued is followed; when that follow cannot write its outcome down
    either, both errors reach the person: one stops the run, the other is printed."""


    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1
    first, second = f"{batch}-both-1", f"{batch}-both-2"
    requests = drafts(operations, first, second)
    fake_fal.inject("garbled", on="submit", match=second)
    held = fake_fal.inject("gate", on="result", match=first, then="gone")
    ledger_file = tmp_path / "renders.json"

    def then() -> None:  # once the second submit's error is on disk, the disk refuses
        wait_for(lambda: ledger_file.exists() and "unexpected at submit" in
                 ledger_file.read_text(), "the second submit's error in the ledger")
        (tmp_path / "renders.json.part").mkdir()  # the next write meets a directory

    with when_held(held, "the first render's result GET to reach fal", then):
        with pytest.raises(raised):
            run_batch(operations, batch, requests, operations["ledger"])
    assert printed in capsys.readouterr().out
    assert fake_fal.submission_count(first) == 1


def operations_stop() -> str:
    """Run the operations guide as a reader does, expecting it to stop: what it says."""
    with pytest.raises(BlockFailed) as stopped:
        run_blocks(python_blocks(read_text(OPERATIONS)), "posts/" + OPERATIONS.name)
    assert isinstance(stopped.value.error, SystemExit), stopped.value
    return str(stopped.value.error)


def test_a_403_heard_while_following_stops_every_later_submit(fake_fal, quick_client,
                                                                tmp_path, monkeypatch):
    """Read 21A: a locked account heard while following a render (not at its submit) is a
    stop too: the program says so, and neither the cancel experiment nor the async batch
    sends anything after it; the render stays 'queued', uncounted, for the next run."""
    import json

    monkeypatch.chdir(tmp_path)
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 2
    fake_fal.inject("locked", on="status", count=-1, match="night market")
    assert "locked" in operations_stop()
    assert fake_fal.attempt_count("paper kite") == 0  # the cancel experiment never went out
    assert fake_fal.attempt_count("orchard") == fake_fal.attempt_count("tram") == 0
    entry = json.loads((tmp_path / "renders.json").read_text())["market-rain"]
    assert entry["state"] == "queued" and entry.get("follows", 0) == 0


def test_a_busy_fal_stops_the_program_before_any_further_submit(fake_fal, quick_client,
                                                                 tmp_path, monkeypatch):
    """Read 11A C2: once fal_client has given up on a 429 at submit, the page says no
    further submit goes out: not the cancel experiment, not the async batch."""
    monkeypatch.chdir(tmp_path)
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1
    fake_fal.inject("rate_limit", on="submit", count=-1, match="night market")
    assert "busy" in operations_stop()
    prompts = [s["arguments"]["prompt"] for s in fake_fal.submissions]
    assert not any("kite" in p or "orchard" in p or "tram" in p for p in prompts), prompts


def test_running_the_whole_program_again_sends_nothing_it_sent_before(operations, fake_fal):
    """The page says so: a second run, the cancel experiment and the async batch included,
    reads renders.json and neither submits nor fetches again what it settled."""
    before = (fake_fal.attempt_count(), {rid: j.result_fetches for rid, j in fake_fal.jobs.items()})
    assert fake_fal.submission_count() == 6  # what the page says the program renders
    again = run_blocks(python_blocks(read_text(OPERATIONS)), "posts/" + OPERATIONS.name)
    assert (fake_fal.attempt_count(),
            {rid: j.result_fetches for rid, j in fake_fal.jobs.items()}) == before
    assert again["ledger"].get("cancel-test")["state"] == "no video"


VERTICAL = ROOT / "posts" / "vertical-product-ad-workflow.md"
STANDARD_I2V = "bytedance/seedance-2.0/image-to-video"


def run_vertical(overrides: dict | None = None) -> dict:
    return run_blocks(python_blocks(read_text(VERTICAL)), "posts/" + VERTICAL.name, overrides)


def drafted(fake_fal, tmp_path, monkeypatch) -> tuple[Path, dict, dict]:
    """The vertical workflow's first run in tmp_path (every draft renders at its first
    poll): its work folder, the picks file it wrote, and its namespace."""
    import json

    monkeypatch.chdir(tmp_path)
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1
    ns = run_vertical()
    work = tmp_path / "vertical-ad"
    return work, json.loads((work / "picks.json").read_text()), ns


@pytest.mark.parametrize("written, said", [
    ('{"bottle-reveal": 23,,}', "picks.json:1:22: not valid JSON (Expecting property name"),
    ("[23, 11]", "picks.json: write it as one object of clip names and seeds"),
])
def test_a_picks_file_that_is_not_an_object_of_seeds_is_named_and_nothing_is_sent(
        fake_fal, quick_client, tmp_path, monkeypatch, written, said):
    """Read 88B: the picks are written by hand, so a typo in picks.json ends the run with
    the file, line and column, not a traceback; nothing is sent again."""
    work, _picks, _ns = drafted(fake_fal, tmp_path, monkeypatch)
    sent = fake_fal.attempt_count()
    (work / "picks.json").write_text(written)
    with pytest.raises(BlockFailed) as stopped:
        run_vertical()
    assert isinstance(stopped.value.error, SystemExit)
    assert said in str(stopped.value.error)
    assert fake_fal.attempt_count() == sent


def test_the_vertical_workflow_stops_for_review_and_renders_only_the_picked_finals(
        fake_fal, quick_client, tmp_path, monkeypatch, capsys):
    """The page says so: the first run renders the drafts, saves their addresses and request
    ids and stops before any final; a person writes the picks; the second run renders a
    final for each picked clip only and pays for no draft again; a third renders nothing."""
    import json

    monkeypatch.chdir(tmp_path)
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1
    run_vertical()
    work = tmp_path / "vertical-ad"
    drafts = json.loads((work / "drafts.json").read_text())
    assert len(drafts) == 24 and fake_fal.submission_count() == 24
    for name, draft in drafts.items():
        job = fake_fal.jobs[draft["request_id"]]
        assert draft["url"].startswith(fake_fal.base_url) and job.results_served == 1, name
        assert f"seed{job.arguments['seed']}" in name
        # kept for the review: the file is on disk, whole, before its URL expires
        assert job.downloads == 1 and Path(draft["path"]).read_bytes()[4:8] == b"ftyp", name
    assert not [j for j in fake_fal.jobs.values() if j.endpoint == STANDARD_I2V]
    printed = capsys.readouterr().out
    assert all(d["request_id"] in printed and d["path"] in printed for d in drafts.values())
    picks = json.loads((work / "picks.json").read_text())
    assert len(picks) == 6 and set(picks.values()) == {None}

    # A person picks four of the six clips; one final will come back without a video.
    picks.update({"bottle-reveal": 23, "earbuds-in_use": 11, "lamp-reveal": 89,
                  "lamp-in_use": 47})
    (work / "picks.json").write_text(json.dumps(picks))
    fake_fal.inject("no_video", count=1)  # the next render: the first final
    with pytest.raises(BlockFailed) as stopped:  # five of six, or three of four: not a pass
        run_vertical()
    assert isinstance(stopped.value.error, SystemExit)
    assert str(stopped.value.error).startswith("not kept yet: bottle-reveal-seed23-final")
    finals = [j for j in fake_fal.jobs.values() if j.endpoint == STANDARD_I2V]
    assert len(finals) == 4 and fake_fal.submission_count() == 28  # no draft sent again
    sent = sorted((j.arguments["image_url"].rsplit("/", 1)[-1], j.arguments["seed"])
                  for j in finals)
    assert sent == [("bottle-9x16.png", 23), ("earbuds-9x16.png", 11), ("lamp-9x16.png", 47),
                    ("lamp-9x16.png", 89)]
    kept = sorted(p.name for p in work.glob("*.mp4"))
    assert kept == ["earbuds-in_use-seed11-final.mp4", "lamp-in_use-seed47-final.mp4",
                    "lamp-reveal-seed89-final.mp4"]  # the failed final lost none of the others
    ledger = json.loads((work / "renders.json").read_text())
    assert ledger["bottle-reveal-seed23-final"]["request_id"] in fake_fal.jobs
    assert ledger["bottle-reveal-seed23-final"]["state"] == "no video"
    assert "bottle-reveal-seed23-final: no video" in capsys.readouterr().out

    downloads = {rid: j.downloads for rid, j in fake_fal.jobs.items()}
    with pytest.raises(BlockFailed, match="not kept yet"):  # a third run: nothing sent,
        run_vertical()  # nothing downloaded again, and the missing final still said
    assert fake_fal.submission_count() == 28
    assert {rid: j.downloads for rid, j in fake_fal.jobs.items()} == downloads


def test_a_reworded_clip_is_drafted_again_alone_under_its_new_name(
        fake_fal, quick_client, tmp_path, monkeypatch, capsys):
    """Read 18A: a clip none of whose takes works gets new wording under a new name in
    REWORDED; only that clip's four drafts are sent, the other clips keep theirs, and the
    new name joins picks.json with no seed while the picks already written stay."""
    import json

    work, picks, _ = drafted(fake_fal, tmp_path, monkeypatch)
    (work / "picks.json").write_text(json.dumps({**picks, "lamp-reveal": 89}))
    text = read_text(VERTICAL)
    assert text.count("REWORDED = {}") == 1
    reworded = text.replace("REWORDED = {}", 'REWORDED = {"bottle-reveal": ("bottle-reveal-2", '
                            '"The bottle stands in morning light, camera circles it once.")}')
    before = set(fake_fal.jobs)
    run_blocks(python_blocks(reworded), "posts/" + VERTICAL.name)
    new = [j for rid, j in fake_fal.jobs.items() if rid not in before]
    drafts = [j for j in new if j.endpoint != STANDARD_I2V]
    assert len(drafts) == 4 and {j.arguments["prompt"] for j in drafts} == {
        "The bottle stands in morning light, camera circles it once."}
    assert {j.arguments["image_url"].rsplit("/", 1)[-1] for j in drafts} == {"bottle-9x16.png"}
    after = json.loads((work / "picks.json").read_text())
    assert after["bottle-reveal-2"] is None and after["lamp-reveal"] == 89
    assert "new: bottle-reveal-2" in capsys.readouterr().out


def test_the_vertical_drafts_go_out_at_most_in_flight_at_a_time(fake_fal, quick_client,
                                                                 tmp_path, monkeypatch):
    """At each draft's submit, the drafts submitted before it and not yet finished number
    fewer than IN_FLIGHT: the 24 drafts go out in rounds, each waited for within its own
    deadline, not all at once under one deadline."""
    monkeypatch.chdir(tmp_path)
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1
    ns = run_vertical()
    jobs = sorted(fake_fal.jobs.values(), key=lambda j: j.seq)
    assert len(jobs) == 24
    open_at_submit = [sum(1 for i in jobs if i.seq < j.seq
                          and (i.completed_seq is None or i.completed_seq > j.seq))
                      for j in jobs]
    assert max(open_at_submit) == ns["IN_FLIGHT"] - 1, open_at_submit


def test_a_changed_pick_gets_a_new_final_named_from_the_seed_it_was_sent_with(
        fake_fal, quick_client, tmp_path, monkeypatch, capsys):
    """A pick changed after its final was sent: the earlier final is reported and kept under
    its own seed, and a new final is rendered and kept under the new seed. Every final's file
    names the seed of the request fal rendered."""
    import json

    work, picks, _ = drafted(fake_fal, tmp_path, monkeypatch)
    (work / "picks.json").write_text(json.dumps({**picks, "bottle-reveal": 23}))
    run_vertical()
    (work / "picks.json").write_text(json.dumps({**picks, "bottle-reveal": 47}))
    capsys.readouterr()
    run_vertical()
    printed = capsys.readouterr().out
    assert "the pick is now seed 47" in printed and "bottle-reveal-seed23-final" in printed
    ledger = json.loads((work / "renders.json").read_text())
    finals = {name: entry for name, entry in ledger.items() if name.endswith("-final")}
    assert set(finals) == {"bottle-reveal-seed23-final", "bottle-reveal-seed47-final"}
    for name, entry in finals.items():
        job = fake_fal.jobs[entry["request_id"]]
        assert job.endpoint == STANDARD_I2V and entry["state"] == "kept"
        assert name == f"bottle-reveal-seed{job.arguments['seed']}-final"
        assert Path(entry["path"]).name == f"{name}.mp4"
        assert Path(entry["path"]).is_file()


def test_a_final_still_open_when_its_pick_is_cleared_is_followed_and_kept(
        fake_fal, quick_client, tmp_path, monkeypatch, capsys):
    """Read 34B: a final sent for a pick that a reviewer then clears is still open (fal has
    not finished it). The next run follows it by its request id and keeps its file, though
    the clip has no pick, and sends nothing new for that clip."""
    import json

    work, picks, _ = drafted(fake_fal, tmp_path, monkeypatch)
    (work / "picks.json").write_text(json.dumps({**picks, "bottle-reveal": 23}))
    draft = json.loads((work / "renders.json").read_text())["bottle-reveal-seed23"]
    prompt = fake_fal.jobs[draft["request_id"]].arguments["prompt"]
    # the final is sent, and its status does not answer in this run
    silent = fake_fal.inject("unavailable", on="status", count=-1, match=prompt)
    with pytest.raises(BlockFailed, match="not kept yet: bottle-reveal-seed23-final"):
        run_vertical({"BACKOFF_SECONDS": 0.001})
    final = json.loads((work / "renders.json").read_text())["bottle-reveal-seed23-final"]
    assert final["state"] == "queued"
    sent = len(fake_fal.jobs)
    (work / "picks.json").write_text(json.dumps({**picks, "bottle-reveal": None}))
    fake_fal.faults.remove(silent)
    capsys.readouterr()
    run_vertical()
    assert "it has no pick this run can render" in capsys.readouterr().out
    kept = json.loads((work / "renders.json").read_text())["bottle-reveal-seed23-final"]
    assert kept["state"] == "kept" and Path(kept["path"]).is_file()
    assert len(fake_fal.jobs) == sent  # nothing new sent


def test_an_earlier_final_whose_submit_got_no_answer_is_named_for_a_look_up(
        fake_fal, quick_client, tmp_path, monkeypatch, capsys):
    """Read 72B: a final sent for an earlier pick that never heard its request id is said
    to be something fal may hold, to look up before a resend; it is not sent, nor followed."""
    import json

    work, picks, _ = drafted(fake_fal, tmp_path, monkeypatch)
    ledger = json.loads((work / "renders.json").read_text())
    ledger["bottle-reveal-seed47-final"] = {"state": "submitting", "why": "no answer"}
    (work / "renders.json").write_text(json.dumps(ledger))
    sent = len(fake_fal.jobs)
    capsys.readouterr()
    run_vertical()
    assert ("bottle-reveal: it has no pick this run can render; bottle-reveal-seed47-final "
            "was sent for an earlier pick (submitting, no request id came back: fal may have "
            "it, so look it up before a resend)") in capsys.readouterr().out
    assert len(fake_fal.jobs) == sent


def test_an_open_final_of_a_renamed_clip_is_still_followed_and_kept(
        fake_fal, quick_client, tmp_path, monkeypatch, capsys):
    """Read 37B: a final still open under a clip name the run no longer plans (the clip
    was renamed for a retake) is followed by its request id and kept, and nothing is sent
    for it again."""
    import json

    import fal_client

    monkeypatch.chdir(tmp_path)
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1
    run_vertical()
    work = tmp_path / "vertical-ad"
    args = {"prompt": "an old wording of the bottle reveal", "seed": 23,
            "image_url": "https://example.com/bottle-9x16.png"}
    rid = fal_client.submit(STANDARD_I2V, arguments=args).request_id  # sent by an earlier run
    ledger = json.loads((work / "renders.json").read_text())
    ledger["bottle-reveal-old-seed23-final"] = {"state": "queued", "request_id": rid}
    (work / "renders.json").write_text(json.dumps(ledger))
    sent = len(fake_fal.jobs)
    capsys.readouterr()
    run_vertical()
    assert "bottle-reveal-old: it has no pick this run can render" in capsys.readouterr().out
    kept = json.loads((work / "renders.json").read_text())["bottle-reveal-old-seed23-final"]
    assert kept["state"] == "kept" and Path(kept["path"]).is_file()
    assert len(fake_fal.jobs) == sent


def test_a_pick_on_a_seed_never_drafted_is_called_a_typo_not_a_lost_draft(
        fake_fal, quick_client, tmp_path, monkeypatch, capsys):
    """Read 38B: a pick of 24 where the drafts ran on 11, 23, 47 and 89 is no draft that
    failed: the run says no draft was rendered on that seed, names the seeds, and sends
    nothing for that clip."""
    import json

    work, picks, ns = drafted(fake_fal, tmp_path, monkeypatch)
    (work / "picks.json").write_text(json.dumps({**picks, "bottle-reveal": 24}))
    sent = len(fake_fal.jobs)
    capsys.readouterr()
    # read 72B: a pick no final can come from fails the run, by name, at the check
    with pytest.raises(BlockFailed, match="no final can come from the pick: bottle-reveal "):
        run_vertical()
    printed = capsys.readouterr().out
    assert f"bottle-reveal: no draft was rendered on seed 24; pick one of {ns['DRAFT_SEEDS']}" \
        in printed
    assert "did not come back" not in printed and len(fake_fal.jobs) == sent


def test_a_403_heard_while_following_drafts_stops_the_vertical_run(
        fake_fal, quick_client, tmp_path, monkeypatch):
    """Read 40B: a locked account heard on a status poll, not at a submit, stops the run
    after the round in hand: no later round of drafts is sent."""
    monkeypatch.chdir(tmp_path)
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1
    fake_fal.inject("locked", on="status", count=-1)
    with pytest.raises(BlockFailed) as stopped:
        run_vertical()
    assert isinstance(stopped.value.error, SystemExit)
    assert "the fal account is locked" in str(stopped.value.error)
    assert len(fake_fal.submissions) == stopped.value.namespace["IN_FLIGHT"]


def test_a_busy_fal_on_a_rerun_sends_nothing_new_and_loses_no_kept_draft(
        fake_fal, quick_client, tmp_path, monkeypatch, capsys):
    """Read 11A C1: on a later run, fal_client gives up on a 429 for the one draft the run
    sends. No new render goes out for the rest of the run, and every draft the ledger
    already holds is still reported as kept, in drafts.json too, never as 'not sent'."""
    import json

    monkeypatch.chdir(tmp_path)
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1
    run_vertical()
    work = tmp_path / "vertical-ad"
    ledger = json.loads((work / "renders.json").read_text())
    first = next(iter(ledger))  # a draft of the first round: sent again on the next run
    del ledger[first]
    (work / "renders.json").write_text(json.dumps(ledger))
    picks = json.loads((work / "picks.json").read_text())  # and a final is due
    (work / "picks.json").write_text(json.dumps({**picks, "lamp-reveal": 89}))
    fake_fal.inject("rate_limit", on="submit", count=-1)
    capsys.readouterr()
    with pytest.raises(BlockFailed, match="not kept yet: lamp-reveal-seed89-final"):
        run_vertical()
    printed = capsys.readouterr().out
    assert fake_fal.submission_count() == 24  # nothing new was queued
    drafts = json.loads((work / "drafts.json").read_text())
    assert set(drafts) == set(ledger) and len(drafts) == 23
    assert "pick another" not in printed
    assert f"{first}: failed: busy" in printed
    # read 13A D1: the stop holds for the whole run, the finals included
    assert not [j for j in fake_fal.jobs.values() if j.endpoint == STANDARD_I2V]
    assert "lamp-reveal-seed89-final: failed: not_sent the batch stopped" in printed


def test_a_pick_written_as_text_is_refused_with_a_message_and_sends_nothing(
        fake_fal, quick_client, tmp_path, monkeypatch, capsys):
    """Read 14A G5: fal's seed is a whole number; a pick typed as "23" is said and skipped,
    never sent to fal as a string."""
    import json

    work, picks, _ = drafted(fake_fal, tmp_path, monkeypatch)
    (work / "picks.json").write_text(json.dumps({**picks, "bottle-reveal": "23"}))
    capsys.readouterr()
    with pytest.raises(BlockFailed, match="no final can come from the pick: bottle-reveal "):
        run_vertical()
    assert "bottle-reveal: the pick '23' is not a seed" in capsys.readouterr().out
    assert not [j for j in fake_fal.jobs.values() if j.endpoint == STANDARD_I2V]


def test_a_final_for_an_earlier_pick_that_had_not_come_back_is_still_kept(
        fake_fal, quick_client, tmp_path, monkeypatch):
    """Read 9A D4: the pick changes while the final sent for the earlier pick has not come
    back. That render is paid for: the next run follows it by its request id and keeps its
    file beside the new final, and sends it to fal no second time."""
    import json

    monkeypatch.chdir(tmp_path)
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1
    quick = {"BACKOFF_SECONDS": 0.001}  # this test's patience, not the reader's
    run_vertical(quick)
    work = tmp_path / "vertical-ad"
    picks = json.loads((work / "picks.json").read_text())
    (work / "picks.json").write_text(json.dumps({**picks, "bottle-reveal": 23}))
    fake_fal.inject("unfetchable")  # the next submit, the final for seed 23: no result yet
    with pytest.raises(BlockFailed, match="not kept yet: bottle-reveal-seed23-final"):
        run_vertical(quick)
    ledger = json.loads((work / "renders.json").read_text())
    earlier = ledger["bottle-reveal-seed23-final"]
    assert earlier["state"] == "queued" and not (work / "bottle-reveal-seed23-final.mp4").exists()
    fake_fal.jobs[earlier["request_id"]].unfetchable = False  # its result answers now
    (work / "picks.json").write_text(json.dumps({**picks, "bottle-reveal": 47}))
    run_vertical(quick)
    ledger = json.loads((work / "renders.json").read_text())
    assert ledger["bottle-reveal-seed23-final"]["state"] == "kept"
    assert (work / "bottle-reveal-seed23-final.mp4").read_bytes()[4:8] == b"ftyp"
    assert ledger["bottle-reveal-seed47-final"]["state"] == "kept"
    assert fake_fal.submission_count() == 24 + 2  # the earlier final was never sent again


def test_the_spec_check_reports_a_missing_or_unreadable_file_and_goes_on(
        fake_fal, quick_client, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1
    ns = run_vertical()
    problems_with = ns["problems_with"]
    assert problems_with(tmp_path / "gone.mp4") == ["no such file"]
    junk = tmp_path / "junk.mp4"
    junk.write_text("not a video")
    (problem,) = problems_with(junk)
    assert problem.startswith("ffprobe cannot read it")
    assert "\n" not in problem  # read 78B: one line, so a FAIL line stays one line


def test_the_spec_check_without_ffprobe_stops_with_a_clear_message_and_keeps_the_finals(
        fake_fal, quick_client, tmp_path, monkeypatch):
    """4A D5: with no ffprobe on PATH, step 5 says so and stops before it checks anything,
    never a FileNotFoundError from deep in the check; the finals are kept and in the ledger,
    so the run after ffprobe is installed renders nothing again and checks them."""
    import json


    work, picks, _ = drafted(fake_fal, tmp_path, monkeypatch)
    (work / "picks.json").write_text(json.dumps({**picks, "bottle-reveal": 23}))
    nothing = tmp_path / "bin-without-ffprobe"
    nothing.mkdir()
    with monkeypatch.context() as no_tools:
        no_tools.setenv("PATH", str(nothing))
        with pytest.raises(BlockFailed) as stopped:
            run_vertical()
    assert isinstance(stopped.value.error, SystemExit), stopped.value
    assert "ffprobe" in str(stopped.value.error) and "install" in str(stopped.value.error)
    assert (work / "bottle-reveal-seed23-final.mp4").is_file()
    submits = fake_fal.submission_count()
    ns = run_vertical()  # ffprobe found again: the kept final is checked, nothing is sent
    assert fake_fal.submission_count() == submits
    assert [p.name for p in ns["finals"]] == ["bottle-reveal-seed23-final.mp4"]
    assert ns["failed"] == {}


CHARACTER = ROOT / "posts" / "image-to-video-character-consistency.md"


def character_run(with_chain: bool) -> dict:
    """The character guide's blocks, as a reader runs them; with_chain also runs the chained
    render, shown compile-only because its upload needs a real key (the test stands in)."""
    import dataclasses

    blocks = python_blocks(read_text(CHARACTER))
    if with_chain:
        blocks = [dataclasses.replace(b, compile_only=False) for b in blocks]
    return run_blocks(blocks, "posts/" + CHARACTER.name)


def chain_ready(fake_fal, tmp_path, monkeypatch) -> None:
    """What a character run with its chained shot needs: ffmpeg, a working folder, the
    upload standing in for fal's storage, and renders that finish on the first poll."""
    import shutil

    import fal_client

    if not shutil.which("ffmpeg"):
        pytest.fail("ffmpeg is needed to extract the last frame")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(fal_client, "upload_file",
                        lambda path: f"https://example.com/uploaded/{path.name}")
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1


def test_every_character_render_goes_through_the_ledger_and_is_kept(fake_fal, quick_client,
                                                                    tmp_path, monkeypatch,
                                                                    capsys):
    """The shot list, the landing shot and the chained shot are each sent once, ever: their
    request ids are in shots.json, every video is kept on disk before its URL expires, and a
    later run sends, fetches and downloads nothing. The chained shot waits for its frame to
    be approved."""
    import json

    chain_ready(fake_fal, tmp_path, monkeypatch)
    first = character_run(with_chain=True)
    # read 67B: the first run takes the frame and waits for a person to approve it
    assert "glance-chained: not sent until you approve walk-last.png" in capsys.readouterr().out
    assert fake_fal.submission_count() == 4
    (tmp_path / "walk-last.approved").touch()
    character_run(with_chain=True)
    renders = ("walk", "glance", "laugh", "landing", "glance-chained")
    ledger = json.loads((tmp_path / "shots.json").read_text())
    assert sorted(ledger) == sorted(renders)
    for name in renders:
        entry = ledger[name]
        assert entry["state"] == "kept" and entry["request_id"] in fake_fal.jobs, name
        assert (tmp_path / f"{name}.mp4").read_bytes()[4:8] == b"ftyp" and entry["path"]
    assert fake_fal.submission_count() == len(renders)
    chained = [j for j in fake_fal.jobs.values() if "walk-last.png" in j.arguments["image_url"]]
    assert len(chained) == 1 and chained[0].request_id == ledger["glance-chained"]["request_id"]
    landing = fake_fal.jobs[ledger["landing"]["request_id"]]
    assert landing.arguments["end_image_url"].endswith("mara-coat-front.png")
    before = {rid: (j.result_fetches, j.downloads) for rid, j in fake_fal.jobs.items()}
    character_run(with_chain=True)
    assert fake_fal.submission_count() == len(renders)
    assert {rid: (j.result_fetches, j.downloads) for rid, j in fake_fal.jobs.items()} == before
    assert set(first["takes"]) == {"walk", "glance", "laugh"}


def test_a_run_stopped_by_a_busy_fal_uploads_no_frame_and_sends_no_chained_shot(
        fake_fal, quick_client, tmp_path, monkeypatch, capsys):
    """Read 66B: fal stays busy (429 after fal_client's own tries) for the landing shot,
    so the run stops submitting; the chained block then says so and neither uploads the
    last frame nor sends the chained shot. A later run sends the chained shot; the busy
    landing shot stays 'refused' in the ledger, for a person to send again."""
    import fal_client

    chain_ready(fake_fal, tmp_path, monkeypatch)
    uploads = []
    monkeypatch.setattr(fal_client, "upload_file",
                        lambda path: uploads.append(path) or f"https://example.com/u/{path.name}")
    busy = fake_fal.inject("rate_limit", on="submit", count=-1, match="lifts her chin")
    character_run(with_chain=True)
    assert "glance-chained: not sent, this run stopped submitting" in capsys.readouterr().out
    assert uploads == [] and (tmp_path / "walk-last.png").exists()
    assert not [j for j in fake_fal.jobs.values() if "image_url" in j.arguments
                and "walk-last" in j.arguments["image_url"]]
    busy.count = 0
    (tmp_path / "walk-last.approved").touch()
    character_run(with_chain=True)
    assert len(uploads) == 1 and fake_fal.submission_count("lifts her chin") == 0
    assert [j for j in fake_fal.jobs.values() if "image_url" in j.arguments
            and "walk-last" in j.arguments["image_url"]]


def test_a_frame_is_sent_only_as_approved_and_a_new_frame_needs_a_new_approval(
        fake_fal, quick_client, tmp_path, monkeypatch, capsys):
    """Read 67B: the page says to check the frame first, so the chained shot waits for
    walk-last.approved; a frame the person picked and approved is sent as it is, not taken
    again; an approval made before a frame was taken does not approve it."""
    import fal_client
    import httpx

    chain_ready(fake_fal, tmp_path, monkeypatch)
    sent = []
    monkeypatch.setattr(fal_client, "upload_file",
                        lambda path: sent.append(path.read_bytes()) or "https://example.com/f.png")
    (tmp_path / "walk-last.approved").touch()  # too early: there is no frame yet
    character_run(with_chain=True)
    assert not (tmp_path / "walk-last.approved").exists() and sent == []
    assert "walk-last.png: look at it" in capsys.readouterr().out
    picked = (tmp_path / "walk-last.png").read_bytes()[:-1] + b"!"  # a frame of their own
    (tmp_path / "walk-last.png").write_bytes(picked)
    (tmp_path / "walk-last.approved").touch()
    # read 75B: an upload that fails is said, and nothing is sent; the next run sends it
    sent_before = fake_fal.submission_count()

    def unreachable(path):
        raise httpx.ConnectError("fal's storage did not answer")

    monkeypatch.setattr(fal_client, "upload_file", unreachable)
    character_run(with_chain=True)
    assert "glance-chained: the frame did not upload (ConnectError(" in capsys.readouterr().out
    assert fake_fal.submission_count() == sent_before

    def unreadable(path):  # read 85B: an answer fal_client cannot read fails the same way
        raise ValueError("Expecting value: line 1 column 1 (char 0)")

    monkeypatch.setattr(fal_client, "upload_file", unreadable)
    character_run(with_chain=True)
    assert "glance-chained: the frame did not upload (ValueError(" in capsys.readouterr().out
    assert fake_fal.submission_count() == sent_before
    monkeypatch.setattr(fal_client, "upload_file",
                        lambda path: sent.append(path.read_bytes()) or "https://example.com/f.png")
    character_run(with_chain=True)
    assert sent == [picked] and "approved: the chained shot starts from it as it is" in \
        capsys.readouterr().out


@pytest.mark.media
def test_the_step_back_command_on_the_page_takes_the_frame_a_second_before_the_end(tmp_path):
    """Read 68B: the command the page gives for stepping back writes the frame one second
    before the end (the script's own -update 1 always ends on the last frame)."""
    ffmpeg = require_tool("ffmpeg")
    (command,) = re.findall(r"`(ffmpeg -y -sseof -1 [^`]+)`", read_text(CHARACTER))
    subprocess.run([ffmpeg, "-v", "error", "-f", "lavfi", "-i",
                    "testsrc=duration=3:size=320x240:rate=24", "-pix_fmt", "yuv420p",
                    str(tmp_path / "walk.mp4")], check=True)
    subprocess.run([ffmpeg, "-v", "error", *command.split()[1:]], cwd=tmp_path, check=True)
    for n, name in ((48, "frame48.png"), (71, "frame71.png")):  # 72 frames: 48 is 1 s back
        subprocess.run([ffmpeg, "-v", "error", "-i", "walk.mp4", "-vf",
                        f"select=eq(n\\,{n})", "-frames:v", "1", name],
                       cwd=tmp_path, check=True)
    picked = (tmp_path / "walk-last.png").read_bytes()
    assert picked == (tmp_path / "frame48.png").read_bytes()
    assert picked != (tmp_path / "frame71.png").read_bytes()


def test_a_walk_take_ffmpeg_cannot_read_is_reported_and_sends_no_chained_shot(
        fake_fal, quick_client, tmp_path, monkeypatch, capsys):
    """Read 28B: when the kept walk take cannot be read, the frame step says so and the
    run goes on without a chained shot, instead of stopping with a traceback. Read 53: the
    frame the first run left behind is not sent in its place."""
    chain_ready(fake_fal, tmp_path, monkeypatch)
    character_run(with_chain=False)
    assert (tmp_path / "walk-last.png").exists()  # left over from the first run
    (tmp_path / "walk.mp4").write_bytes(b"not a video at all")
    capsys.readouterr()
    character_run(with_chain=True)
    assert "no last frame from walk.mp4" in capsys.readouterr().out
    assert not (tmp_path / "walk-last.png").exists()
    assert not [j for j in fake_fal.jobs.values() if "walk-last" in str(j.arguments)]


def test_a_frame_left_from_an_earlier_walk_is_not_sent_when_this_run_has_no_walk_take(
        fake_fal, quick_client, tmp_path, monkeypatch, capsys):
    """Read 53: a walk-last.png on disk from some earlier take does not become the chained
    shot's start image when this run's walk was blocked."""
    chain_ready(fake_fal, tmp_path, monkeypatch)
    (tmp_path / "walk-last.png").write_bytes(b"a frame from another take")
    fake_fal.inject("content_policy", match="She walks toward")
    character_run(with_chain=True)
    assert "no walk take to chain from" in capsys.readouterr().out
    assert not (tmp_path / "walk-last.png").exists()
    assert not [j for j in fake_fal.jobs.values() if "walk-last" in str(j.arguments)]


def test_a_blocked_character_shot_is_reported_from_the_ledger_and_not_fetched_again(
        fake_fal, quick_client, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1
    fake_fal.inject("content_policy", match="She laughs")
    character_run(with_chain=False)
    (blocked,) = [j for j in fake_fal.jobs.values() if "She laughs" in j.arguments["prompt"]]
    assert f"laugh: no video {blocked.request_id}" in capsys.readouterr().out
    fetches = blocked.result_fetches
    character_run(with_chain=False)
    assert f"laugh: no video {blocked.request_id}" in capsys.readouterr().out
    assert blocked.result_fetches == fetches and fake_fal.submission_count("She laughs") == 1


def test_the_character_shots_are_not_paid_for_twice_by_a_second_run(fake_fal, tmp_path,
                                                                    monkeypatch):
    monkeypatch.chdir(tmp_path)
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1
    blocks = python_blocks(read_text(CHARACTER))
    first = run_blocks(blocks, "posts/" + CHARACTER.name)
    shots = set(first["SHOTS"])
    assert {n: fake_fal.submission_count(first["SHOTS"][n][:30]) for n in shots} == {
        n: 1 for n in shots}
    run_blocks(blocks, "posts/" + CHARACTER.name)
    assert {n: fake_fal.submission_count(first["SHOTS"][n][:30]) for n in shots} == {
        n: 1 for n in shots}


DEBUGGING = ROOT / "posts" / "debugging-face-blocks-ip-warnings.md"
AUDIO = ROOT / "posts" / "native-audio-when-to-keep-it-on.md"


def test_the_retry_wrapper_prints_and_files_every_attempts_request_id(
        fake_fal, quick_client, tmp_path, monkeypatch, capsys):
    """An output block, then a good retry: both request ids are printed, and both are in the
    attempt log on disk, each written before its submit, the moment fal queued it and again
    when it ended."""
    import json

    from fakes.fal_server import Fault

    monkeypatch.chdir(tmp_path)
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1
    fake_fal.inject(Fault("content_policy", loc="generated_video"))
    ran = run_blocks(python_blocks(read_text(DEBUGGING)), "posts/" + DEBUGGING.name)
    printed = capsys.readouterr().out
    assert printed.startswith("at most $")  # the offline test prints only when asked
    ran["classify_offline"]()
    assert [line.split()[:2] for line in capsys.readouterr().out.splitlines()] == [
        ["blocked:", "likeness_filter"], ["blocked:", "likeness_filter"],  # read 73B: image_urls
        ["blocked:", "prompt_filter"], ["blocked:", "output_filter"],
        ["failed:", "account_locked"], ["failed:", "busy"]]
    jobs = sorted(fake_fal.jobs.values(), key=lambda j: j.seq)
    assert len(jobs) == 2 and jobs[1].arguments["seed"] == jobs[0].arguments["seed"] + 1
    blocked, good = (j.request_id for j in jobs)
    assert f"attempt 1: {blocked} blocked: output_filter" in printed
    assert f"attempt 2: {good} done" in printed
    lines = [json.loads(line) for line in (tmp_path / "attempts.jsonl").read_text().splitlines()]
    assert [(e["request_id"], e.get("outcome")) for e in lines] == [
        (None, "submitting"), (blocked, "queued"),
        (blocked, "blocked: output_filter generated_video"),
        (None, "submitting"), (good, "queued"), (good, "done")]
    assert [e["attempt"] for e in lines] == [1, 1, 1, 2, 2, 2]
    assert set(lines[0]["inputs"]) == {"image_url"}
    # Read 26B: the references of reference-to-video are hashed one by one too
    hashes = ran["input_hashes"]({"prompt": "p", "image_urls": ["https://a/1.png",
                                                                "https://a/2.png"],
                                  "video_urls": ["https://a/m.mp4"]})
    assert set(hashes) == {"image_urls[0]", "image_urls[1]", "video_urls[0]"}
    assert len(set(hashes.values())) == 3


def overdue_run(post: Path, fake_fal, tmp_path, monkeypatch):
    """Run a guide whose one render never finishes, with no time to wait for it: what it
    stopped with (an Overdue, checked here) and the job the fake holds."""

    monkeypatch.chdir(tmp_path)
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 50
    with pytest.raises(BlockFailed) as stopped:
        run_blocks(python_blocks(read_text(post)), "posts/" + post.name,
                   overrides={"RENDER_WITHIN": 0, "POLL_SECONDS": 0.001})
    assert type(stopped.value.error).__name__ == "Overdue"
    (job,) = fake_fal.jobs.values()
    return stopped.value, job


def test_the_retry_wrapper_gives_up_after_its_deadline_and_keeps_the_id(
        fake_fal, quick_client, tmp_path, monkeypatch):
    import json

    _, job = overdue_run(DEBUGGING, fake_fal, tmp_path, monkeypatch)
    last = json.loads((tmp_path / "attempts.jsonl").read_text().splitlines()[-1])
    assert last["request_id"] == job.request_id and last["outcome"].startswith("overdue")


@pytest.mark.media
def test_the_audio_check_passes_a_track_and_stops_the_script_on_a_silent_one(
        fake_fal, quick_client, tmp_path, monkeypatch, capsys):
    """Read 75B: the sound check ends in a verdict a pipeline can read: a render with its
    sound passes, with the level printed; one that comes back with no audio stream stops
    the script with the reason and a non-zero exit, not only a printed line."""
    require_tool("ffmpeg")
    monkeypatch.chdir(tmp_path)
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1
    ran = run_blocks(python_blocks(read_text(AUDIO)), "posts/" + AUDIO.name)
    assert "dB on average; now listen to the words" in capsys.readouterr().out
    # read 84B: a stream whose length ffprobe does not know reports none, not 0 s, nor a crash
    import subprocess

    unknown = tmp_path / "unknown-length.webm"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=duration=1",
                    "-c:a", "libopus", str(unknown)], check=True)
    report = ran["audio_report"](unknown)
    assert report["audio"] is True and report["seconds"] is None
    made = fake_fal.media.path
    monkeypatch.setattr(fake_fal.media, "path", lambda w, h, s, audio: made(w, h, s, False))
    (tmp_path / "again").mkdir()  # a fresh folder: the first run's file is not this render's
    monkeypatch.chdir(tmp_path / "again")
    with pytest.raises(BlockFailed) as stopped:
        run_blocks(python_blocks(read_text(AUDIO)), "posts/" + AUDIO.name)
    assert isinstance(stopped.value.error, SystemExit)
    assert str(stopped.value.error).endswith(": send this one back: no usable audio")


def test_an_audio_render_whose_file_is_refused_says_not_to_run_the_script_again(
        fake_fal, quick_client, tmp_path, monkeypatch, capsys):
    """Read 76B: the file server refuses the finished render's address (a 404 here). The
    script stops saying the render is paid for, not to run the script again (it would
    render anew), and to fetch the result by the id it printed; it sent one render."""

    monkeypatch.chdir(tmp_path)
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 3

    with file_gone_once_queued(fake_fal), pytest.raises(BlockFailed) as stopped:
        run_blocks(python_blocks(read_text(AUDIO)), "posts/" + AUDIO.name)
    (job,) = fake_fal.jobs.values()
    message = str(stopped.value.error)
    assert isinstance(stopped.value.error, SystemExit) and "HTTP 404" in message
    assert "do not run this script again" in message and "request id printed above" in message
    assert job.request_id in capsys.readouterr().out and fake_fal.submission_count() == 1


def test_the_audio_reference_render_gives_up_after_its_deadline_and_keeps_the_id(
        fake_fal, quick_client, tmp_path, monkeypatch, capsys):
    """The id is on screen before the wait, and the Overdue the script stops with names it
    again, so the render is fetched later, never sent again."""
    stopped, job = overdue_run(AUDIO, fake_fal, tmp_path, monkeypatch)
    assert f"queued {job.request_id} on " in capsys.readouterr().out
    assert str(stopped.error).startswith(f"{job.request_id}: not finished after")
    assert stopped.error.request_id == job.request_id  # read 56C: as an attribute too


# -- what the guides say of fal-client's internals, held to the installed fal-client ---------

def test_the_operations_guide_states_fal_client_as_its_installed_source_has_it():
    """F1/D9: every figure the page reads from fal_client/client.py is the installed
    fal-client's, by the constant's name; an upgrade that changes one fails here."""
    import dataclasses
    import importlib.metadata
    import inspect
    import re

    import fal_client
    import fal_client.client as c
    from fal_client._headers import REQUEST_TIMEOUT_HEADER

    text = read_text(OPERATIONS)
    version = importlib.metadata.version("fal-client")
    assert f"fal-client {version}" in text
    assert f"https://pypi.org/project/fal-client/{version}/" in text
    assert "`fal_client/client.py`" in text
    # the retries
    assert f"up to {c.MAX_ATTEMPTS} tries" in text
    assert f"`MAX_ATTEMPTS = {c.MAX_ATTEMPTS}`" in text
    assert f"`BASE_DELAY = {c.BASE_DELAY:g}`" in text and f"{c.BASE_DELAY:g} seconds" in text
    assert f"`MAX_DELAY = {c.MAX_DELAY:g}`" in text and f"longer than {c.MAX_DELAY:g} s" in text
    assert c.RETRY_CODES == [408, 409, 429] and "408, 409 or 429 (`RETRY_CODES`)" in text
    assert c.INGRESS_ERROR_CODES == [502, 503, 504]
    assert "502, 503 or 504 (`INGRESS_ERROR_CODES`)" in text
    assert "random.uniform(0.5, 1.5)" in inspect.getsource(c._get_retry_delay)
    assert "between 0.5 and 1.5" in text
    base, cap = re.search(r"_get_retry_delay\(attempt, ([\d.]+), ([\d.]+),",
                          inspect.getsource(c._async_maybe_retry_request)).groups()
    assert f"{float(base):g} s and {float(cap):g} s)" in text
    assert f"no single wait longer than {float(cap):g} s instead of {c.MAX_DELAY:g} s" in text
    # the window the page works out: MAX_ATTEMPTS answers, one jittered wait between each two
    waits = [min(c.BASE_DELAY * 2 ** (n - 1), c.MAX_DELAY) for n in range(1, c.MAX_ATTEMPTS)]
    shortest, longest = sum(0.5 * w for w in waits), sum(min(1.5 * w, c.MAX_DELAY) for w in waits)
    assert f"between about {shortest:.0f} and {longest:.0f} seconds" in text
    # polling and timeouts
    assert f"`DEFAULT_QUEUE_POLL_INTERVAL = {c.DEFAULT_QUEUE_POLL_INTERVAL:g}`" in text
    assert f"every {c.DEFAULT_QUEUE_POLL_INTERVAL:g} seconds" in text
    default = {f.name: f.default for f in dataclasses.fields(fal_client.SyncClient)}
    assert default["default_timeout"] == 120.0 and "`default_timeout: float = 120.0`" in text
    assert {f.name: f.default for f in dataclasses.fields(fal_client.AsyncClient)}[
        "default_timeout"] == 120.0
    poll = c.QUEUE_POLL_TIMEOUT
    assert f"`QUEUE_POLL_TIMEOUT`, {poll.read:g} s to read and {poll.connect:g} s to connect" \
        in text
    assert f"`_BACKUP_DOMAIN_CONNECT_TIMEOUT = {c._BACKUP_DOMAIN_CONNECT_TIMEOUT}`" in text
    assert f"gets {c._BACKUP_DOMAIN_CONNECT_TIMEOUT:g} s at most" in text
    assert c._BACKUP_DOMAINS["queue.fal.run"] == "queue.falrun.com"
    assert "`queue.fal.run`" in text and "`queue.falrun.com` (`_BACKUP_DOMAINS`)" in text
    assert "firewall" not in text  # what the code does, and no advice beyond it
    assert f"the header `{REQUEST_TIMEOUT_HEADER}` (`REQUEST_TIMEOUT_HEADER`" in text
    # D9: what the page's own code relies on is there in the installed client
    for submit in (fal_client.SyncClient.submit, fal_client.AsyncClient.submit):
        assert "start_timeout" in inspect.signature(submit).parameters
    assert "start_timeout" in inspect.signature(fal_client.submit).parameters
    assert "response" in {f.name for f in dataclasses.fields(c.FalClientHTTPError)}


def test_the_debugging_guide_names_the_error_fields_of_the_installed_fal_client():
    """F2: the fields the page lists, in the order the constructor takes them."""
    import dataclasses
    import importlib.metadata

    from fal_client.client import FalClientHTTPError

    text = read_text(ROOT / "posts" / "debugging-face-blocks-ip-warnings.md")
    version = importlib.metadata.version("fal-client")
    fields = [f.name for f in dataclasses.fields(FalClientHTTPError)]
    listed = ", ".join(f"`{name}`" for name in fields[:-1]) + f" and `{fields[-1]}`"
    assert f"fields, in order, are {listed}" in text
    assert f"https://pypi.org/project/fal-client/{version}/" in text


def test_the_queue_and_the_operations_batch_each_say_their_429_policy_and_why():
    """G2: each guide states which policy it takes when fal_client gives up on a 429 (the
    queue: that job only; the batch: stop submitting), why, and that both follow the rule."""
    def paragraph(text: str, phrase: str) -> str:
        (found,) = [p for p in text.split("\n\n") if phrase in p]
        return found

    queue = paragraph(read_text(ROOT / "posts" / "production-render-queue.md"),
                      "marks that one job `failed` (`busy`) and goes on with the others")
    batch = paragraph(read_text(OPERATIONS), "This batch stops because")
    assert "operating-seedance-on-fal.md" in queue and "rules.md#retries" in queue
    assert "production-render-queue.md#retries-that-do-not-pay-twice" in batch
    assert "rules.md#retries" in batch
    assert "ceiling as a queue, not a refusal" in queue and "no job table" in batch

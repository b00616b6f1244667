"""The gallery: clips.yml, plan, refresh against the fake fal server, faults, page.

The refresh runs as the real CLI in a subprocess (``seedpress gallery ...``)
with the environment the ``fake_fal`` fixture sets (FAL_QUEUE_RUN_HOST,
SSL_CERT_FILE, a dummy FAL_KEY), so fal_client is imported fresh and talks to
the fake server exactly as it would to fal.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from seedpress.content.clips import load_clips
from seedpress.gallery.manifest import load_manifest, parse_manifest
from support import BIN, ROOT, TODAY, mkdocs_build, require_tool
from support.guide_code import python_blocks, run_blocks

#: builds whole sites, renders through the fake fal server or runs every fault
pytestmark = pytest.mark.slow

CLIP_IDS = ["chef-pass-window", "headphone-pedestal", "lighthouse-dawn",
            "server-room-rollback", "falcon-launch", "synth-desk"]
FAST = {"SEEDPRESS_FAL_POLL_SECONDS": "0.05", "SEEDPRESS_FAL_BACKOFF_SECONDS": "0.05",
        "SEEDPRESS_FAL_ATTEMPTS": "3"}


@pytest.fixture(autouse=True)
def _media_tools():
    require_tool("ffmpeg")
    require_tool("ffprobe")


def gallery_project(dest: Path) -> Path:
    """What the gallery commands read: pricing, clips, manifest and media."""
    for part in ("data", "gallery", "docs/gallery-media"):
        shutil.copytree(ROOT / part, dest / part,
                        ignore=shutil.ignore_patterns(".journal"))
    return dest


@pytest.fixture
def project(tmp_path) -> Path:
    return gallery_project(tmp_path / "project")


def seedpress(root: Path, *args: str, env: dict | None = None,
              timeout: float = 240) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **FAST}
    full_env.pop("GITHUB_STEP_SUMMARY", None)
    full_env.update(env or {})
    return subprocess.run([str(BIN / "seedpress"), *args, "--root", str(root)],
                          capture_output=True, text=True, timeout=timeout, env=full_env)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every manifest and media byte, to prove a failed run changed nothing."""
    files = [root / "gallery" / "manifest.json", *sorted((root / "docs/gallery-media").iterdir())]
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in files}


def manifest_of(root: Path) -> dict:
    return json.loads((root / "gallery" / "manifest.json").read_text())


# -- clips.yml and its errors -------------------------------------------------------

def test_the_six_showcase_clips_load_with_their_endpoints():
    gallery = load_clips(ROOT)
    assert [c.id for c in gallery.clips] == CLIP_IDS
    assert all(c.endpoint.startswith("bytedance/seedance-2.0/") for c in gallery.clips)
    chef = gallery.clip("chef-pass-window")
    assert chef.arguments["duration"] == "5"  # fal's schema is a string enum
    assert "Tonight, the kitchen opens at seven." in chef.prompt


@pytest.mark.parametrize("old, new, message", [
    ("      duration: 5\n", "      duration: 20\n",
     "SP602 clip chef-pass-window: duration 20 is not whole seconds from 4 to 15"),
    ("      seed: 42\n", "      seed: 42\n      negative_prompt: blur\n",
     "SP608 clip chef-pass-window: 'negative_prompt' is a Seedance 1.x input"),
    ("endpoint: bytedance/seedance-2.0/text-to-video\n    inputs:\n      prompt: >-\n"
     "        A chef",
     "endpoint: bytedance/seedance-2.0/image-to-video\n    inputs:\n      prompt: >-\n"
     "        A chef", "SP608 clip chef-pass-window: image-to-video input needs 'image_url'"),
    ('      aspect_ratio: "16:9"\n      generate_audio: true\n      seed: 42\n',
     '      aspect_ratio: "auto"\n      generate_audio: true\n      seed: 42\n',
     "SP604 clip chef-pass-window: aspect ratio 'auto' is not one of"),
    ("  - id: headphone-pedestal", "  - id: chef-pass-window",
     "SP007 clip id 'chef-pass-window' is used twice"),
])
def test_a_bad_clip_is_reported_with_file_and_line(project, old, new, message):
    path = project / "gallery" / "clips.yml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    result = seedpress(project, "gallery", "plan")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    match = re.search(r"gallery/clips\.yml:(\d+):\d+: (SP\d\d\d .*)", result.stderr)
    assert match, result.stderr
    assert message in match[2]
    line = int(match[1])
    assert 1 < line <= len(text.splitlines()) + 1


def test_reference_rules_come_from_the_endpoint(project):
    path = project / "gallery" / "clips.yml"
    path.write_text(path.read_text() + """
  - id: rule-of-twelve
    title: Refs
    alt: A test clip.
    endpoint: bytedance/seedance-2.0/reference-to-video
    inputs:
      prompt: The voice of @Audio1 over the room in @Image1.
      duration: 5
      resolution: 480p
      aspect_ratio: "16:9"
      generate_audio: true
      seed: 1
      audio_urls: [https://example.com/a.mp3]
""")
    result = seedpress(project, "gallery", "plan")
    assert result.returncode == 2
    assert "audio references need an image or a video beside them" in result.stderr
    assert re.search(r"clips\.yml:1\d\d:1: SP607", result.stderr)


# -- plan ---------------------------------------------------------------------------

def test_plan_says_what_would_render_why_and_what_it_costs(project):
    result = seedpress(project, "gallery", "plan")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.count("placeholder: no render from fal yet") == 6
    assert "chef-pass-window: bytedance/seedance-2.0/text-to-video, 5 s 720p 16:9, est. $1.51" \
        in out
    assert "6 of 6 clips would render, estimated $10.84 (budget $15.00)" in out


def test_plan_notices_changed_inputs_missing_and_corrupt_media_and_age(project):
    manifest = manifest_of(project)
    for entry in manifest["clips"].values():
        entry["source"] = "fal"
        entry["request_id"] = "req-old"
    manifest["clips"]["falcon-launch"]["rendered"] = "2026-01-01"
    (project / "gallery" / "manifest.json").write_text(json.dumps(manifest))
    clips = project / "gallery" / "clips.yml"
    clips.write_text(clips.read_text().replace("seed: 7\n", "seed: 8\n"))
    files = manifest["clips"]
    (project / files["lighthouse-dawn"]["files"]["video"]["path"]).unlink()
    (project / files["synth-desk"]["files"]["poster"]["path"]).write_bytes(b"not a webp")
    out = seedpress(project, "gallery", "plan", "--today", TODAY.isoformat()).stdout
    assert "keep    chef-pass-window: up to date" in out
    assert "inputs changed since the last render" in out.split("headphone-pedestal")[1]
    assert re.search(r"lighthouse-dawn.*\n.*media missing: docs/gallery-media/lighthouse", out)
    assert re.search(r"synth-desk.*\n.*media corrupt: docs/gallery-media/synth-desk.*webp", out)
    age = (TODAY - dt.date(2026, 1, 1)).days
    assert f"stale: rendered 2026-01-01, {age} days ago (max_age_days is 180)" in out
    assert "4 of 6 clips would render" in out


# -- refresh against the fake fal server ------------------------------------------------

def test_clean_run_renders_six_and_a_second_run_submits_nothing(fake_fal, project_copy):
    before = manifest_of(project_copy)
    result = seedpress(project_copy, "gallery", "refresh", "--concurrency", "6")
    assert result.returncode == 0, result.stdout + result.stderr
    assert fake_fal.submission_count() == 6
    after = manifest_of(project_copy)
    assert set(after["clips"]) == set(CLIP_IDS)
    returned = {s["request_id"] for s in fake_fal.submissions}
    for clip_id, entry in after["clips"].items():
        assert entry["source"] == "fal"
        assert entry["request_id"] in returned
        assert entry["rendered"] == TODAY.isoformat()
        assert entry["source_url"].startswith(fake_fal.base_url + "/files/")
        assert entry["files"] != before["clips"][clip_id]["files"]
    # The old placeholder files are gone, the new ones match their records.
    assert load_manifest(project_copy).referenced() == {
        p.relative_to(project_copy).as_posix()
        for p in (project_copy / "docs/gallery-media").iterdir()}
    plan = seedpress(project_copy, "gallery", "plan").stdout
    assert plan.count("up to date") == 6
    assert "[chef-pass-window    ] submitted: request" in result.stderr  # plain lines, no tty
    assert "Estimated spend: $10.84 of a $15.00 budget; 6 installed, 0 not." in result.stdout

    again = seedpress(project_copy, "gallery", "refresh")
    assert again.returncode == 0
    assert "nothing to render" in again.stdout
    assert fake_fal.submission_count() == 6

    # The key never shows: not in output, not in any file, not in the built site.
    key = os.environ["FAL_KEY"]
    site = project_copy / "site-out"
    build = mkdocs_build(project_copy, site)
    assert build.returncode == 0, build.stderr
    page = (site / "gallery" / "index.html").read_text()
    assert page.count('data-source="fal"') == 6 and "Placeholder" not in page
    for text in (result.stdout, result.stderr, again.stdout, again.stderr, build.stdout,
                 build.stderr):
        assert key not in text
    for path in project_copy.rglob("*"):
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path


def test_a_killed_run_resumes_without_submitting_twice(fake_fal, project):
    fake_fal.render_seconds = 30
    proc = subprocess.Popen(
        [str(BIN / "seedpress"), "gallery", "refresh", "--concurrency", "6", "--root",
         str(project)], env={**os.environ, **FAST}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    journal = project / "gallery" / ".journal"
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            records = [json.loads(p.read_text()) for p in journal.glob("*.json")]
            if len(records) == 6 and all(r["request_id"] for r in records):
                break
            time.sleep(0.05)
        else:
            pytest.fail("the refresh never journalled six request ids")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    assert fake_fal.submission_count() == 6
    journalled = {r["clip"]: r["request_id"] for r in records}
    # The manifest is whole and still the old one.
    parse_manifest((project / "gallery/manifest.json").read_text(), Path("manifest.json"))
    assert all(e["source"] == "placeholder" for e in manifest_of(project)["clips"].values())

    fake_fal.render_seconds = 0.3
    for job in fake_fal.jobs.values():
        job.render_seconds = 0.3
    result = seedpress(project, "gallery", "refresh", "--concurrency", "6")
    assert result.returncode == 0, result.stdout + result.stderr
    assert fake_fal.submission_count() == 6
    assert "resuming request" in result.stderr
    after = manifest_of(project)["clips"]
    assert {cid: e["request_id"] for cid, e in after.items()} == journalled
    assert not list(journal.glob("*.json"))


TWO = ["--only", "chef-pass-window", "--only", "headphone-pedestal"]


@pytest.mark.parametrize("loc", ["image_url", "image_urls", "generated_video", "prompt"])
def test_content_policy_rejection_keeps_the_clip_and_is_not_retried_blindly(
        fake_fal, project, loc):
    fake_fal.inject("content_policy", loc=loc, match="A chef in a professional kitchen")
    before = manifest_of(project)["clips"]["chef-pass-window"]
    result = seedpress(project, "gallery", "refresh", *TWO)
    assert result.returncode == 1
    out = result.stdout + result.stderr
    assert f"content policy rejection at {loc} (partner_validation_failed)" in out
    assert {"image_url": "AI-generated portrait", "image_urls": "AI-generated portraits",
            "generated_video": "try another seed, a shorter duration or a looser prompt",
            "prompt": "loosen the prompt"}[loc] in out
    assert re.search(r"chef-pass-window +rejected", result.stdout)
    after = manifest_of(project)["clips"]
    assert after["chef-pass-window"]["files"] == before["files"]
    assert after["chef-pass-window"]["source"] == "placeholder"
    assert after["chef-pass-window"]["rejected"]["loc"] == loc
    assert after["headphone-pedestal"]["source"] == "fal"  # the other clip went through
    assert fake_fal.submission_count("A chef") == 1

    again = seedpress(project, "gallery", "refresh", *TWO)
    assert again.returncode == 0
    assert "hold    chef-pass-window" in again.stdout
    assert fake_fal.submission_count("A chef") == 1


@pytest.mark.parametrize("kind, count", [("rate_limit", 3), ("drop", 3), ("server_error", 1)])
def test_transient_faults_are_ridden_out(fake_fal, project, kind, count):
    fake_fal.inject(kind, count=count)
    result = seedpress(project, "gallery", "refresh", *TWO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert all(manifest_of(project)["clips"][c]["source"] == "fal" for c in TWO[1::2])
    assert fake_fal.submission_count() == 2


def test_a_persistent_server_error_fails_and_changes_nothing(fake_fal, project):
    fake_fal.inject("server_error", count=-1)
    before = snapshot(project)
    result = seedpress(project, "gallery", "refresh", *TWO)
    assert result.returncode == 1
    assert "fal answered 500" in result.stderr
    assert "run the refresh again later; finished clips are kept" in result.stdout
    assert snapshot(project) == before


def test_a_locked_account_stops_the_run_and_changes_nothing(fake_fal, project):
    fake_fal.inject("locked", count=-1)
    before = snapshot(project)
    result = seedpress(project, "gallery", "refresh", "--concurrency", "1")
    assert result.returncode == 1
    assert "fal refused the request (403): User is locked" in result.stderr
    assert "top it up at fal.ai/dashboard/billing" in result.stdout
    assert result.stdout.count("not started: the run was stopped") == 5
    assert fake_fal.submission_count() == 0
    assert snapshot(project) == before


def test_a_slow_render_past_the_wait_limit_is_resumed_next_time(fake_fal, project):
    fake_fal.inject("slow", seconds=4, match="A chef in a professional kitchen")
    before = snapshot(project)["gallery/manifest.json"]
    result = seedpress(project, "gallery", "refresh", *TWO, env={"SEEDPRESS_FAL_MAX_WAIT": "1"})
    assert result.returncode == 1
    assert "did not finish within 1 s; the next run resumes it" in result.stderr
    clips = manifest_of(project)["clips"]
    assert clips["chef-pass-window"] == json.loads(before)["clips"]["chef-pass-window"]
    assert clips["headphone-pedestal"]["source"] == "fal"
    again = seedpress(project, "gallery", "refresh", *TWO)  # polls until the render is done
    assert again.returncode == 0, again.stderr
    assert "resuming request" in again.stderr
    assert fake_fal.submission_count("A chef") == 1
    assert manifest_of(project)["clips"]["chef-pass-window"]["source"] == "fal"


def test_budget_refusal_and_dry_run_submit_nothing(fake_fal, project):
    before = snapshot(project)
    refused = seedpress(project, "gallery", "refresh", "--budget", "5")
    assert refused.returncode == 2
    assert ("refusing to start: the estimate $10.84 exceeds the budget $5.00; raise --budget "
            "or render fewer clips with --only ID") in refused.stderr
    dry = seedpress(project, "gallery", "refresh", "--dry-run")
    assert dry.returncode == 0
    assert "6 of 6 clips would render" in dry.stdout and "dry run: nothing submitted" in dry.stdout
    assert fake_fal.submission_count() == 0
    assert snapshot(project) == before
    for budget in ("nan", "inf", "-1"):
        refused = seedpress(project, "gallery", "refresh", "--budget", budget)
        assert refused.returncode == 2 and "Traceback" not in refused.stderr
        assert "the budget must be a finite number of USD" in refused.stderr
    refused = seedpress(project, "gallery", "refresh", env={"SEEDPRESS_GALLERY_BUDGET": "nan"})
    assert refused.returncode == 2 and "finite number" in refused.stderr
    assert fake_fal.submission_count() == 0
    assert snapshot(project) == before


def test_cost_summary_goes_to_the_github_step_summary(fake_fal, project, tmp_path):
    summary = tmp_path / "summary.md"
    result = seedpress(project, "gallery", "refresh", "--only", "synth-desk",
                       env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 0, result.stderr
    text = summary.read_text()
    assert "| synth-desk | rendered | $1.45 |" in text
    assert "Estimated spend: $1.45 of a $15.00 budget" in text


def test_without_fal_key_refresh_says_what_to_set(project, monkeypatch):
    monkeypatch.delenv("FAL_KEY", raising=False)
    result = seedpress(project, "gallery", "refresh")
    assert result.returncode == 2
    assert "FAL_KEY is not set" in result.stderr and "Traceback" not in result.stderr


# -- placeholders ---------------------------------------------------------------------

def test_placeholders_fill_only_clips_without_a_render(project):
    manifest = manifest_of(project)
    manifest["clips"]["synth-desk"]["source"] = "fal"
    (project / "gallery" / "manifest.json").write_text(json.dumps(manifest))
    clips = project / "gallery" / "clips.yml"
    clips.write_text(clips.read_text() + """
  - id: quiet-harbour
    title: Harbour
    alt: Boats rock in a harbour at night.
    endpoint: bytedance/seedance-2.0/fast/text-to-video
    inputs:
      prompt: Boats rock gently in a harbour at night.
      duration: 4
      resolution: 480p
      aspect_ratio: "4:3"
      generate_audio: false
      seed: 5
""")
    result = seedpress(project, "gallery", "placeholders")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "placeholder: quiet-harbour"
    entry = manifest_of(project)["clips"]["quiet-harbour"]
    assert entry["source"] == "placeholder" and entry["request_id"] is None
    assert manifest_of(project)["clips"]["synth-desk"]["source"] == "fal"
    video = project / entry["files"]["video"]["path"]
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries",
                            "stream=codec_type,codec_name:format=duration", "-of",
                            "default=nw=1", str(video)], capture_output=True, text=True).stdout
    assert "codec_name=h264" in probe and "codec_type=audio" not in probe
    assert abs(float(probe.split("duration=")[1].split()[0]) - 4) < 0.3


def test_committed_placeholders_are_small_and_match_the_manifest():
    manifest = load_manifest(ROOT)
    assert set(manifest.clips) == set(CLIP_IDS)
    total = 0
    for entry in manifest.clips.values():
        for stored in entry.files.values():
            assert stored.problem(ROOT) is None
            total += stored.bytes
    assert total < 400_000


# -- the page ---------------------------------------------------------------------------

def test_gallery_page_shows_each_clip_with_prompt_inputs_cost_and_label(built_site):
    page = (built_site / "gallery" / "index.html").read_text()
    figures = re.findall(r'<figure class="sp-clip".*?</figure>', page, re.S)
    assert len(figures) == 6
    gallery = load_clips(ROOT)
    manifest = load_manifest(ROOT)
    for clip, figure in zip(gallery.clips, figures, strict=True):
        video = re.search(r"<video ([^>]*)>", figure)[1]
        for attr in ('preload="none"', "controls", "playsinline", "poster="):
            assert attr in video
        assert "muted" not in video
        assert html.escape(clip.prompt) in figure
        for text in (clip.endpoint, f"{clip.duration} s", clip.resolution, clip.aspect_ratio,
                     f"<dd>{clip.seed}</dd>"):
            assert text in figure
        poster = re.search(r'poster="\.\./([^"]+)"', video)[1]
        assert (built_site / poster).is_file()
        if manifest.clips[clip.id].source == "placeholder":
            assert '<span class="sp-clip__badge">Placeholder</span>' in figure
    assert "<dd>$1.51 <span" in figures[0]  # 5 s at 720p 16:9, standard: from the formula


def test_the_reproduce_snippet_on_the_page_runs_against_fal(built_site, fake_fal, tmp_path,
                                                            monkeypatch):
    page = (built_site / "gallery" / "index.html").read_text()
    tabs = [html.unescape(re.sub(r"<[^>]+>", "", b)) for b in re.findall(
        r'<div class="tabbed-block">\s*<div class="highlight"><pre>(.*?)</pre>', page, re.S)]
    assert len(tabs) == 12  # Python, then TypeScript, per clip
    assert all('import { ApiError, fal } from "@fal-ai/client";' in t for t in tabs[1::2])
    code = tabs[4]
    monkeypatch.chdir(tmp_path)
    run_blocks(python_blocks(f"```python\n{code}\n```\n"), "gallery/index.html")
    (sent,) = fake_fal.submissions
    clip = load_clips(ROOT).clip("lighthouse-dawn")
    assert sent["endpoint"] == clip.endpoint and sent["arguments"] == clip.arguments
    (rid,) = fake_fal.jobs  # read 16B: the card keeps the file, as its comment says
    assert [p.name for p in tmp_path.iterdir()] == [f"{rid}.mp4"]


def test_manifest_dates_are_real_dates():
    for entry in load_manifest(ROOT).clips.values():
        assert dt.date.fromisoformat(entry.rendered) <= TODAY




# -- progress and the workflow ----------------------------------------------------------

def test_progress_draws_a_bar_in_a_terminal_and_lines_elsewhere():
    import io

    from seedpress.gallery.progress import Progress

    tty = io.StringIO()
    bar = Progress(["a", "b"], stream=tty, bar=True)
    bar.event("a", "submitted", "request 1")
    bar.event("a", "installed")
    bar.close()
    assert "gallery [############............] 1/2 done, 0 in flight, 0 failed" in tty.getvalue()
    assert "\r\x1b[2K" in tty.getvalue()
    plain = io.StringIO()
    lines = Progress(["a"], stream=plain, bar=False)
    lines.event("a", "queued", "position 0")
    assert plain.getvalue() == "[a] queued: position 0\n"


def test_the_gallery_workflow_refreshes_on_schedule_and_by_hand_within_a_budget():
    import yaml

    flow = yaml.safe_load((ROOT / ".github/workflows/gallery.yml").read_text())
    triggers = flow.get("on", flow.get(True))
    assert triggers["schedule"] and "budget" in triggers["workflow_dispatch"]["inputs"]
    steps = flow["jobs"]["refresh"]["steps"]
    # the key itself reaches one step (the first only learns whether it is set)
    with_key = [s for s in steps if "${{ secrets.FAL_KEY }}" in (s.get("env") or {}).values()]
    assert len(with_key) == 1 and with_key[0]["env"]["FAL_KEY"] == "${{ secrets.FAL_KEY }}"
    assert "seedpress gallery refresh" in with_key[0]["run"]
    assert with_key[0]["env"]["SEEDPRESS_GALLERY_BUDGET"] == "${{ inputs.budget }}"
    pr = next(s for s in steps if s.get("uses", "").startswith("peter-evans/create-pull-request@"))
    assert "gallery/manifest.json" in pr["with"]["add-paths"]
    assert "docs/gallery-media" in pr["with"]["add-paths"]


def test_the_budget_can_come_from_the_environment(project):
    result = seedpress(project, "gallery", "refresh", "--dry-run",
                       env={"SEEDPRESS_GALLERY_BUDGET": "2.5"})
    assert result.returncode == 2
    assert "exceeds the budget $2.50" in result.stderr

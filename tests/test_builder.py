"""The request builder's JavaScript and seedpress.request agree on a grid of requests.

docs/assets/seedance.js runs in node on the JSON that the build writes
(assets/pricing.json); for every request of the grid its checkRequest must
give what check_request gives in Python: the status, the error and warning
sentences in order (with their codes), the endpoint, the arguments, the price
and the rule, and its emitters the same JSON, cURL, Python, TypeScript and
webhook text, byte for byte. Its quote, the estimator's, must refuse what
pricing.quote refuses with the same message, word for word.

A request goes to node as JSON: a seed that is a Python int as a string of
digits (so that seeds past 2**53 stay exact), a float seed as {"float": x}
and a text seed as {"text": s}; seconds that are a Fraction as their text
("7.25", "3/2") and seconds that are a float as a JSON number.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest
from seedpress import pricing as P
from seedpress.content.call import CATALOGUE
from seedpress.content.limits import SEED_MAX
from seedpress.content.pricing import load_pricing
from seedpress.pages.builder_markup import DEFAULT_REQUEST
from seedpress.pages.pricing_markup import estimator_json
from seedpress.request import BUILDER_FIELDS, Request, check_request
from seedpress.snippets import all_code
from support import ROOT, require_tool
from support.render_queue import file_gone_once_queued

VERIFY = "https://example.org/guide/#verify"

RUNNER = """
const core = require(process.argv[2]);
const fs = require("fs");
const data = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const requests = JSON.parse(fs.readFileSync(process.argv[4], "utf8"));
const picks = JSON.parse(fs.readFileSync(process.argv[5], "utf8"));
const out = requests.map((request) => {
  try {
    const v = core.checkRequest(data, request);
    return {
      status: v.status, errors: v.errors, warnings: v.warnings, endpoint: v.endpoint,
      price: v.price, rule: v.rule, codes: v.reasons.map((r) => r.code),
      code: core.allCode(data, v.endpoint, v.arguments, process.argv[6]),
    };
  } catch (err) { return { crash: String(err && err.stack || err) }; }
});
const quotes = picks.map((pick) => {
  try { return { display: core.quote(data, pick).display }; }
  catch (err) { return { error: err.message }; }
});
process.stdout.write(JSON.stringify({ requests: out, quotes }));
"""

MODES = ("text", "image", "reference", "video")
TIERS = ("standard", "fast", "turbo")
RESOLUTIONS = ("480p", "720p", "1080p", "4k")
RATIOS = ("auto", "16:9", "9:16", "21:9", "1:1", "2:1")
DURATIONS = ("auto", "3", "4", "5", "15", "16")
SEEDS = (None, 0, 42, -1, SEED_MAX, SEED_MAX + 1, 10**20, 1.5)
PROMPTS = (
    "",
    "   ",
    "\ufeff",  # JavaScript's trim() calls it whitespace, Python's strip() does not
    "\x1c\x85",  # the other way round
    "A falcon lands on a fence post at dawn.",
    "@Image1 turns to the camera while @Video1 sets the pace; @Audio1 plays.",
    "@Image2 and @Image1 walk; @Image10 waves. @Video3 \u00e9t\u00e9 @Audio2 \U0001F3AC",
    "@Image0 and @image1 and @Video01 and @Audio\u0661",  # @Audio with an Arabic-Indic 1
    # read 85C: a tag in another case names its file and is said; only ASCII letters count
    "@IMAGE2 and @image2, @vIdEo1, @Audio1, @image2 again; \u0130mage1 @\u0131mage1 @Im\u0101ge1",
    'Quotes " and \\ backslash,\nnew line,\ttab, \x07 bell, \x1f unit, \x7f delete, \r, '
    '\x08\x0c, \u2028 separator.',
    "@Image9 @Image8 @Image7 @Image6 @Image5 @Image4 @Image3 @Image2 @Image1",
    "@Video99999999999999999999 is a long way off",
)
#: file addresses a reader may type: good, wrong type, signed, data:, no URL at all
URLS = (
    "", "https://cdn.example.org/shots/keeper.png", " https://host/spaced.jpeg\n",
    "https://s3.example.org/a/b/clip.MP4?X-Amz-Signature=ab.gif&x=1", "http://host/voice.wav#t=3",
    "ftp://host/a.png", "https://host/image.gif", "https://host/noext", "https://host/f.php?i=1.png",
    "data:image/png;base64,AAAA", "data:image/gif;base64,AAAA", "data:,hello", "data:;base64,xx",
    "not a url", "https://", "https://host/a b.png", "HTTPS://HOST/UPPER.JPEG",
    "https://host/folder.png/file", "https://host/track.mov", "https://host/track.m4a",
    "https://example.com/your-image-1.png", "data: Video/MP4 ;base64,AAAA",
)
#: (images, videos, audio, video_seconds, audio_seconds) for the main grid
REFERENCES = (
    (0, 0, 0, 0, 0), (1, 0, 0, 0, 0), (2, 1, 1, 3, 5), (0, 0, 1, 0, 4), (0, 1, 0, "2", 0),
    (9, 3, 0, "15", 0), (10, 0, 0, 0, 0), (9, 3, 1, 6, 2), (4, 2, 3, "7.25", "15"),
)


def _grid() -> list[tuple[Request, dict]]:
    """(Python request, the same request as node receives it)."""
    requests: list[Request] = []
    cycle = itertools.count()
    # every endpoint kind, tier, resolution, aspect ratio and duration, known or not
    for mode, tier, res, ratio, duration in itertools.product(MODES, TIERS, RESOLUTIONS,
                                                              RATIOS, DURATIONS):
        i = next(cycle)
        images, videos, audio, vs, aus = REFERENCES[i % len(REFERENCES)]
        requests.append(Request(
            mode=mode, tier=tier, resolution=res, aspect_ratio=ratio, duration=duration,
            generate_audio=i % 2 == 0, end_image=i % 3 == 0, seed=SEEDS[i % len(SEEDS)],
            prompt=PROMPTS[i % len(PROMPTS)], images=images, videos=videos, audio=audio,
            video_seconds=vs, audio_seconds=aus))
    # reference counts and seconds around each limit
    base = Request(mode="reference", resolution="720p", aspect_ratio="9:16", duration="8",
                   seed=7, prompt="@Image1 walks past @Video1 to @Audio1.")
    video_seconds = (0, "1.9", 2, 2.1, "15", "15.001", "15.5", "7.25", "1/3", 1234567.5,
                     -2.5)
    audio_seconds = (0, "15", "15.1", 16)
    for j, (images, videos, audio, vs, aus) in enumerate(itertools.product(
            (0, 1, 8, 9, 10), (0, 1, 3, 4), (0, 1, 3, 4), video_seconds, audio_seconds)):
        requests.append(replace(base, tier=TIERS[j % 2], images=images, videos=videos,
                                audio=audio, video_seconds=vs, audio_seconds=aus,
                                resolution=("720p", "480p", "1080p")[j % 3]))
    # prompts against attachments, every kind
    for mode, prompt, (images, videos, audio) in itertools.product(
            MODES[:3], PROMPTS, ((0, 0, 0), (1, 0, 0), (2, 1, 1), (9, 3, 0), (0, 2, 0))):
        requests.append(replace(base, mode=mode, prompt=prompt, images=images, videos=videos,
                                audio=audio, video_seconds=4, audio_seconds=3))
    # odd durations, seeds and a negative count
    for k, duration in enumerate(("05", "\u0665", "\uff11\uff15", "", "4.5", "auto ", "abc",
                                  "99999999999999999999", "0", "-5")):
        requests.append(replace(base, duration=duration, seed=SEEDS[k % len(SEEDS)]))
    for seed in SEEDS:
        requests.append(replace(base, seed=seed, mode="text"))
    # counts and seconds that are not what they must be
    for images, videos, audio in ((-1, 0, 0), (1.5, 1, 0), (None, 1, 1), (True, 0, 1),
                                  (2, -3, 0), (1, 0, 2.0)):
        requests.append(replace(base, images=images, videos=videos, audio=audio))
    for vs, aus in ((None, 0), (True, 0), (-0.5, 3), (4, -1), (4, None), ("-1/3", 2)):
        requests.append(replace(base, images=1, videos=1, audio=1, video_seconds=vs,
                                audio_seconds=aus))
        requests.append(replace(base, mode="text", video_seconds=vs, audio_seconds=aus))
    # seeds as a form sends them: text that is no number, a float written as one
    for seed in ("abc", "", "1e3", "+5", 1000.0, -0.0):
        requests.append(replace(base, seed=seed))
    # the reader's file addresses: schemes, types, signed URLs, data: URIs
    for n, url in enumerate(URLS):
        other = URLS[(n * 7 + 3) % len(URLS)]
        requests.append(replace(base, mode="image", image_url=url, end_image=n % 2 == 0,
                                end_image_url=other))
        requests.append(replace(base, images=2, videos=1, audio=1, video_seconds=3,
                                image_urls=(url, other), video_urls=(other,),
                                audio_urls=(URLS[(n + 1) % len(URLS)], url)))
        requests.append(replace(base, images=1, videos=0, audio=0, image_urls=(url,) * 3))
    requests.append(DEFAULT_REQUEST)
    return [(r, _for_node(r)) for r in _python_values(requests)]


def _python_values(requests: list[Request]) -> list[Request]:
    """Seconds written as text become the Fraction of that text."""
    def value(v):
        return Fraction(v) if isinstance(v, str) else v
    return [replace(r, video_seconds=value(r.video_seconds), audio_seconds=value(r.audio_seconds))
            for r in requests]


def _seconds_for_node(v):
    if isinstance(v, Fraction):
        return f"{v.numerator}/{v.denominator}"
    return v


def _seed_for_node(seed):
    if isinstance(seed, bool) or seed is None:
        return seed
    if isinstance(seed, int):
        return str(seed)
    if isinstance(seed, float):
        return {"float": seed}
    return {"text": seed}


def _for_node(r: Request) -> dict:
    return {
        "mode": r.mode, "tier": r.tier, "resolution": r.resolution,
        "aspect_ratio": r.aspect_ratio, "duration": r.duration,
        "generate_audio": r.generate_audio, "end_image": r.end_image,
        "seed": _seed_for_node(r.seed), "prompt": r.prompt,
        "images": r.images, "videos": r.videos, "audio": r.audio,
        "video_seconds": _seconds_for_node(r.video_seconds),
        "audio_seconds": _seconds_for_node(r.audio_seconds),
        "image_url": r.image_url, "end_image_url": r.end_image_url,
        "image_urls": list(r.image_urls), "video_urls": list(r.video_urls),
        "audio_urls": list(r.audio_urls),
    }


def _pick(r: Request, node: dict) -> tuple[tuple, dict]:
    """The estimator's pick for the render of ``r`` (Python's quote arguments, and
    the pick as node receives it)."""
    reference_video = r.mode == "reference" and bool(r.videos)
    seconds = r.video_seconds if reference_video else 0
    python = (r.tier, r.mode, r.duration, r.resolution, r.aspect_ratio, seconds,
              reference_video)
    return python, {"tier": r.tier, "mode": r.mode, "duration": r.duration,
                    "resolution": r.resolution, "aspect_ratio": r.aspect_ratio,
                    "reference_video": reference_video,
                    "video_input_seconds": node["video_seconds"] if reference_video else "0"}


def _python_quote(model, args: tuple) -> dict:
    tier, mode, duration, res, ratio, seconds, reference_video = args
    try:
        endpoint = model.endpoint_for(tier, mode).id
    except KeyError:
        return {"skip": True}
    try:
        q = P.quote(model, endpoint, duration, res, ratio, seconds,
                    reference_video=reference_video)
    except ValueError as err:
        return {"error": str(err)}
    return {"display": q.as_dict()["display"]}


def _python(limits, model, r: Request) -> dict:
    v = check_request(limits, model, r)
    return {"status": v.status, "errors": v.errors, "warnings": v.warnings,
            "endpoint": v.endpoint, "price": v.price, "rule": v.rule,
            "arguments": v.arguments, "codes": [reason.code for reason in v.reasons],
            "code": all_code(v.endpoint, v.arguments, VERIFY)}


def _run_node(tmp_path, model, payload: list[dict]) -> list[dict]:
    return _run_both(tmp_path, model, payload, [])["requests"]


def _run_both(tmp_path, model, payload: list[dict], picks: list[dict]) -> dict:
    node = require_tool("node")
    (tmp_path / "pricing.json").write_text(estimator_json(model))
    (tmp_path / "requests.json").write_text(json.dumps(payload, ensure_ascii=False))
    (tmp_path / "picks.json").write_text(json.dumps(picks, ensure_ascii=False))
    (tmp_path / "run.js").write_text(RUNNER)
    run = subprocess.run([node, str(tmp_path / "run.js"), str(ROOT / "docs/assets/seedance.js"),
                          str(tmp_path / "pricing.json"), str(tmp_path / "requests.json"),
                          str(tmp_path / "picks.json"), VERIFY],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


#: a part of every sentence check_request can write, so the grid is seen to reach each
SENTENCES = (
    "Pick an endpoint kind", "Pick a tier", "Write a prompt", "fal does not render '4k'",
    "tier only.", "is unconfirmed on fal", "is not whole seconds from",
    "is not one of", "is not a whole number: fal's schema takes an integer",
    "fal documents no range for seed", ": a request takes at most",
    "files in all", "has nothing to follow", "Audio references need",
    "The videos run", "The audio files run", "The prompt names", "is attached but",
    "The number of images is a whole number", "The video seconds are a number",
    "The audio seconds are a number", "Only reference-to-video reads file tags",
    "is not a URL fal can fetch", "is a .gif file", "is image/gif data",
    "fal publishes no formats for it, and the start image's",
    "still carries example addresses",
    "Not priced: fal would refuse", "is not confirmed.", "with auto, fal picks the duration",
    "with auto, fal picks the aspect ratio", "fal's rule for video inputs", "tokens at $",
)
#: codes only a hand-written call can produce (an endpoint by its id, the
#: gallery's inputs, a price's flag for video inputs); the builder picks its
#: endpoint from two menus and counts its files
NOT_FROM_THE_BUILDER = {"endpoint", "input_old", "input_unknown", "input_missing",
                        "video_inputs", "seconds_without_video"}


def test_javascript_and_python_agree_on_every_request_of_the_grid(tmp_path):
    model = load_pricing(ROOT)
    grid = _grid()
    assert len(grid) > 3000
    picks = [_pick(request, js) for request, js in grid]
    both = _run_both(tmp_path, model, [js for _, js in grid], [js for _, js in picks])
    results = both["requests"]
    assert len(results) == len(grid)

    seen = {"status": set(), "text": [], "codes": set()}
    for (request, _), js in zip(grid, results, strict=True):
        py = _python(model.limits, model, request)
        assert "crash" not in js, (request, js.get("crash"))
        where = repr(request)
        for key in ("status", "errors", "warnings", "endpoint", "price", "rule", "codes"):
            assert js[key] == py[key], f"{key} differs for {where}"
        assert json.loads(js["code"]["json"]) == py["arguments"], where
        for key, text in py["code"].items():
            assert js["code"][key] == text, f"the {key} code differs for {where}"
        seen["status"].add(py["status"])
        seen["text"] += [*py["errors"], *py["warnings"], py["rule"]]
        seen["codes"].update(py["codes"])
        seen["fields"] = seen.get("fields", set()) | set(py["arguments"])
    assert seen["status"] == {"ok", "refused", "unconfirmed"}
    assert seen["fields"] == set(BUILDER_FIELDS), "BUILDER_FIELDS is not what requests send"
    text = "\n".join(seen["text"])
    missing = [s for s in SENTENCES if s not in text]
    assert not missing, f"the grid never produces: {missing}"
    assert set(CATALOGUE) - NOT_FROM_THE_BUILDER - seen["codes"] == set()

    # the estimator's quote: the same price, or the same refusal in the same words
    refused = 0
    for (args, pick), js in zip(picks, both["quotes"], strict=True):
        py = _python_quote(model, args)
        if py.get("skip"):
            continue
        assert js == py, (pick, js, py)
        refused += "error" in py
    assert refused > 1000


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), "12", -1])
def test_seconds_that_are_no_number_are_refused_with_a_reason(value):
    model = load_pricing(ROOT)
    verdict = check_request(model.limits, model, replace(DEFAULT_REQUEST, video_seconds=value))
    assert verdict.status == "refused" and verdict.price is None
    assert "The video seconds are a number, 0 or more." in verdict.errors


def test_the_default_request_is_the_worked_one_and_priced(tmp_path):
    model = load_pricing(ROOT)
    [js] = _run_node(tmp_path, model, [_for_node(DEFAULT_REQUEST)])
    py = _python(model.limits, model, DEFAULT_REQUEST)
    assert js["status"] == py["status"] == "ok"
    assert js["price"] == py["price"] and py["price"]["cost"].startswith("$")
    assert js["code"] == py["code"]


@pytest.mark.parametrize("value", [2.1, 0.3, 7.35, 14.999999])
def test_float_seconds_count_at_their_exact_binary_value(tmp_path, value):
    """Python's Fraction(float) is the double's exact value; so is the JavaScript's."""
    model = load_pricing(ROOT)
    request = replace(DEFAULT_REQUEST, video_seconds=value)
    [js] = _run_node(tmp_path, model, [_for_node(request)])
    py = _python(model.limits, model, request)
    assert (js["price"], js["rule"]) == (py["price"], py["rule"])


def test_the_arithmetic_is_written_once():
    """estimator.js prices with seedance.js; it carries no arithmetic of its own."""
    core = (ROOT / "docs/assets/seedance.js").read_text(encoding="utf-8")
    estimator = (ROOT / "docs/assets/estimator.js").read_text(encoding="utf-8")
    builder = (ROOT / "docs/assets/builder.js").read_text(encoding="utf-8")
    for name in ("function roundHalfUp", "function fixed", "function quote", "function decimal"):
        assert name in core
        assert name not in estimator and name not in builder
    assert "BigInt" not in estimator and "BigInt" not in builder
    pricing = (ROOT / "docs/pricing.md").read_text(encoding="utf-8")
    assert pricing.index("assets/seedance.js") < pricing.index("assets/estimator.js")


def test_every_worked_example_is_a_request_the_builder_prices_the_same():
    """The worked examples the pricing and home pages publish (each on every tier)
    are requests a reader can rebuild in the builder: the builder accepts each one
    and prices it at the published figure."""
    from seedpress.pages.pricing_markup import worked_examples

    model = load_pricing(ROOT)
    examples = {ex.name: ex for ex in model.examples}
    rows = worked_examples(model)
    assert len(rows) == 2 * len(examples)
    for row in rows:
        ex = examples[row.example]
        ep = model.endpoints[row.endpoint]
        files = dict(ex.files)
        request = Request(mode=ep.mode, tier=ep.tier, resolution=ex.resolution,
                          aspect_ratio=ex.aspect_ratio, duration=str(ex.duration),
                          prompt="A worked example.", images=files.get("images", 0),
                          videos=files.get("videos", 0), audio=files.get("audio", 0),
                          video_seconds=ex.video_input_seconds)
        verdict = check_request(model.limits, model, request)
        assert verdict.status == "ok", (row.name, verdict.errors)
        assert verdict.price["cost"] == row.total, row.name
        assert verdict.price["tokens"] == row.tokens, row.name


# -- the Python tab, run as a reader runs it ---------------------------------------------

#: requests whose Python the reader may paste: the worked one, and one of each other kind
RUNNABLE = (
    DEFAULT_REQUEST,
    Request(mode="text", tier="fast", resolution="480p", aspect_ratio="16:9", duration="4",
            seed=7, prompt="A falcon lands on a fence post at dawn."),
    Request(mode="image", resolution="480p", aspect_ratio="9:16", duration="5",
            end_image=True, prompt="The keeper turns to the camera.",
            image_url="https://cdn.example.org/keeper.png",
            end_image_url="https://cdn.example.org/keeper-last.webp"),
)


def _run_python_tab(request: Request, capsys, where: Path) -> tuple[str, dict, str]:
    """The builder's Python for ``request``, run with the real fal_client in the folder
    ``where``, as a reader runs it from theirs: (the endpoint, the names the script
    defined, what it printed); a script that stops leaves its error in the names under
    ``error``."""
    model = load_pricing(ROOT)
    verdict = check_request(model.limits, model, request)
    assert verdict.status == "ok", verdict.errors
    code = all_code(verdict.endpoint, verdict.arguments, VERIFY)["python"]
    names: dict = {"__name__": "builder_python"}
    where.mkdir(parents=True, exist_ok=True)
    before = Path.cwd()
    os.chdir(where)
    try:
        exec(compile(code, "builder_python", "exec"), names)  # noqa: S102
    except (Exception, SystemExit) as err:  # noqa: BLE001 (what the script stops with)
        names["error"] = err
    finally:
        os.chdir(before)
    return verdict.endpoint, names, capsys.readouterr().out


@pytest.mark.parametrize("new_lines_only", [False, True], ids=["whole-log", "new-lines"])
@pytest.mark.parametrize("request_", RUNNABLE, ids=("reference", "text", "image"))
def test_the_python_tab_prints_the_request_id_first_and_each_log_line_once(
        fake_fal, request_, capsys, tmp_path, new_lines_only):
    """A status update repeats the whole log, or (read 60B: fal does not say) brings only
    the new lines: the script prints each line once either way, the Completed update's
    last lines too, and the request id before anything; it keeps the file under the
    request id, whole, as the comment says."""
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 4  # the log grows over 4 polls
    fake_fal.new_lines_only = new_lines_only
    endpoint, names, out = _run_python_tab(request_, capsys, tmp_path)
    assert "error" not in names, names.get("error")
    ((rid, job),) = fake_fal.jobs.items()
    assert job.endpoint == endpoint and job.request_id == rid
    lines = out.splitlines()
    assert lines[0] == f"request id: {rid}"
    logs = [entry["message"] for entry in job.logs(0)]
    assert len(logs) == 4 and lines[1:-1] == logs  # every line, once, in order
    assert lines[-1] == f"kept {rid}.mp4 seed {names['result']['seed']}"
    kept = tmp_path / f"{rid}.mp4"
    assert kept.stat().st_size == names["result"]["video"]["file_size"] > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [kept.name]  # no .part left
    assert fake_fal.submission_count() == 1


def test_when_the_result_fails_after_completed_the_request_id_is_already_printed(
        fake_fal, quick_client, capsys, tmp_path):
    """A 500 on the result GET of a finished render stops the script; the reader has the
    request id on screen and fetches the render by it, as the comment says, without
    paying for it again."""
    import fal_client

    fake_fal.pace, fake_fal.polls_to_finish = "polls", 2
    fake_fal.inject("server_error", on="result")
    endpoint, names, out = _run_python_tab(DEFAULT_REQUEST, capsys, tmp_path)
    ((rid, job),) = fake_fal.jobs.items()
    assert isinstance(names.get("error"), SystemExit)  # fal's answer and the id, no traceback
    assert str(names["error"]).startswith(f"{rid}: 500: ")
    assert str(names["error"]).endswith(": fetch it again by this id")  # read 71C
    assert list(tmp_path.iterdir()) == []  # nothing kept, nothing half-written
    assert job.result_fetches == 1 and job.results_served == 0
    assert out.splitlines()[0] == f"request id: {rid}"
    code = all_code(endpoint, check_request(load_pricing(ROOT).limits, load_pricing(ROOT),
                                            DEFAULT_REQUEST).arguments, VERIFY)["python"]
    assert "fal_client.result(endpoint, request_id)" in code and "never by" in code
    assert "After a 5xx or no answer, fetch again by the id." in code
    # what the comment tells the reader to do, with what the script printed
    result = fal_client.result(names["endpoint"], out.splitlines()[0].split(": ", 1)[1])
    assert result["video"]["url"].startswith(f"{fake_fal.base_url}/files/{rid}/")
    assert fake_fal.submission_count() == 1 and job.results_served == 1


def test_a_content_block_on_the_result_ends_with_fals_words_and_the_id(fake_fal, capsys,
                                                                       tmp_path):
    """Read 16B: a block answers the result GET with a 422; the script stops with the
    request id and fal's answer, not a traceback, keeps nothing, and its comment says
    that fetching again gets the same answer."""
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 2
    fake_fal.inject("content_policy", loc="generated_video")
    endpoint, names, out = _run_python_tab(DEFAULT_REQUEST, capsys, tmp_path)
    ((rid, job),) = fake_fal.jobs.items()
    assert isinstance(names.get("error"), SystemExit)
    assert str(names["error"]).startswith(f"{rid}: 422: ")
    assert "content_policy_violation" in str(names["error"])
    assert "fetch it again" not in str(names["error"])  # a block: asking again will not help
    assert out.splitlines()[0] == f"request id: {rid}"
    assert list(tmp_path.iterdir()) == [] and fake_fal.submission_count() == 1
    model = load_pricing(ROOT)
    code = all_code(endpoint, check_request(model.limits, model, DEFAULT_REQUEST).arguments,
                    VERIFY)["python"]
    assert "A 422 here is a content block, or an input fal refused: fetching again" in code


def test_a_render_that_ends_completed_with_an_error_is_reported_not_fetched(fake_fal, capsys,
                                                                            tmp_path):
    """A failed render can end COMPLETED with error set: the script says so with the
    request id and fetches nothing (there is no video to fetch)."""
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 2
    fake_fal.inject("render_error")
    _, names, out = _run_python_tab(DEFAULT_REQUEST, capsys, tmp_path)
    ((rid, job),) = fake_fal.jobs.items()
    assert isinstance(names.get("error"), SystemExit)
    assert str(names["error"]).startswith(f"{rid}: ")
    assert job.result_fetches == 0 and fake_fal.submission_count() == 1
    assert out.splitlines()[0] == f"request id: {rid}"


def test_the_python_tab_gives_up_at_its_deadline_with_the_request_id(fake_fal, capsys,
                                                                      monkeypatch, tmp_path):
    """Read 13B L2: start_timeout bounds only the wait in fal's queue, so the Python tab
    keeps a deadline of its own: past it, it stops with the request id to fetch it by,
    and sends nothing again. The test writes the tab with a deadline of a second."""
    import seedpress.snippets

    # it would finish on the 8th poll, a poll a second: the tab gives up long before
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 8
    monkeypatch.setattr(seedpress.snippets, "RENDER_DEADLINE", 1)
    _, names, out = _run_python_tab(DEFAULT_REQUEST, capsys, tmp_path)
    ((rid, job),) = fake_fal.jobs.items()
    assert isinstance(names.get("error"), SystemExit)
    assert str(names["error"]) == f"{rid}: not finished in time: fetch it later by this id"
    assert out.splitlines()[0] == f"request id: {rid}"
    assert job.result_fetches == 0 and fake_fal.submission_count() == 1


@pytest.mark.parametrize("fault, status, later", [("server_error", 500, True),
                                                  ("locked", 403, False),
                                                  ("unauthorized", 401, False),
                                                  ("start_ran_out", 504, False),
                                                  ("rate_limit", 429, True)])
def test_a_status_poll_fal_keeps_failing_ends_with_the_request_id(fake_fal, quick_client,
                                                                   capsys, tmp_path,
                                                                   fault, status, later):
    """Read 54C: a status poll that still fails after fal_client's own tries stops the
    Python tab with the request id, not a traceback, and sends nothing. Read 65C: only a
    5xx is called passing ("ask again later"); a 403 (a locked account, for a person) or
    a 401 shows fal's status and words without that advice; read 70C: so does a 504 that
    says our start_timeout ran out, which asking again will not change. Read 76C: a 429
    that fal_client gave up on passes too."""
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 3
    fake_fal.inject(fault, on="status", count=-1)  # after fal_client's own tries too
    _, names, out = _run_python_tab(DEFAULT_REQUEST, capsys, tmp_path)
    ((rid, job),) = fake_fal.jobs.items()
    assert isinstance(names.get("error"), SystemExit)
    assert str(names["error"]).startswith(f"{rid}: no status: {status}: ")
    assert str(names["error"]).endswith(": ask again later by this id") is later
    assert out.splitlines()[0] == f"request id: {rid}"
    assert job.result_fetches == 0 and fake_fal.submission_count() == 1
    assert list(tmp_path.iterdir()) == []


def test_a_result_without_video_or_a_failed_download_ends_with_the_request_id(
        fake_fal, capsys, tmp_path):
    """Read 66C: a finished render whose result names no video, and a download the file's
    server refuses (a 404 here), stop the Python tab with the request id and what went
    wrong, not a traceback; nothing half-written is left, and nothing is sent again."""
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 2
    fake_fal.inject("no_video")
    _, names, _ = _run_python_tab(DEFAULT_REQUEST, capsys, tmp_path / "a")
    ((rid, _),) = fake_fal.jobs.items()
    assert isinstance(names.get("error"), SystemExit)
    assert str(names["error"]).startswith(f"{rid}: the result names no video: {{")
    assert list((tmp_path / "a").iterdir()) == []
    fake_fal.reset()
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 3
    with file_gone_once_queued(fake_fal):
        _, names, _ = _run_python_tab(DEFAULT_REQUEST, capsys, tmp_path / "b")
    ((rid, job),) = fake_fal.jobs.items()
    assert isinstance(names.get("error"), SystemExit)
    assert str(names["error"]).startswith(f"{rid}: the download failed (HTTPStatusError(")
    assert str(names["error"]).endswith("): fetch the result again by this id")
    assert list((tmp_path / "b").iterdir()) == []
    assert job.downloads == 1 and fake_fal.submission_count() == 1


def test_the_typescript_tab_checks_a_completed_error_before_it_fetches():
    """Read 9: the TypeScript tab, like the Python one, stops with fal's words and the id
    when the render ended COMPLETED with an error, and fetches a result only otherwise."""
    model = load_pricing(ROOT)
    verdict = check_request(model.limits, model, DEFAULT_REQUEST)
    code = all_code(verdict.endpoint, verdict.arguments, VERIFY)["typescript"]
    check = code.index('if ("error" in ended && ended.error) {')
    assert code.index("const ended = await fal.queue.subscribeToStatus(") < check
    assert check < code.index("await fal.queue.result(endpoint, { requestId })")
    assert "throw new Error(`${requestId}: ${String(ended.error)}`);" in code
    # read 54C: a status that never comes ends with the id too
    assert "}).catch((err) => { // no status, after the client's own tries" in code
    # read 15B: a deadline of its own, set before the wait and cleared after it
    timer = code.index("const giveUp = setTimeout(() => {")
    assert timer < code.index("subscribeToStatus(") < code.index("clearTimeout(giveUp);")
    assert "}, 1800 * 1000); // our deadline: fal publishes no render time" in code


# -- what fal publishes, and what it does not ---------------------------------------------

def _image_limits(model) -> tuple[str, int]:
    """The start image's formats (as messages list them) and size, from data/limits.yml."""
    from seedpress.content.call import either

    image = model.limits.files["image"]
    return either(list(image.formats)), image.limits["max_mb_each"]


def test_reference_images_and_the_last_frame_are_cautioned_never_refused_by_type(tmp_path):
    """fal publishes no formats or size for image_urls nor end_image_url: a GIF there is
    a caution measured against the start image's limits, in Python and in the browser;
    the start image, whose formats fal publishes, is still refused as a GIF."""
    model = load_pricing(ROOT)
    formats, _ = _image_limits(model)
    caution = (f"fal publishes no formats for it, and the start image's ({formats}) are "
               "the cautious guide.")
    references = replace(DEFAULT_REQUEST, images=2, image_urls=(
        "https://cdn.example.org/still.gif", "data:image/gif;base64,AAAA"))
    last_frame = Request(mode="image", duration="5", aspect_ratio="16:9", end_image=True,
                         prompt="It turns.", image_url="https://cdn.example.org/first.png",
                         end_image_url="https://cdn.example.org/last.GIF")
    start = replace(last_frame, image_url="https://cdn.example.org/first.gif")
    verdicts = [check_request(model.limits, model, r) for r in (references, last_frame, start)]
    assert [v.status for v in verdicts] == ["ok", "ok", "refused"]
    assert f"@Image1 is a .gif file: {caution}" in verdicts[0].warnings
    assert f"@Image2 is image/gif data: {caution}" in verdicts[0].warnings
    assert f"The last frame (end_image_url) is a .gif file: {caution}" in verdicts[1].warnings
    assert verdicts[2].errors == [f"The start image (image_url) is a .gif file: fal takes "
                                  f"{formats}."]
    assert verdicts[0].price is not None and verdicts[1].price is not None
    js = _run_node(tmp_path, model, [_for_node(r) for r in (references, last_frame, start)])
    assert [(v["status"], v["errors"], v["warnings"]) for v in js] == \
        [(v.status, v.errors, v.warnings) for v in verdicts]


def test_a_tag_written_in_another_case_is_named_and_said_as_the_guides_check_says(tmp_path):
    """Read 85C: "@image1" names the first image, as the prompting guide's check reads it,
    and the builder says how fal writes it, instead of calling the image unnamed. Python
    and the browser say the same."""
    model = load_pricing(ROOT)
    cased = replace(DEFAULT_REQUEST, prompt="The barista from @image1 slides the cup from "
                    "@Image2 to the beat of @VIDEO1 in the voice of @Audio1; @image1 smiles.")
    verdict = check_request(model.limits, model, cased)
    assert verdict.status == "ok"
    assert [w for w in verdict.warnings if "@image1" in w or "@VIDEO1" in w] == [
        "The prompt writes @image1: write it as @Image1, the form fal documents.",
        "The prompt writes @VIDEO1: write it as @Video1, the form fal documents."]
    assert not any("never names" in w for w in verdict.warnings)
    [js] = _run_node(tmp_path, model, [_for_node(cased)])
    assert (js["status"], js["errors"], js["warnings"]) == (
        verdict.status, verdict.errors, verdict.warnings)


def test_a_document_address_and_audio_without_its_length_are_cautioned(tmp_path):
    """Read 34C: a start image at a .pdf or a reference video at a .html page is no media
    type fal takes, so it gets a caution naming it (it is not refused: the address may still
    serve the file); audio attached with no length gets a caution that its limit went
    unchecked. Python and the browser say the same."""
    model = load_pricing(ROOT)
    formats, _ = _image_limits(model)
    start = Request(mode="image", duration="5", aspect_ratio="16:9", prompt="It turns.",
                    image_url="https://cdn.example.org/brief.pdf")
    page = replace(DEFAULT_REQUEST, video_urls=("https://www.example.org/watch.html",))
    quiet = replace(DEFAULT_REQUEST, audio_seconds=0)
    verdicts = [check_request(model.limits, model, r) for r in (start, page, quiet)]
    assert [v.status for v in verdicts] == ["ok", "ok", "ok"]
    assert (f"The start image (image_url) ends in .pdf, none of {formats}: make sure the "
            "address serves the file itself, not a page or a document.") in verdicts[0].warnings
    assert any(w.startswith("@Video1 ends in .html, none of ") for w in verdicts[1].warnings)
    most = model.limits.files["audio"].limits["max_seconds_total"]
    assert (f"The audio files' length is not given: give it, so the {most} s limit on them "
            "can be checked.") in verdicts[2].warnings
    js = _run_node(tmp_path, model, [_for_node(r) for r in (start, page, quiet)])
    assert [(v["status"], v["errors"], v["warnings"]) for v in js] == \
        [(v.status, v.errors, v.warnings) for v in verdicts]


def test_a_tenth_reference_image_is_refused_by_the_count_fal_publishes():
    model = load_pricing(ROOT)
    most = model.limits.references["images"]
    verdict = check_request(model.limits, model, replace(
        DEFAULT_REQUEST, images=most + 1, image_urls=("https://cdn.example.org/a.gif",)))
    assert verdict.status == "refused"
    assert f"{most + 1} images: a request takes at most {most}." in verdict.errors
    assert not any(".gif" in e for e in verdict.errors)  # the type only cautions


def test_the_page_states_the_limits_fal_publishes_and_the_caution_where_it_publishes_none():
    """The file hints and the verdict promise only what fal publishes: the start image's
    formats and size, the count of reference images, and for reference images and the
    last frame the start image's limits as a cautious guide (figures from the data)."""
    from html import unescape

    from seedpress.pages.builder_markup import STATUS_SENTENCES, builder_form
    from seedpress.pages.settings import Settings

    model = load_pricing(ROOT)
    formats, mb = _image_limits(model)
    from seedpress.pages.data import load_site_data

    rules = load_site_data(ROOT).models["rules"]
    page = " ".join(unescape(str(builder_form(model, Settings.read(ROOT / "mkdocs.yml"),
                                              rules))).split())
    guide = f"the start image's limits ({formats}, up to {mb} MB) are a cautious guide"
    assert f"The start image: {formats}, up to {mb} MB." in page
    assert f"The last frame: fal publishes no formats or size for it; {guide}." in page
    most = model.limits.references["images"]
    assert f"At most {most}: fal publishes no formats or size for them; {guide}." in page
    assert f"At most {most}: {formats}" not in page
    assert STATUS_SENTENCES["ok"] == "Within every limit fal publishes that this form can check."
    assert "fal accepts" not in page


def test_the_seed_sentences_say_what_the_seeds_rule_says_and_link_it():
    """The builder states no seed rule of its own: its note links the `seeds` rule of
    data/rules.yml by its title, and the sentence shown when a change of endpoint
    kind clears the seed uses the rule's own words for what a seed asks for."""
    from html import unescape

    from seedpress.pages.builder_markup import SENTENCES, builder_form
    from seedpress.pages.data import load_site_data
    from seedpress.pages.settings import Settings

    rules = load_site_data(ROOT).models["rules"]
    rule = rules.get("seeds")
    statement = " ".join(rule.statement.split())
    page = unescape(str(builder_form(load_pricing(ROOT), Settings.read(ROOT / "mkdocs.yml"),
                                     rules)))
    assert f'<a href="../rules/#seeds">{rule.title}</a>' in page
    cleared = SENTENCES["seed_cleared"]
    for words in ("the same request sent again", "asks for the same take"):
        assert words in cleared and words in statement.lower()
    # the old wording promised a repeat, which the rule does not
    assert "repeats a render" not in page and "repeats a render" not in cleared
    assert "endpoint it came from" not in cleared


def test_every_label_caption_is_one_piece_so_it_reads_on_one_line():
    """A label in the builder is a column: each child is a line of its own. A caption
    mixing words and markup ("Start image URL (<code>image_url</code>)") is wrapped in one
    span, so the field name stays inside its sentence instead of on lines of its own."""
    from html.parser import HTMLParser

    from seedpress.pages.builder_markup import builder_form
    from seedpress.pages.data import load_site_data
    from seedpress.pages.settings import Settings

    class Labels(HTMLParser):
        def __init__(self):
            super().__init__()
            self.depth, self.loose = [], []

        def handle_starttag(self, tag, attrs):
            if self.depth and self.depth[-1][1] == 0 and tag == "code":
                self.loose.append(self.depth[-1][0])  # markup loose beside the words
            if tag == "label":
                self.depth.append([dict(attrs).get("class", ""), 0])
            elif self.depth and tag not in ("input", "br"):  # void: no end tag comes
                self.depth[-1][1] += 1

        def handle_endtag(self, tag):
            if tag == "label" and self.depth:
                self.depth.pop()
            elif self.depth:
                self.depth[-1][1] -= 1

    rules = load_site_data(ROOT).models["rules"]
    form = str(builder_form(load_pricing(ROOT), Settings.read(ROOT / "mkdocs.yml"), rules))
    parser = Labels()
    parser.feed(form)
    assert form.count("<label") > 10 and parser.loose == []

"""The estimator's JavaScript and seedpress.pricing agree on a grid of inputs.

docs/assets/estimator.js runs in node on the JSON that the build writes
from data/pricing.yml (its arithmetic is docs/assets/seedance.js's, which it
requires from beside itself, as the browser loads both); every render of the
grid must show the same tokens, per-second price and total as Python, and
both must refuse the same inputs with the same message, word for word (the
one validator's, seedpress.content.call).
"""

from __future__ import annotations

import json
import subprocess

import pytest
from seedpress import pricing as P
from seedpress.content.pricing import load_pricing
from seedpress.pages.pricing_markup import estimator_json
from support import ROOT, require_tool

RUNNER = """
const est = require(process.argv[2]);
const data = JSON.parse(require("fs").readFileSync(process.argv[3], "utf8"));
const picks = JSON.parse(require("fs").readFileSync(process.argv[4], "utf8"));
const out = picks.map((pick) => {
  try { return est.quote(data, pick); } catch (err) { return { error: err.message }; }
});
process.stdout.write(JSON.stringify(out));
"""


def _grid(model) -> list[dict]:
    picks = []
    for ep in model.endpoints.values():
        for res in model.resolutions:
            for ratio in model.aspect_ratios:
                for d in ep.durations:
                    base = {"endpoint": ep.id, "resolution": res, "aspect_ratio": ratio,
                            "duration": d}
                    picks.append({**base, "reference_video": False,
                                  "video_input_seconds": "0"})
                    if ep.accepts_video:
                        for extra in ("0", "2", "7.5", "15"):
                            picks.append({**base, "reference_video": True,
                                          "video_input_seconds": extra})
    # inputs both sides must refuse
    t2v = "bytedance/seedance-2.0/text-to-video"
    r2v = "bytedance/seedance-2.0/reference-to-video"
    for bad in ({"endpoint": t2v, "duration": 16}, {"endpoint": t2v, "duration": 3},
                {"endpoint": t2v, "resolution": "1080p"}, {"endpoint": t2v, "aspect_ratio": "2:1"},
                {"endpoint": t2v, "reference_video": True},
                {"endpoint": r2v, "reference_video": True, "video_input_seconds": "1"},
                {"endpoint": r2v, "reference_video": True, "video_input_seconds": "15.5"},
                {"endpoint": r2v, "reference_video": False, "video_input_seconds": "4"}):
        picks.append({"resolution": "720p", "aspect_ratio": "16:9", "duration": 5,
                      "reference_video": False, "video_input_seconds": "0", **bad})
    return picks


def _python(model, pick: dict) -> dict:
    try:
        q = P.quote(model, pick["endpoint"], pick["duration"], pick["resolution"],
                    pick["aspect_ratio"], float(pick["video_input_seconds"]),
                    reference_video=pick["reference_video"])
    except ValueError as err:
        return {"error": str(err)}
    return q.as_dict()


def test_javascript_and_python_agree_on_the_grid(tmp_path):
    node = require_tool("node")
    model = load_pricing(ROOT)
    picks = _grid(model)
    (tmp_path / "pricing.json").write_text(estimator_json(model))
    (tmp_path / "picks.json").write_text(json.dumps(picks))
    (tmp_path / "run.js").write_text(RUNNER)
    run = subprocess.run([node, str(tmp_path / "run.js"), str(ROOT / "docs/assets/estimator.js"),
                          str(tmp_path / "pricing.json"), str(tmp_path / "picks.json")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    js_results = json.loads(run.stdout)
    assert len(js_results) == len(picks) > 2000

    refused = 0
    for pick, js in zip(picks, js_results, strict=True):
        py = _python(model, pick)
        if "error" in py or "error" in js:
            assert "error" in py and "error" in js, (pick, py, js)
            assert js["error"] == py["error"], pick
            refused += 1
            continue
        assert js["endpoint"] == py["endpoint"]
        assert js["display"] == py["display"], pick
        assert js["tokens"] == pytest.approx(py["tokens"], rel=1e-12), pick
        assert js["cost_usd"] == pytest.approx(py["cost_usd"], rel=1e-12), pick
    assert refused == 8


def test_javascript_shows_the_worked_figures(tmp_path):
    node = require_tool("node")
    model = load_pricing(ROOT)
    (tmp_path / "pricing.json").write_text(estimator_json(model))
    pick = {"mode": "text", "tier": "standard", "resolution": "720p", "aspect_ratio": "16:9",
            "duration": 5, "video_input_seconds": "0"}
    (tmp_path / "picks.json").write_text(json.dumps([
        pick, {**pick, "tier": "fast"},
        {**pick, "mode": "reference", "reference_video": True},
    ]))
    (tmp_path / "run.js").write_text(RUNNER)
    run = subprocess.run([node, str(tmp_path / "run.js"), str(ROOT / "docs/assets/estimator.js"),
                          str(tmp_path / "pricing.json"), str(tmp_path / "picks.json")],
                         capture_output=True, text=True, timeout=60, check=True)
    standard, fast, reference = json.loads(run.stdout)
    assert standard["display"] == {"tokens": "108,000", "cost": "$1.51",
                                   "per_second": "$0.3024"}
    assert fast["display"]["per_second"] == "$0.2419"
    assert reference["display"]["per_second"] == "$0.1814"

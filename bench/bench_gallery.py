"""Gallery refresh: six renders at once against one after another.

Six clips whose renders each take the same simulated time T on the fake fal
server (tests/fakes/fal_server.py, real HTTPS on 127.0.0.1, the unmodified
fal_client) are refreshed twice by the real CLI in a subprocess:

- baseline: ``--concurrency 1`` (one after another, about 6 T);
- ours: ``--concurrency 6``; the goal is to finish within 1.5 T.

The times cover the whole refresh (submit, poll, download, ffprobe checks,
web rendition, poster, manifest), so the clips are small (480p, 4 s) to keep
the local media work from hiding the queue. T defaults to 12 s (real renders take minutes; a
smaller T lets the fixed start-up and media work weigh more)
(``BENCH_GALLERY_T`` changes it).

Run alone: ``python bench/run.py gallery``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))

from common import Row  # noqa: E402
from fakes.fal_server import FakeFal  # noqa: E402

BIN = Path(sys.executable).parent
RENDER_SECONDS = float(os.environ.get("BENCH_GALLERY_T", "12"))
GOAL = 1.5

CLIP = """
  - id: bench-{n}
    title: Bench clip {n}
    alt: A test pattern.
    endpoint: bytedance/seedance-2.0/fast/text-to-video
    inputs:
      prompt: Bench clip number {n}, a calm test pattern.
      duration: 4
      resolution: 480p
      aspect_ratio: "16:9"
      generate_audio: true
      seed: {n}
"""


def _project(dest: Path) -> Path:
    shutil.rmtree(dest, ignore_errors=True)
    (dest / "gallery").mkdir(parents=True)
    shutil.copytree(ROOT / "data", dest / "data")
    clips = "".join(CLIP.format(n=n) for n in range(1, 7))
    (dest / "gallery" / "clips.yml").write_text(
        f"max_age_days: 180\nbudget_usd: 100\nclips:{clips}")
    return dest


def _refresh(fake: FakeFal, project: Path, concurrency: int) -> float:
    env = {**os.environ, **fake.environ("bench-key"), "SEEDPRESS_FAL_POLL_SECONDS": "0.1"}
    env.pop("GITHUB_STEP_SUMMARY", None)
    start = time.perf_counter()
    result = subprocess.run(
        [str(BIN / "seedpress"), "gallery", "refresh", "--root", str(project),
         "--concurrency", str(concurrency)], env=env, capture_output=True, text=True,
        timeout=60 + 10 * RENDER_SECONDS * 6)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"refresh failed:\n{result.stdout}\n{result.stderr}")
    return elapsed


def rows(work: Path) -> list[Row]:
    work.mkdir(parents=True, exist_ok=True)
    with FakeFal(work / "fake", render_seconds=RENDER_SECONDS) as fake:
        fake.media.path(864, 496, 4, True)  # the bench clips' file, made before timing
        sequential = _refresh(fake, _project(work / "sequential"), 1)
        fake.reset()
        fake.render_seconds = RENDER_SECONDS
        concurrent = _refresh(fake, _project(work / "concurrent"), 6)
    limit = GOAL * RENDER_SECONDS
    return [Row("gallery", f"6 renders of T={RENDER_SECONDS:g}s, concurrency 6 vs 1",
                sequential, concurrent, goal=f"ours <= {GOAL} T ({limit:g}s)",
                met=concurrent <= limit)]


if __name__ == "__main__":
    from common import format_table

    print(format_table(rows(HERE / ".work" / "gallery")))

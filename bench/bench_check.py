"""Ship check time: 1,000 generated posts.

The posts look like ours: front matter with both dates, categories and
authors from this repository, a few paragraphs with prices the model gives,
an endpoint id, a fenced code block and a template expression. Their dates
are relative to the pinned "today", so they pass; each was reviewed today,
after the prices it prints were verified.

- baseline: read and parse the same 1,000 files with seedpress.content
  (``parse_post``), which every check must do anyway;
- ours: ``seedpress.check.run`` over the folder (every rule).

The goal is the whole check under one second; the ratio to the baseline
shows what the rules cost on top of reading. Run alone:
``python bench/run.py check``.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from common import Row, cpu, timed  # noqa: E402
from seedpress.check import run  # noqa: E402
from seedpress.clock import today as decide_today  # noqa: E402
from seedpress.content import load_publication  # noqa: E402
from seedpress.content.posts import parse_post, post_files  # noqa: E402

COUNT = 1000
GOAL_SECONDS = 1.0

_PARAGRAPHS = [
    "A five second render at 720p costs $1.51 on the standard tier and $1.21 on the fast "
    "one; the per-second figure is $0.3024, about $0.30.",
    "Reference-to-video with video inputs applies the 0.6 multiplier, so a second costs "
    "$0.1814 when the input seconds are left out of the count.",
    "Call `bytedance/seedance-2.0/fast/text-to-video` while you iterate and switch to "
    "`bytedance/seedance-2.0/text-to-video` for the take you keep.",
    "The queue answers with a request id; poll its status, then fetch the result, and keep "
    "the seed so the render can be reproduced later.",
    "Computed where it matters: {{ price(\"standard\", \"720p\", 5) }} for five seconds.",
]

_CODE = '''```python
import fal_client

result = fal_client.subscribe(
    "bytedance/seedance-2.0/text-to-video",
    arguments={"prompt": "a lake at dawn", "duration": "5", "resolution": "720p"},
)
print(result["video"]["url"])
```
'''


def write_posts(folder: Path, count: int, today: dt.date) -> None:
    publication = load_publication(ROOT)
    rng = random.Random(42)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for i in range(count):
        created = today - dt.timedelta(days=rng.randint(20, 80))
        updated = created + dt.timedelta(days=rng.randint(0, 19))
        cats = rng.sample(publication.categories, 2)
        body = "\n\n".join(rng.sample(_PARAGRAPHS, 4))
        (folder / f"generated-post-{i:04d}.md").write_text(
            "---\n"
            f"title: \"Generated guide number {i}\"\n"
            f"slug: generated-guide-{i:04d}\n"
            "description: \"A generated post for the ship check benchmark, shaped like the "
            "guides of the publication.\"\n"
            f"date:\n  created: {created}\n  updated: {updated}\n  reviewed: {today}\n"
            "categories:\n" + "".join(f"  - {c}\n" for c in cats) +
            "authors:\n  - desk\n"
            "---\n\n"
            f"# Generated guide number {i}\n\n{body}\n\n<!-- more -->\n\n{_CODE}\n{body}\n",
            encoding="utf-8")


def rows(work: Path) -> list[Row]:
    today = decide_today()
    folder = work / "posts"
    write_posts(folder, COUNT, today)

    def baseline() -> None:
        for path in post_files(folder):
            parse_post(path)

    report = run(ROOT, [folder], today=today)
    if report.diagnostics:
        raise RuntimeError("generated posts should pass:\n" +
                           "\n".join(d.text() for d in report.diagnostics[:10]))
    base = timed(baseline, repeat=3)
    ours = timed(lambda: run(ROOT, [folder], today=today), repeat=3)
    base_cpu = cpu(baseline)
    ours_cpu = cpu(lambda: run(ROOT, [folder], today=today))
    return [
        Row("check", f"{COUNT} posts, whole check (wall)", base, ours,
            goal=f"< {GOAL_SECONDS:.0f} s in all", met=ours < GOAL_SECONDS),
        Row("check", "time per post (wall)", base / COUNT * 1000, ours / COUNT * 1000,
            unit="ms"),
        # CPU time of this process: what the check costs when the machine is shared
        Row("check", f"{COUNT} posts, whole check (cpu)", base_cpu, ours_cpu),
    ]


if __name__ == "__main__":
    from common import format_table
    print(format_table(rows(HERE / ".work" / "check")))

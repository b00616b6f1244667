"""Drift watch time: one `seedpress drift` run against the fake of fal's pages.

The fake (tests/fakes/llms_server.py) serves the seven pages (six Seedance
2.0 endpoints, Seedance 1.5 Pro) on 127.0.0.1, so the network costs next to
nothing and what is measured is our own time.

- baseline: the seven GETs alone, with the same HTTP client, and no parsing;
- ours, in sync: :func:`seedpress.drift.run.run` (read the data, fetch, parse,
  compare with the data and the request builder);
- ours, drift found: the same with 1080p added to a fast endpoint, which
  also works out which pages print the fact (every page and post parsed);
- the same two in CPU seconds of this process.

The goal is well under a second for a whole run. Run alone:
``python bench/run.py drift``.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))

from common import Row, cpu, timed  # noqa: E402
from fakes.llms_server import ENDPOINTS, FakeLlms  # noqa: E402
from seedpress.drift import fetch as F  # noqa: E402
from seedpress.drift.run import run  # noqa: E402

GOAL_SECONDS = 0.5
TODAY = dt.date(2026, 11, 24)


def rows(work: Path) -> list[Row]:
    fake = FakeLlms().start()
    try:
        def fetch_only() -> None:
            with F.client() as http:
                for endpoint in ENDPOINTS:
                    http.get(F.page_url(fake.base_url, endpoint)).raise_for_status()

        def whole(expect: str) -> None:
            with tempfile.TemporaryDirectory() as cache:
                report = run(ROOT, base_url=fake.base_url, today=TODAY, cache_dir=Path(cache))
            if report.status != expect:
                raise RuntimeError(f"expected {expect}, got {report.status}: "
                                   f"{[d.text() for d in report.diagnostics]}")

        out = []
        for scenario, expect, label in (("in-sync", "in_sync", "in sync"),
                                        ("fast-1080p", "drift", "drift found, pages named")):
            fake.use(scenario)
            whole(expect)  # warm: imports and the first connection are not the subject
            base = timed(fetch_only, repeat=5)
            ours = timed(lambda e=expect: whole(e), repeat=5)
            out.append(Row("drift", f"{len(ENDPOINTS)} endpoints, {label} (wall)", base, ours,
                           goal=f"< {GOAL_SECONDS} s", met=ours < GOAL_SECONDS))
            out.append(Row("drift", f"{len(ENDPOINTS)} endpoints, {label} (cpu)",
                           cpu(fetch_only), cpu(lambda e=expect: whole(e))))
        return out
    finally:
        fake.stop()


if __name__ == "__main__":
    from common import format_table
    print(format_table(rows(HERE / ".work" / "drift")))

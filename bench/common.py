"""The row type and table printer shared by every benchmark module."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Row:
    group: str            # e.g. "build", "check", "gallery", "lighthouse"
    name: str             # what was measured, e.g. "1000 posts"
    baseline: float | None  # the baseline's value (seconds, or a score)
    value: float          # our value, same unit
    unit: str = "s"
    goal: str = ""        # e.g. "ratio <= 1.3"
    met: bool | None = None  # None when the row has no goal

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline


def timed(fn: Callable[[], object], repeat: int = 1) -> float:
    """Best wall time of ``repeat`` calls, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def cpu(fn: Callable[[], object]) -> float:
    """The least CPU time of this process over three calls of ``fn``: what it costs
    when the machine is shared."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def format_table(rows: list[Row]) -> str:
    head = ("group", "measure", "baseline", "ours", "ratio", "goal", "met")
    body = []
    for r in rows:
        base = "" if r.baseline is None else f"{r.baseline:.3f}{r.unit}"
        ratio = "" if r.ratio is None else f"{r.ratio:.2f}"
        met = "" if r.met is None else ("yes" if r.met else "NO")
        body.append((r.group, r.name, base, f"{r.value:.3f}{r.unit}", ratio, r.goal, met))
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=False)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=False))  # noqa: E731
    out = [line(head), line(["-" * w for w in widths])]
    out += [line(b) for b in body]
    return "\n".join(out)

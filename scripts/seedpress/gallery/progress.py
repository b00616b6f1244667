"""Progress of a refresh: a bar in a terminal, plain lines elsewhere (CI, logs)."""

from __future__ import annotations

import sys
import threading
from typing import TextIO


class Progress:
    def __init__(self, clip_ids: list[str], stream: TextIO | None = None,
                 bar: bool | None = None):
        self.stream = stream or sys.stderr
        self.bar = self.stream.isatty() if bar is None else bar
        self.state = {cid: "waiting" for cid in clip_ids}
        self.width = max((len(c) for c in clip_ids), default=4)
        self._lock = threading.Lock()
        self._drawn = False

    def event(self, clip_id: str, phase: str, message: str = "") -> None:
        """Record a step; print it as a line (and redraw the bar in a terminal)."""
        with self._lock:
            changed = self.state.get(clip_id) != phase
            self.state[clip_id] = phase
            if not changed and not message:
                return
            text = f"[{clip_id:<{self.width}}] {phase}{': ' + message if message else ''}"
            if self.bar:
                self._clear()
                print(text, file=self.stream)
                self._draw()
            else:
                print(text, file=self.stream, flush=True)

    def note(self, message: str) -> None:
        with self._lock:
            if self.bar:
                self._clear()
            print(message, file=self.stream, flush=True)
            if self.bar:
                self._draw()

    def close(self) -> None:
        with self._lock:
            if self.bar and self._drawn:
                self._clear()
                self._drawn = False

    def _counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for phase in self.state.values():
            counts[phase] = counts.get(phase, 0) + 1
        return counts

    def _draw(self) -> None:
        counts = self._counts()
        total = len(self.state) or 1
        done = counts.get("installed", 0) + counts.get("failed", 0) + counts.get("held", 0)
        cells = 24
        filled = round(cells * done / total)
        busy = sum(counts.get(p, 0) for p in ("submitted", "queued", "rendering",
                                              "downloading", "verifying"))
        line = (f"gallery [{'#' * filled}{'.' * (cells - filled)}] {done}/{total} done, "
                f"{busy} in flight, {counts.get('failed', 0)} failed")
        self.stream.write(line)
        self.stream.flush()
        self._drawn = True

    def _clear(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[2K")
            self._drawn = False

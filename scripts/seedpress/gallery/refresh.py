"""`seedpress gallery refresh`: render what the plan asks for, safely.

Per clip, in worker threads (``--concurrency``):

1. resume the request recorded in the journal, or submit and record the new
   request id in the journal before waiting;
2. poll its status (progress shows queue position and fal's log lines);
3. fetch the result and download the video;
4. verify it with ffprobe (H.264, AAC when audio is on, the frame size and
   duration asked for);
5. make the web rendition and the WebP poster, verify the rendition;
6. install the files under new content-addressed names, then rewrite the
   manifest atomically, then remove the files the old entry used.

Whatever fails, the previous clip and its manifest entry stay as they were.
Transient errors (429, 5xx, dropped connections) are retried with backoff;
content-policy rejections are recorded and held until the inputs change; a
locked account (403) or a refused key stops the run.

Tuning for tests and demos, from the environment: ``SEEDPRESS_FAL_POLL_SECONDS``
(status poll interval, default 2), ``SEEDPRESS_FAL_BACKOFF_SECONDS`` (first
retry delay, default 2, doubling), ``SEEDPRESS_FAL_ATTEMPTS`` (tries per step,
default 5) and ``SEEDPRESS_FAL_MAX_WAIT`` (seconds one render may take,
default 1800).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from .. import pricing
from ..content.clips import Clip
from ..writer import copy_atomic
from . import media
from .fal import FalError, Queue
from .journal import JOURNAL_DIR, Journal, Record
from .manifest import MEDIA_DIR, Entry, Manifest, StoredFile, save_manifest, sha256_of
from .plan import PlanItem
from .progress import Progress

T = TypeVar("T")


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass
class Settings:
    poll_seconds: float = 2.0
    backoff_seconds: float = 2.0
    attempts: int = 5
    max_wait_seconds: float = 1800.0

    @classmethod
    def from_env(cls) -> Settings:
        return cls(_env_float("SEEDPRESS_FAL_POLL_SECONDS", 2.0),
                   _env_float("SEEDPRESS_FAL_BACKOFF_SECONDS", 2.0),
                   max(1, int(_env_float("SEEDPRESS_FAL_ATTEMPTS", 5))),
                   _env_float("SEEDPRESS_FAL_MAX_WAIT", 1800.0))


@dataclass
class Outcome:
    clip_id: str
    status: str  # rendered, resumed, rejected, failed, skipped, held
    cost_usd: float  # what this run may have been billed (estimate)
    message: str = ""
    advice: str = ""
    request_id: str | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("rendered", "resumed", "held")


class _Stopped(Exception):
    """The run was stopped (locked account, refused key) before this clip started."""


class Refresh:
    def __init__(self, root: Path, manifest: Manifest, queue: Queue, progress: Progress,
                 today: dt.date, settings: Settings | None = None):
        self.root = root
        self.manifest = manifest
        self.queue = queue
        self.progress = progress
        self.today = today
        self.settings = settings or Settings.from_env()
        self.journal = Journal(root)
        self.stop = threading.Event()
        self.stop_reason: FalError | None = None
        self._manifest_lock = threading.Lock()

    # -- the run -------------------------------------------------------------
    def run(self, items: list[PlanItem], concurrency: int) -> list[Outcome]:
        todo = [i for i in items if i.renders]
        outcomes = [Outcome(i.clip.id, "held", 0.0, i.held or "") for i in items if i.held]
        for item in items:
            if item.held:
                self.progress.event(item.clip.id, "held", item.held)
        with ThreadPoolExecutor(max_workers=max(1, concurrency),
                                thread_name_prefix="gallery") as pool:
            outcomes += list(pool.map(self._one, todo))
        self.progress.close()
        self._prune()
        return outcomes

    def _one(self, item: PlanItem) -> Outcome:
        clip = item.clip
        try:
            return self._render(item)
        except _Stopped:
            return Outcome(clip.id, "skipped", 0.0, "not started: the run was stopped",
                           self.stop_reason.advice if self.stop_reason else "")
        except FalError as err:
            if err.kind in ("locked", "auth"):
                self.stop_reason = self.stop_reason or err
                self.stop.set()
            self.progress.event(clip.id, "failed", f"{err} -> {err.advice}")
            return Outcome(clip.id, "failed", 0.0, str(err), err.advice)
        except media.MediaError as err:
            advice = "the render did not match what was asked; run the refresh again"
            self.progress.event(clip.id, "failed", f"{err} -> {advice}")
            return Outcome(clip.id, "failed", item.cost_usd, str(err), advice)
        except OSError as err:
            advice = "check the disk (space, permissions) and run the refresh again"
            self.progress.event(clip.id, "failed", f"{err} -> {advice}")
            return Outcome(clip.id, "failed", 0.0, str(err), advice)
        except Exception as err:  # noqa: BLE001 - one clip's surprise must not sink the rest
            advice = "run the refresh again; if it repeats, report it with this message"
            message = f"unexpected {type(err).__name__}: {err}"
            self.progress.event(clip.id, "failed", f"{message} -> {advice}")
            return Outcome(clip.id, "failed", 0.0, message, advice)

    def _retrying(self, what: str, clip_id: str, step: Callable[[], T]) -> T:
        delay = self.settings.backoff_seconds
        for attempt in range(1, self.settings.attempts + 1):
            try:
                return step()
            except FalError as err:
                if err.kind != "transient" or attempt == self.settings.attempts:
                    raise
                self.progress.event(clip_id, "retrying", f"{what}: {err} (attempt {attempt} of "
                                    f"{self.settings.attempts}, next in {delay:.1f} s)")
                time.sleep(delay)
                delay = min(delay * 2, 60.0)
        raise AssertionError("unreachable")

    def _render(self, item: PlanItem) -> Outcome:
        clip = item.clip
        record = self.journal.get(clip.id)
        request_id: str | None = None
        resumed = False
        if record and record.hash == clip.input_hash and record.request_id:
            request_id, resumed = record.request_id, True
            self.progress.event(clip.id, "submitted",
                                f"resuming request {request_id} from the journal")
        elif record and record.request_id is None and record.hash == clip.input_hash:
            self.progress.note(f"warning: a run stopped while submitting {clip.id} on "
                               f"{record.submitted}; fal may have billed that render once")
        if request_id is None:
            request_id = self._submit(item)
        try:
            result = self._wait(clip, request_id)
        except FalError as err:
            if err.kind == "gone" and resumed:
                self.journal.drop(clip.id)
                self.progress.note(f"{clip.id}: fal no longer knows request {request_id}; "
                                   "submitting again")
                request_id, resumed = self._submit(item), False
                result = self._wait(clip, request_id)
            elif err.kind == "policy":
                return self._rejected(item, request_id, err)
            else:
                if err.kind != "transient":
                    self.journal.drop(clip.id)
                raise
        self._install(item, request_id, result)
        self.journal.drop(clip.id)
        status = "resumed" if resumed else "rendered"
        return Outcome(clip.id, status, item.cost_usd, "", request_id=request_id)

    def _submit(self, item: PlanItem) -> str:
        clip = item.clip
        if self.stop.is_set():
            raise _Stopped
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self.journal.put(Record(clip.id, clip.input_hash, clip.endpoint, None, stamp))
        try:
            request_id = self._retrying("submit", clip.id,
                                        lambda: self.queue.submit(clip.endpoint, clip.arguments))
        except BaseException:
            self.journal.drop(clip.id)
            raise
        self.journal.put(Record(clip.id, clip.input_hash, clip.endpoint, request_id, stamp))
        self.progress.event(clip.id, "submitted",
                            f"request {request_id}, est. {pricing.format_total(item.cost_usd)}")
        return request_id

    def _wait(self, clip: Clip, request_id: str) -> dict[str, Any]:
        deadline = time.monotonic() + self.settings.max_wait_seconds
        seen_logs = 0
        while True:
            status = self._retrying("status", clip.id,
                                    lambda: self.queue.status(clip.endpoint, request_id))
            if status.phase == "IN_QUEUE":
                self.progress.event(clip.id, "queued", f"position {status.position}")
            else:
                new = status.logs[seen_logs:]
                seen_logs = len(status.logs)
                self.progress.event(clip.id, "rendering", " / ".join(new))
            if status.phase == "COMPLETED":
                break
            if time.monotonic() > deadline:
                raise FalError("transient", f"request {request_id} did not finish within "
                               f"{self.settings.max_wait_seconds:.0f} s; the next run resumes it")
            time.sleep(self.settings.poll_seconds)
        return self._retrying("result", clip.id,
                              lambda: self.queue.result(clip.endpoint, request_id))

    def _rejected(self, item: PlanItem, request_id: str, err: FalError) -> Outcome:
        clip = item.clip
        self.journal.drop(clip.id)
        billed = item.cost_usd if err.loc == "generated_video" else 0.0
        with self._manifest_lock:
            entry = self.manifest.clips.get(clip.id)
            if entry is not None:
                entry.rejected = {"hash": clip.input_hash, "loc": err.loc, "reason": err.reason,
                                  "request_id": request_id, "date": self.today.isoformat()}
                save_manifest(self.manifest)
        self.progress.event(clip.id, "failed", f"{err} -> {err.advice}")
        return Outcome(clip.id, "rejected", billed, str(err), err.advice, request_id)

    # -- media -------------------------------------------------------------------
    def _install(self, item: PlanItem, request_id: str, result: dict[str, Any]) -> None:
        clip = item.clip
        video = result.get("video") if isinstance(result, dict) else None
        if not isinstance(video, dict) or not isinstance(video.get("url"), str):
            raise FalError("failed", f"the result of {request_id} has no video URL")
        work_root = self.root / JOURNAL_DIR / "work"
        work_root.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f"{clip.id}-", dir=work_root))
        try:
            raw = work / "render.mp4"
            self.progress.event(clip.id, "downloading", "")
            size = self._retrying("download", clip.id, lambda: self.queue.download(
                video["url"], raw, video.get("file_size") if isinstance(
                    video.get("file_size"), int) else None))
            self.progress.event(clip.id, "verifying", f"{size // 1024} KB")
            width, height = item.quote.width, item.quote.height
            found = media.verify(raw, width=width, height=height, seconds=clip.duration,
                                 audio=clip.generate_audio)
            web, still = work / "web.mp4", work / "poster.webp"
            media.web_rendition(raw, web, audio=clip.generate_audio, found=found)
            media.verify(web, width=width, height=height, seconds=clip.duration,
                         audio=clip.generate_audio)
            media.poster(web, still, at_seconds=clip.duration * 0.4)
            seed = result.get("seed") if isinstance(result.get("seed"), int) else clip.seed
            self._commit(item, request_id, seed, video["url"], web, still)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        installed = self.manifest.clips[clip.id].files["video"].path
        self.progress.event(clip.id, "installed", installed)

    def _commit(self, item: PlanItem, request_id: str | None, seed: int | None,
                source_url: str | None, web: Path, still: Path, source: str = "fal") -> None:
        install_files(self.root, self.manifest, self._manifest_lock, item.clip, web, still,
                      Entry(item.clip.input_hash, item.clip.endpoint, source, request_id, seed,
                            item.cost_usd if source == "fal" else 0.0, self.today.isoformat(),
                            source_url, {}))

    def _prune(self) -> None:
        prune_media(self.root, self.manifest)


def install_files(root: Path, manifest: Manifest, lock: threading.Lock, clip: Clip,
                  video: Path, still: Path, entry: Entry) -> None:
    """Install a clip's video and poster and point the manifest at them.

    New files get content-addressed names, so the old ones stay untouched until
    the manifest (rewritten atomically) no longer names them.
    """
    media_dir = root / MEDIA_DIR
    media_dir.mkdir(parents=True, exist_ok=True)
    placed: dict[str, Path] = {}
    for role, src, ext in (("video", video, ".mp4"), ("poster", still, ".webp")):
        digest = sha256_of(src)
        dest = media_dir / f"{clip.id}-{digest[:12]}{ext}"
        if not dest.exists():
            copy_atomic(src, dest)
        placed[role] = dest
    entry.files = {role: StoredFile.of(root, path) for role, path in placed.items()}
    with lock:
        old = manifest.clips.get(clip.id)
        manifest.clips[clip.id] = entry
        try:
            save_manifest(manifest)
        except BaseException:
            if old is None:
                manifest.clips.pop(clip.id, None)
            else:
                manifest.clips[clip.id] = old
            raise
        keep = manifest.referenced()
        if old is not None:
            for stored in old.files.values():
                if stored.path not in keep:
                    (root / stored.path).unlink(missing_ok=True)


def prune_media(root: Path, manifest: Manifest) -> list[str]:
    """Remove media files (and stray temporaries) that no manifest entry names."""
    media_dir = root / MEDIA_DIR
    if not media_dir.is_dir():
        return []
    keep = manifest.referenced()
    removed = []
    for path in sorted(media_dir.iterdir()):
        rel = path.relative_to(root).as_posix()
        stray_tmp = path.name.startswith(".") and path.name.endswith(".tmp")
        if path.is_file() and (stray_tmp or (path.suffix in (".mp4", ".webp")
                                             and rel not in keep)):
            path.unlink()
            removed.append(rel)
    return removed


def summary(outcomes: list[Outcome], budget: float, markdown: bool = False) -> str:
    """The cost summary of a run, as text or as a Markdown table."""
    total = sum(o.cost_usd for o in outcomes)
    rows = [(o.clip_id, o.status, pricing.format_total(o.cost_usd) if o.cost_usd else "-",
             (o.message + (f" Next: {o.advice}" if o.advice and not o.ok else "")).strip())
            for o in outcomes]
    failed = sum(1 for o in outcomes if not o.ok)
    tail = (f"Estimated spend: {pricing.format_total(total)} of a "
            f"{pricing.format_total(budget)} budget; "
            f"{sum(1 for o in outcomes if o.status in ('rendered', 'resumed'))} installed, "
            f"{failed} not.")
    if markdown:
        lines = ["### Gallery refresh", "", "| clip | result | est. cost | note |",
                 "|---|---|---|---|"]
        lines += [f"| {a} | {b} | {c} | {d.replace('|', '/')} |" for a, b, c, d in rows]
        return "\n".join(lines + ["", tail, ""])
    width = max((len(r[0]) for r in rows), default=4)
    lines = ["Cost summary:"]
    lines += [f"  {a:<{width}}  {b:<8}  {c:>7}  {d}".rstrip() for a, b, c, d in rows]
    return "\n".join(lines + [tail])

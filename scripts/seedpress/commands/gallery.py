"""`seedpress gallery plan|refresh|placeholders`: the showcase clips.

Exit codes: 0 done, 1 some clip failed (its previous media stays), 2 could
not start (bad clips.yml or manifest, no FAL_KEY, estimate over the budget).
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from .. import clock, pricing
from ..content.clips import load_clips
from ..content.pricing import load_pricing
from ..errors import UsageError
from ..gallery import media
from ..gallery.journal import JOURNAL_DIR, Journal
from ..gallery.manifest import Entry, load_manifest
from ..gallery.plan import describe, make_plan
from ..gallery.progress import Progress
from ..gallery.refresh import install_files, prune_media, summary
from . import add_root, add_today, root_of


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--only", action="append", metavar="ID",
                   help="only this clip (repeat for more)")
    add_today(p, "the day to judge ages against")
    add_root(p)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gallery", help="the showcase clips: plan, refresh, placeholders",
                       description="Render the clips of gallery/clips.yml through fal and "
                                   "keep gallery/manifest.json and the media in step.")
    verbs = p.add_subparsers(dest="gallery_verb", metavar="ACTION")
    verbs.required = True

    q = verbs.add_parser("plan", help="which clips would render, why, and the estimate",
                         description="List each clip as render, keep or hold, with the "
                                     "reason and the cost from the pricing model. No network.")
    _common(q)
    q.set_defaults(func=run_plan)

    q = verbs.add_parser(
        "refresh", help="render what the plan asks for through fal",
        description="Submit through fal's queue (FAL_KEY from the environment; the host from "
                    "FAL_QUEUE_RUN_HOST), verify, install and update the manifest. Refuses to "
                    "start when the estimate exceeds the budget. A killed run resumes the "
                    "requests in gallery/.journal/ instead of submitting again.")
    _common(q)
    q.add_argument("--budget", type=float, metavar="USD",
                   help="the most this run may spend (default: $SEEDPRESS_GALLERY_BUDGET, "
                        "else budget_usd in clips.yml)")
    q.add_argument("--concurrency", type=int, default=4, metavar="N",
                   help="renders in flight at once (default 4)")
    q.add_argument("--dry-run", action="store_true",
                   help="show the plan and the budget check; submit nothing")
    q.add_argument("--progress", choices=("auto", "bar", "lines"), default="auto",
                   help="a bar in a terminal, plain lines otherwise (default auto)")
    q.set_defaults(func=run_refresh)

    q = verbs.add_parser(
        "placeholders", help="make local stand-in clips with ffmpeg where fal has not rendered",
        description="For every clip with no render from fal, make a small local clip and "
                    "poster with ffmpeg and record them in the manifest as placeholders "
                    "(the page labels them). Renders from fal are never replaced.")
    _common(q)
    q.set_defaults(func=run_placeholders)


def _load(args: argparse.Namespace):
    root = root_of(args, needs=None)
    model = load_pricing(root)
    gallery = load_clips(root, model)
    manifest = load_manifest(root)
    known = {c.id for c in gallery.clips}
    for clip_id in args.only or []:
        if clip_id not in known:
            raise UsageError(f"--only {clip_id}: no such clip in gallery/clips.yml "
                             f"(one of {', '.join(sorted(known))})")
    items = make_plan(gallery, manifest, model, root, clock.today(args.today), args.only)
    return root, gallery, manifest, items


def run_plan(args: argparse.Namespace) -> int:
    _, gallery, _, items = _load(args)
    print(describe(items, gallery.budget_usd))
    return 0


def run_refresh(args: argparse.Namespace) -> int:
    root, gallery, manifest, items = _load(args)
    budget = args.budget
    if budget is None and os.environ.get("SEEDPRESS_GALLERY_BUDGET", "").strip():
        try:
            budget = float(os.environ["SEEDPRESS_GALLERY_BUDGET"])
        except ValueError:
            raise UsageError("SEEDPRESS_GALLERY_BUDGET must be a number of USD, got "
                             f"{os.environ['SEEDPRESS_GALLERY_BUDGET']!r}") from None
    if budget is None:
        budget = gallery.budget_usd
    if not math.isfinite(budget) or budget < 0:
        raise UsageError(f"the budget must be a finite number of USD, 0 or more, got {budget!r}")
    if args.concurrency < 1:
        raise UsageError("--concurrency must be at least 1")
    journal = Journal(root)
    pending = {r.clip: r for r in journal.records()}
    todo = [i for i in items if i.renders]
    # Requests already submitted by a killed run were paid for then; they resume.
    fresh = [i for i in todo if not (i.clip.id in pending and pending[i.clip.id].request_id
                                     and pending[i.clip.id].hash == i.clip.input_hash)]
    estimate = sum(i.cost_usd for i in fresh)
    print(describe(items, budget))
    if estimate > budget + 1e-9:
        raise UsageError(f"refusing to start: the estimate {pricing.format_total(estimate)} "
                         f"exceeds the budget {pricing.format_total(budget)}; raise --budget "
                         f"or render fewer clips with --only ID")
    if args.dry_run:
        print("dry run: nothing submitted")
        return 0
    if not todo:
        print("nothing to render")
        return 0
    missing = media.tools_missing()
    if missing:
        raise UsageError(f"{' and '.join(missing)} not found; install ffmpeg "
                         "(Debian: apt-get install ffmpeg)")
    from ..gallery.fal import FalError, Queue  # imports fal_client only when rendering

    try:
        queue = Queue()
    except FalError as err:
        raise UsageError(f"{err}: {err.advice}") from None
    from ..gallery.refresh import Refresh

    bar = {"auto": None, "bar": True, "lines": False}[args.progress]
    progress = Progress([i.clip.id for i in todo], bar=bar)
    progress.note(f"refreshing {len(todo)} clip(s) through {Queue.host()}, "
                  f"{args.concurrency} at a time")
    outcomes = Refresh(root, manifest, queue, progress, clock.today(args.today)).run(
        items, args.concurrency)
    text = summary(outcomes, budget)
    print(text)
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        with open(step_summary, "a", encoding="utf-8") as handle:
            handle.write(summary(outcomes, budget, markdown=True))
    failed = [o for o in outcomes if not o.ok]
    if failed:
        print(f"{len(failed)} clip(s) not refreshed; their previous media and manifest "
              "entries are unchanged.", file=sys.stderr)
        return 1
    return 0


def run_placeholders(args: argparse.Namespace) -> int:
    root, gallery, manifest, items = _load(args)
    missing = media.tools_missing()
    if missing:
        raise UsageError(f"{' and '.join(missing)} not found; install ffmpeg "
                         "(Debian: apt-get install ffmpeg)")
    lock = threading.Lock()
    today = clock.today(args.today)
    made = 0
    work_root = root / JOURNAL_DIR / "work"
    work_root.mkdir(parents=True, exist_ok=True)
    for item in items:
        clip, entry = item.clip, item.entry
        if entry is not None and (entry.source == "fal" or (
                entry.hash == clip.input_hash
                and not any(f.problem(root) for f in entry.files.values()))):
            continue
        work = Path(tempfile.mkdtemp(prefix=f"{clip.id}-", dir=work_root))
        try:
            video, still = work / "placeholder.mp4", work / "poster.webp"
            hue = int(hashlib.sha256(clip.id.encode()).hexdigest()[:4], 16) % 360
            media.placeholder(video, still, width=item.quote.width, height=item.quote.height,
                              seconds=clip.duration, audio=clip.generate_audio, hue=hue)
            install_files(root, manifest, lock, clip, video, still,
                          Entry(clip.input_hash, clip.endpoint, "placeholder", None, clip.seed,
                                0.0, today.isoformat(), None, {}))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        made += 1
        print(f"placeholder: {clip.id}")
    prune_media(root, manifest)
    print(f"{made} placeholder(s) made; {len(items) - made} clip(s) left as they were")
    return 0

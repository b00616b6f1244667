"""Which clips a refresh would render, and why. Reads files only; no network.

A clip is rendered when it is new, when only a placeholder stands for it,
when its endpoint or inputs changed since the last render, when a stored
file is missing or does not match its recorded sha256, or when its render is
older than ``max_age_days``. A clip the content policy turned down is held
back until its inputs change: sending the same inputs again would be turned
down again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .. import pricing
from ..content.clips import Clip, Gallery
from ..content.pricing import PricingModel
from .manifest import Entry, Manifest


@dataclass
class PlanItem:
    clip: Clip
    quote: pricing.Quote
    entry: Entry | None
    reasons: list[str] = field(default_factory=list)
    #: why the clip is held back even though it would otherwise render
    held: str | None = None

    @property
    def renders(self) -> bool:
        return bool(self.reasons) and self.held is None

    @property
    def cost_usd(self) -> float:
        return self.quote.cost_usd


def quote_for(model: PricingModel, clip: Clip) -> pricing.Quote:
    return pricing.quote(model, clip.endpoint, clip.duration, clip.resolution,
                         clip.aspect_ratio, clip.video_input_seconds,
                         reference_video=clip.reference_video)


def reasons_for(clip: Clip, entry: Entry | None, root: Path, today: dt.date,
                max_age_days: int) -> list[str]:
    if entry is None:
        return ["new: never rendered"]
    reasons = []
    if entry.source == "placeholder":
        reasons.append("placeholder: no render from fal yet")
    elif entry.hash != clip.input_hash:
        reasons.append("inputs changed since the last render")
    for role in sorted(entry.files):
        problem = entry.files[role].problem(root)
        if problem:
            reasons.append(problem)
    if entry.source == "fal":
        try:
            rendered = dt.date.fromisoformat(entry.rendered)
        except ValueError:
            reasons.append(f"render date {entry.rendered!r} is not a date")
        else:
            age = (today - rendered).days
            if age > max_age_days:
                reasons.append(f"stale: rendered {entry.rendered}, {age} days ago "
                               f"(max_age_days is {max_age_days})")
    return reasons


def make_plan(gallery: Gallery, manifest: Manifest, model: PricingModel, root: Path,
              today: dt.date, only: list[str] | None = None) -> list[PlanItem]:
    """One item per clip (or per ``only`` id), in the order of clips.yml."""
    items = []
    for clip in gallery.clips:
        if only and clip.id not in only:
            continue
        entry = manifest.clips.get(clip.id)
        item = PlanItem(clip, quote_for(model, clip), entry,
                        reasons_for(clip, entry, root, today, gallery.max_age_days))
        rejected = entry.rejected if entry else None
        if item.reasons and rejected and rejected.get("hash") == clip.input_hash:
            item.held = (f"the content policy turned these inputs down on "
                         f"{rejected.get('date')} ({rejected.get('loc')}); change the seed, "
                         f"the duration or the prompt to try again")
        items.append(item)
    return items


def describe(items: list[PlanItem], budget: float | None = None) -> str:
    """The plan as people read it."""
    lines = []
    total = 0.0
    for item in items:
        clip = item.clip
        head = (f"{clip.id}: {clip.endpoint}, {clip.duration} s {clip.resolution} "
                f"{clip.aspect_ratio}, est. {pricing.format_total(item.cost_usd)}")
        if item.held:
            lines.append(f"  hold    {head}\n          {item.held}")
        elif item.renders:
            total += item.cost_usd
            lines.append(f"  render  {head}\n          " + "; ".join(item.reasons))
        else:
            lines.append(f"  keep    {clip.id}: up to date")
    count = sum(1 for i in items if i.renders)
    summary = f"{count} of {len(items)} clips would render, estimated {pricing.format_total(total)}"
    if budget is not None:
        summary += f" (budget {pricing.format_total(budget)})"
    return "\n".join(lines + [summary])

"""What the gallery page shows: each clip of clips.yml with its installed media.

Loaded once per build (``SiteData.models["gallery"]``); the page markup lives
in :mod:`seedpress.pages.gallery_markup`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import pricing
from ..content.clips import Clip, Gallery
from ..content.pricing import PricingModel
from ..gallery.manifest import Entry, Manifest
from ..gallery.plan import quote_for


@dataclass(frozen=True)
class ShownClip:
    clip: Clip
    quote: pricing.Quote
    entry: Entry | None

    @property
    def source(self) -> str:
        """``fal``, ``placeholder`` or ``missing`` (nothing installed yet)."""
        return self.entry.source if self.entry else "missing"

    @property
    def current(self) -> bool:
        """The installed render was made from the clip's present inputs."""
        return self.entry is not None and self.entry.hash == self.clip.input_hash

    @property
    def seed(self) -> int:
        entry = self.entry
        if entry and entry.source == "fal" and self.current and entry.seed is not None:
            return entry.seed
        return self.clip.seed

    def media(self, role: str) -> str | None:
        """The path under docs/ of the video or poster, when one is installed."""
        if self.entry is None or role not in self.entry.files:
            return None
        path = Path(self.entry.files[role].path)
        parts = path.parts
        return Path(*parts[1:]).as_posix() if parts and parts[0] == "docs" else None


@dataclass(frozen=True)
class Showcase:
    gallery: Gallery
    manifest: Manifest
    clips: tuple[ShownClip, ...]


def make_showcase(gallery: Gallery, manifest: Manifest, model: PricingModel) -> Showcase:
    shown = tuple(ShownClip(c, quote_for(model, c), manifest.clips.get(c.id))
                  for c in gallery.clips)
    return Showcase(gallery, manifest, shown)

"""What the home page and the gallery say about the clips, from the manifest.

A clip is a render only once gallery/manifest.json records it as rendered
through fal; until then it is a placeholder (a short local stand-in made
with ffmpeg, silent) or not installed at all. The sentences that speak of
the clips as a whole are written here, one set per state, so no page calls
a placeholder a render or promises "the same shot back" from a request
that has never run:

- **placeholders only**: the clips are planned; the prompt, inputs and cost
  are the ones the render will use;
- **some rendered**: how many are renders, and that the rest are not yet;
- **all rendered**: they are renders, each with the prompt as sent, and a
  request with its seed asks fal for the same take again (the ``seeds``
  rule says how far that goes).

``{{ gallery_intro() }}`` and ``{{ gallery_cost_line() }}`` are used by
docs/gallery.md, ``{{ showcase_intro() }}`` by the home page, and the home
page's gallery block (:func:`seedpress.pages.home.gallery_clips`) labels
its stills and its button by the same state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .computed import model
from .data import SiteData
from .gallery_markup import gallery_total


@dataclass(frozen=True)
class GalleryState:
    total: int
    rendered: int
    #: clips whose request asks for sound, and of those, how many are renders
    with_sound: int
    rendered_with_sound: int

    @property
    def kind(self) -> str:
        """``none`` (no clip is a render yet), ``some`` or ``all``."""
        if self.total and self.rendered == self.total:
            return "all"
        return "some" if self.rendered else "none"

    @property
    def waiting(self) -> int:
        return self.total - self.rendered


#: said under every state of the gallery: what the TypeScript tabs rest on
TS_UNTESTED = (" The TypeScript follows `@fal-ai/client` as we read its source; our tests "
               "check it against the client's published types but do not run it.")


def state_of(showcase: Any) -> GalleryState:
    clips = list(getattr(showcase, "clips", None) or [])
    rendered = [c for c in clips if c.source == "fal"]
    return GalleryState(
        total=len(clips), rendered=len(rendered),
        with_sound=sum(1 for c in clips if c.clip.generate_audio),
        rendered_with_sound=sum(1 for c in rendered if c.clip.generate_audio))


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


_SEEDS = "([what a seed repeats](rules.md#seeds))"


def gallery_intro(state: GalleryState) -> str:
    """The gallery page's opening paragraph (Markdown, linking as docs/gallery.md does)."""
    seeds = _SEEDS
    clips = _count(state.total, "clip", "clips")
    if state.kind == "none":
        return (f"{clips.capitalize()} planned for Seedance 2.0 on fal, none rendered yet. "
                "Each card shows a short local placeholder, labelled as one, above the "
                "prompt, the inputs (endpoint, duration, resolution, aspect ratio, seed) and "
                "the cost by the token formula that its render through fal will use. The "
                "\"Render it\" tabs hold that request in Python and in TypeScript: paste one "
                "and set `FAL_KEY` to render the shot yourself." + TS_UNTESTED)
    if state.kind == "some":
        return (f"{clips.capitalize()} for Seedance 2.0 on fal: "
                f"{_count(state.rendered, 'is a render', 'are renders')} through fal and "
                f"{_count(state.waiting, 'is', 'are')} still a placeholder, labelled as one "
                "until the gallery workflow renders it. Under each card you find the prompt, "
                "the inputs (endpoint, duration, resolution, aspect ratio, seed) and what the "
                "render costs by the token formula; for a render, the prompt is the one sent, "
                "word for word. Each card's tabs hold its request in Python and in "
                "TypeScript: for a render, the same request with its seed asks fal for the "
                "same take again, as far as a seed can promise that " + seeds + "."
                + TS_UNTESTED)
    return (f"{clips.capitalize()} rendered through Seedance 2.0 on fal. Under each one you "
            "find the prompt as it was sent, word for word, the inputs that went with it "
            "(endpoint, duration, resolution, aspect ratio, seed) and what that render cost "
            "by the token formula. The \"Reproduce it\" tabs hold the same request in Python "
            "and in TypeScript: paste one, set `FAL_KEY`, and the same request with the same "
            "seed asks fal for the same take again, as far as a seed can promise that "
            + seeds + "." + TS_UNTESTED)


def gallery_cost_line(state: GalleryState, total: str) -> str:
    """What the clips cost together, and which have sound (Markdown)."""
    if state.kind == "none":
        cost = f"Rendering all {state.total} will cost {total} by the formula."
    elif state.kind == "some":
        cost = (f"All {state.total} together cost {total} by the formula, the renders still "
                "to come included.")
    else:
        cost = f"All {state.total} clips together cost {total} to render."
    if state.rendered_with_sound == state.rendered == state.total and state.total:
        sound = "Videos load only when you press play, and every clip has sound."
    elif state.rendered:
        sound = (f"Videos load only when you press play; "
                 f"{_count(state.rendered_with_sound, 'render has', 'renders have')} sound, "
                 "and the placeholders are silent.")
    else:
        sound = ("Videos load only when you press play. The placeholders are silent; "
                 f"{_count(state.with_sound, 'request asks', 'requests ask')} for sound.")
    return f"{cost} {sound}"


def showcase_intro(state: GalleryState) -> str:
    """The home page's line above the gallery preview (Markdown)."""
    if state.kind == "none":
        return ("The gallery's clips are placeholders until its workflow renders them "
                "through fal. Each one shows the prompt, inputs and cost its render will use, "
                "so you can copy the pattern today.")
    if state.kind == "some":
        return (f"{state.rendered} of the gallery's {state.total} clips are renders made "
                "through the endpoints the guides use, each with the prompt that produced "
                "it; the others are placeholders until the gallery workflow renders them.")
    return ("Sample renders made through the same endpoints the guides use, each with the "
            "prompt that produced it, so you can copy the pattern.")


def preview_button(state: GalleryState) -> str:
    """The home page gallery block's button."""
    return ("See every render in the gallery" if state.kind == "all"
            else "See every clip in the gallery")


def gallery_text_names(data: SiteData) -> dict[str, Any]:
    def state() -> GalleryState:
        return state_of(model(data, "gallery"))

    def intro() -> str:
        return gallery_intro(state())

    def cost_line() -> str:
        return gallery_cost_line(state(), gallery_total(model(data, "gallery")))

    return {
        "gallery_intro": intro,
        "gallery_cost_line": cost_line,
        "showcase_intro": lambda: showcase_intro(state()),
    }

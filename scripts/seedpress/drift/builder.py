"""Which inputs the request builder offers: read from the builder itself, never restated.

The drift watch compares fal's input fields with what the request builder
(:mod:`seedpress.request`, which the builder page's JavaScript is held to)
sends. Rather than keep a second list, it asks the builder: the fullest
request of each endpoint kind (a seed, an end frame, a file of every kind)
gives every input it can send and the type of each value, the plainest one
(a prompt and nothing else) the inputs it always sends.

This is the one place that knows how to ask, so a change to the builder's
request (new inputs, URL fields) changes only :func:`builder_inputs`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.limits import Limits
from ..content.pricing import PricingModel
from ..request import MODES, Request, check_request


@dataclass(frozen=True)
class BuilderInputs:
    #: input name -> the Python type of the value the builder sends
    offered: dict[str, type]
    #: inputs every request of this kind carries
    always: frozenset[str]


def builder_inputs(limits: Limits, model: PricingModel) -> dict[str, BuilderInputs]:
    """Endpoint kind (text, image, reference) -> the inputs the builder offers."""
    out = {}
    for mode in MODES:
        fullest = check_request(limits, model, Request(
            mode=mode, prompt="x", seed=0, end_image=True, images=1, videos=1, audio=1,
            video_seconds=limits.files["video"].limits.get("min_seconds_total", 2),
            audio_seconds=1)).arguments
        plainest = check_request(limits, model, Request(mode=mode, prompt="x")).arguments
        out[mode] = BuilderInputs({k: type(v) for k, v in fullest.items()},
                                  frozenset(plainest))
    return out

"""`seedpress price`: tokens and cost of one render, for editors.

    seedpress price --endpoint bytedance/seedance-2.0/text-to-video \\
        --duration 5 --resolution 720p --aspect-ratio 16:9 [--json]

Figures come from data/pricing.yml through :mod:`seedpress.pricing`; the
text output uses the site's display rule, ``--json`` gives full precision.
"""

from __future__ import annotations

import argparse
import json

from .. import pricing as P
from ..content.pricing import load_pricing
from ..content.schema import did_you_mean
from ..errors import UsageError
from . import add_root, root_of


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "price", help="tokens and cost of one render",
        description="Work out the tokens and the cost of one render from data/pricing.yml. "
                    "Exit 0 on success, 2 when the arguments name something the endpoint "
                    "does not render.")
    p.add_argument("--endpoint", required=True, metavar="ID",
                   help="endpoint id, e.g. bytedance/seedance-2.0/text-to-video")
    p.add_argument("--duration", required=True, type=int, metavar="S",
                   help="output seconds (whole seconds the endpoint allows, e.g. 4 to 15)")
    p.add_argument("--resolution", required=True, metavar="R", help="480p or 720p")
    p.add_argument("--aspect-ratio", required=True, metavar="A", help="e.g. 16:9, 9:16, 1:1")
    p.add_argument("--video-input-seconds", type=float, default=0.0, metavar="S",
                   help="seconds of input video on reference-to-video (counted with the "
                        "output and implies --reference-video; default 0)")
    p.add_argument("--reference-video", action="store_true",
                   help="the call carries video inputs (reference-to-video), so the "
                        "multiplier applies even with no input seconds counted")
    p.add_argument("--json", action="store_true", help="print a JSON object, full precision")
    add_root(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    model = load_pricing(root_of(args, needs=None))
    if args.endpoint not in model.endpoints:
        known = sorted(model.endpoints)
        hint = did_you_mean(args.endpoint, known) or f" (one of {', '.join(known)})"
        raise UsageError(f"unknown endpoint {args.endpoint!r}{hint}")
    try:
        q = P.quote(model, args.endpoint, args.duration, args.resolution, args.aspect_ratio,
                    args.video_input_seconds,
                    reference_video=True if args.reference_video else None)
    except ValueError as err:
        raise UsageError(str(err)) from None
    if args.json:
        print(json.dumps(q.as_dict(), indent=2))
        return 0
    print(f"endpoint      {q.endpoint} ({model.tiers[q.tier].label} tier)")
    print(f"frame         {q.width} x {q.height} ({q.resolution} {q.aspect_ratio})")
    seconds = f"{q.duration_s} s"
    if q.video_input_seconds:
        seconds += f" + {float(q.video_input_seconds):g} s of input video"
    print(f"seconds       {seconds}")
    print(f"tokens        {P.format_tokens(q.exact_tokens)}")
    if q.reference_video:
        print(f"multiplier    x {format(model.reference_video_multiplier.normalize(), 'f')} "
              "(video inputs)")
    print(f"per second    {P.format_per_second(q.exact_per_second)}")
    print(f"cost          {P.format_total(q.exact_cost)}")
    return 0

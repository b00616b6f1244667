"""The request builder's page parts: the form, the verdict and the code tabs.

Rendered at build time for the builder's default request (the worked
request a reader sees without JavaScript), from seedpress.request, the same
checks docs/assets/builder.js runs in the browser. The form's field names,
the verdict's element ids and the code blocks' ids are what builder.js
fills in; tests/browser/test_builder_page.py drives them.
"""

from __future__ import annotations

from dataclasses import asdict

from markupsafe import Markup

from ..content.limits import REFERENCE_KINDS
from ..content.pricing import PricingModel
from ..request import Request, check_request, json_code, python_code, typescript_code
from .markup import render

#: What the page shows before a reader changes anything.
DEFAULT_REQUEST = Request(
    mode="reference", tier="standard", resolution="720p", aspect_ratio="9:16", duration="8",
    generate_audio=True, seed=42, images=2, videos=1, audio=1, video_seconds=3,
    audio_seconds=5,
    prompt=("The barista from @Image1 slides the cup from @Image2 across the counter while "
            "the camera repeats the push-in of @Video1. She says \"Your usual.\" in the voice "
            "of @Audio1."))

MODE_LABELS = {"text": "Text to video", "image": "Image to video",
               "reference": "Reference to video"}
#: the code tabs, in order: (id, label)
TABS = (("json", "JSON"), ("python", "Python"), ("typescript", "TypeScript"))
#: the verdict's first sentence by status (builder.js reads them from the page)
STATUS_SENTENCES = {"ok": "fal accepts this request.",
                    "unconfirmed": "Unconfirmed: fal may refuse this request.",
                    "refused": "fal would refuse this request."}


def builder_form(model: PricingModel, request: Request = DEFAULT_REQUEST) -> Markup:
    limits = model.limits
    verdict = check_request(limits, model, request)
    code = {"json": json_code(verdict.arguments),
            "python": python_code(verdict.endpoint, verdict.arguments),
            "typescript": typescript_code(verdict.endpoint, verdict.arguments)}
    return render("builder.html", model=model, limits=limits, request=asdict(request),
                  verdict=verdict, code=code, tabs=TABS, modes=MODE_LABELS,
                  statuses=STATUS_SENTENCES,
                  kinds=REFERENCE_KINDS, durations=list(limits.durations))

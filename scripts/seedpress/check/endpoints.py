"""SP501: every ``bytedance/seedance...`` id names a known endpoint.

The known endpoints are those of data/limits.yml. A known id may be
followed by a sub-path (``.../text-to-video/api`` on fal's model pages), and
``bytedance/seedance-2.0/requests/...`` is the queue's by-id path; a whole-part
prefix (``bytedance/seedance-2.0/fast/``) is what code joins an id from. Ids under
``fal-ai/`` (``fal-ai/bytedance/seedance/v1.5/pro/...``, the 1.x models) are
another family and not judged here.
"""

from __future__ import annotations

import re

from .. import codes
from ..content.schema import did_you_mean
from .context import Context
from .source import Source

ENDPOINT = re.compile(r"bytedance/seedance[\w.\-/{}]*", re.I)


def _known(ident: str, known: set[str]) -> bool:
    if ident in known or ident.lower() == "bytedance/seedance":  # the family, not an id
        return True
    if any(ident.startswith(k + "/") for k in known):
        return True
    if any(k.startswith(ident + "/") for k in known):
        return True  # a path prefix, as code builds an id from parts
    apps = {k.split("/")[0] + "/" + k.split("/")[1] for k in known}
    return any(ident == a or ident.startswith(a + "/requests") for a in apps)


def check(src: Source, text: str, ctx: Context) -> None:
    known = set(ctx.endpoints)
    if not known or "seedance" not in text.lower():
        return
    for m in ENDPOINT.finditer(text):
        if text[max(0, m.start() - 7):m.start()].lower() == "fal-ai/":
            continue
        ident = m.group().rstrip("./-")
        if not _known(ident, known):
            src.add_at(m.start(), codes.UNKNOWN_ENDPOINT, f"unknown endpoint {ident!r}"
                       f"{did_you_mean(ident, known)}")

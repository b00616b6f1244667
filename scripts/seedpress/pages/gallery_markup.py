"""The gallery page: one card per clip, from clips.yml and the manifest.

``{{ gallery_clips() }}`` in docs/gallery.md expands to Markdown: an HTML
``<figure class="sp-clip">`` per clip (poster, ``<video preload="none"
controls playsinline>``, the prompt beneath, endpoint, duration, resolution,
aspect ratio, seed and the cost computed by :mod:`seedpress.pricing`), then
"Reproduce" tabs with the Python and TypeScript snippets. A placeholder
carries a visible "Placeholder" label. Text from YAML is HTML-escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any

from markupsafe import Markup

from .. import pricing
from ..snippets import python_code, typescript_code
from .computed import model
from .data import SiteData
from .showcase import Showcase, ShownClip

#: The gallery page is docs/gallery.md, served at gallery/: media is one level up.
MEDIA_BASE = "../"


def _indent(code: str, lang: str) -> str:
    body = "\n".join(("    " + line) if line else "" for line in code.rstrip("\n").split("\n"))
    return f"    ```{lang}\n{body}\n    ```"


def _meta(shown: ShownClip) -> str:
    clip, quote = shown.clip, shown.quote
    rows = [
        ("Endpoint", f"<code>{escape(clip.endpoint)}</code>"),
        ("Duration", f"{clip.duration} s"),
        ("Resolution", f"{escape(clip.resolution)} ({quote.width}&times;{quote.height})"),
        ("Aspect ratio", escape(clip.aspect_ratio)),
        ("Audio", "on" if clip.generate_audio else "off"),
        ("Seed", str(shown.seed)),
        ("Cost", f"{pricing.format_total(quote.cost_usd)} <span class=\"sp-clip__note\">"
                 f"({pricing.format_per_second(quote.exact_per_second)} per second, "
                 f"{pricing.format_tokens(quote.exact_tokens)} tokens)</span>"),
    ]
    cells = "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in rows)
    return f'<dl class="sp-clip__meta">{cells}</dl>'


def _status(shown: ShownClip) -> str:
    entry = shown.entry
    if shown.source == "fal" and entry is not None:
        stale = "" if shown.current else " The inputs have changed since; a new render is due."
        return (f'<p class="sp-clip__status">Rendered through fal on '
                f'<time datetime="{escape(entry.rendered)}">{escape(entry.rendered)}</time>, '
                f'request <code>{escape(entry.request_id or "")}</code>.{escape(stale)}</p>')
    if shown.source == "placeholder":
        return ('<p class="sp-clip__status"><strong>Placeholder.</strong> A local stand-in made '
                'with ffmpeg; the render from fal has not run yet. The prompt, inputs and '
                'cost above are the ones it will use.</p>')
    return ('<p class="sp-clip__status"><strong>Not rendered yet.</strong> The prompt, inputs '
            'and cost above are the ones the render will use.</p>')


def _request_lead(shown: ShownClip) -> str:
    """The line above a clip's request: a render is reproduced, a placeholder
    still waits for its first render."""
    if shown.source == "fal":
        return "**Reproduce it.** The same request, from its inputs:"
    return "**Render it.** The request its render will send, from its inputs:"


def clip_card(shown: ShownClip, base: str = MEDIA_BASE, poster_base: str | None = None) -> str:
    """One clip's card; ``base`` leads to the site's root from the page for ``src``
    and ``href``, ``poster_base`` for the poster (see page_names.page_bases)."""
    clip, quote = shown.clip, shown.quote
    video, poster = shown.media("video"), shown.media("poster")
    label = {"placeholder": "Placeholder", "missing": "Not rendered yet"}.get(shown.source)
    badge = f'<span class="sp-clip__badge">{label}</span>' if label else ""
    ratio = f"{quote.width} / {quote.height}"
    if video:
        poster_base = base if poster_base is None else poster_base
        poster_attr = f' poster="{escape(poster_base + poster)}"' if poster else ""
        player = (f'<video preload="none" controls playsinline{poster_attr} '
                  f'width="{quote.width}" height="{quote.height}" '
                  f'aria-label="{escape(clip.alt)}">'
                  f'<source src="{escape(base + video)}" type="video/mp4">'
                  f'<a href="{escape(base + video)}">Download the clip</a></video>')
    else:
        player = f'<div class="sp-clip__empty" role="img" aria-label="{escape(clip.alt)}"></div>'
    html = (
        f'<figure class="sp-clip" id="clip-{escape(clip.id)}" data-source="{shown.source}">\n'
        f'<div class="sp-clip__frame" style="aspect-ratio: {ratio}">{player}{badge}</div>\n'
        f'<figcaption>\n'
        f'<p class="sp-clip__alt">{escape(clip.alt)}</p>\n'
        f'<blockquote class="sp-clip__prompt"><p><span class="sp-clip__label">Prompt</span> '
        f'{escape(clip.prompt)}</p></blockquote>\n'
        f'{_meta(shown)}\n'
        f'{_status(shown)}\n'
        f'</figcaption>\n'
        f'</figure>'
    )
    python = python_code(clip.endpoint, clip.arguments)
    typescript = typescript_code(clip.endpoint, clip.arguments)
    tabs = (f'=== "Python"\n\n{_indent(python, "python")}\n\n'
            f'=== "TypeScript"\n\n{_indent(typescript, "ts")}')
    return (f"## {escape(clip.title)} {{#{clip.id}}}\n\n{html}\n\n"
            f"{_request_lead(shown)}\n\n{tabs}\n")


def gallery_markdown(showcase: Showcase, base: str = MEDIA_BASE,
                     poster_base: str | None = None) -> str:
    return "\n\n".join(clip_card(s, base, poster_base) for s in showcase.clips) + "\n"


def gallery_total(showcase: Showcase) -> str:
    return pricing.format_total(sum(s.quote.exact_cost for s in showcase.clips))


def gallery_names(data: SiteData) -> dict[str, Any]:
    def showcase() -> Showcase:
        return model(data, "gallery")

    return {
        "gallery_clips": lambda base=MEDIA_BASE, poster_base=None: Markup(
            gallery_markdown(showcase(), base, poster_base)),
        "gallery_total": lambda: gallery_total(showcase()),
        "gallery_count": lambda: len(showcase().clips),
        "gallery_placeholders": lambda: sum(1 for s in showcase().clips if s.source != "fal"),
        "gallery_max_age_days": lambda: showcase().gallery.max_age_days,
    }

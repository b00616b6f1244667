"""The FAQ's generated parts: collapsible entries and FAQPage JSON-LD.

Answers in data/faq.yml are rendered in two steps: first their computed
names (``{{ price(...) }}``) are filled in, then the text is escaped and
only three things become markup: paragraphs, `code` and [links](url). So
text from YAML can never inject HTML.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection
from typing import Any

from markupsafe import Markup, escape

from ..content.faq import Faq, FaqEntry
from ..diagnostics import display_path
from .computed import model
from .links import absolute_findings, anchor_findings, link_findings
from .markup import render
from .render import TEXT_ENV, Origin, render_text, scalar_origin, template_findings

_INLINE = re.compile(r"`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)")
_CODE = re.compile(r"`([^`]+)`")
_SAFE_URL = re.compile(r"^(https?://|/|\.{0,2}/?[A-Za-z0-9_#-])")


def answer_origin(faq: Faq, entry: FaqEntry) -> Origin:
    """Positions in an answer, mapped to data/faq.yml."""
    return scalar_origin(display_path(faq.path), faq.text, entry.answer_line)


def fill(entry: FaqEntry, names: dict[str, Any], faq: Faq) -> str:
    """The answer with its computed names filled in (plain text)."""
    return render_text(entry.answer, names, answer_origin(faq, entry), TEXT_ENV)


def answer_findings(faq: Faq, names: dict[str, Any], cache=None) -> list:
    """What :func:`fill` would raise for each answer (the ship check's view)."""
    found = []
    for entry in faq.entries:
        found += template_findings(entry.answer, names, answer_origin(faq, entry), cache,
                                   TEXT_ENV)
    return found


def answer_link_findings(faq: Faq, known: Collection[str], anchors=None, site=None) -> list:
    """Links in the answers to a page the site does not have (SP502), to an id
    that page lacks (SP503), or written from the host's root (SP504, with
    ``site``, the site's addresses). Answers link site-relative
    (``rules.md#seeds``), as from a page at the top of docs/."""
    found = []
    for entry in faq.entries:
        origin = answer_origin(faq, entry)
        found += link_findings(entry.answer, "faq.md", known, origin)
        if anchors is not None:
            found += anchor_findings(entry.answer, "faq.md", anchors, origin)
        if site is not None:
            found += absolute_findings(entry.answer, "faq.md", site, origin)
    return found


def link_target(url: str, base: str, addresses: dict[str, str] | None = None) -> str:
    """A site-relative ``page.md`` link as a URL from a page at ``base``; a post
    (``blog/posts/<file>.md``) is published at its own address, which
    ``addresses`` gives (the blog's URL, not the file's folder)."""
    if url.startswith(("http://", "https://", "/", "#")):
        return url
    path, _, anchor = url.partition("#")
    if addresses and path in addresses:
        path = addresses[path]
    elif path.endswith(".md"):
        path = path[:-3]
        path = "" if path == "index" else path.removesuffix("/index") + "/"
    return base + path + (f"#{anchor}" if anchor else "")


def _label(text: str) -> Markup:
    """A link's words, whose code spans stay code, as in the guides' Markdown."""
    out = Markup("")
    pos = 0
    for m in _CODE.finditer(text):
        out += escape(text[pos:m.start()]) + Markup("<code>%s</code>") % m.group(1)
        pos = m.end()
    return out + escape(text[pos:])


def _inline(text: str, base: str, addresses: dict[str, str] | None = None) -> Markup:
    out = Markup("")
    pos = 0
    for m in _INLINE.finditer(text):
        out += escape(text[pos:m.start()])
        if m.group(1) is not None:
            out += Markup("<code>%s</code>") % m.group(1)
        else:
            url = m.group(3)
            if _SAFE_URL.match(url) and not url.lower().startswith(("javascript:", "data:")):
                out += Markup('<a href="%s">%s</a>') % (link_target(url, base, addresses),
                                                           _label(m.group(2)))
            else:
                out += escape(m.group(0))
        pos = m.end()
    return out + escape(text[pos:])


def paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def answer_html(text: str, base: str = "", addresses: dict[str, str] | None = None) -> Markup:
    return Markup("\n").join(Markup("<p>%s</p>") % _inline(p, base, addresses)
                             for p in paragraphs(text))


def answer_text(text: str) -> str:
    """The answer as plain text (for structured data)."""
    plain = _INLINE.sub(lambda m: m.group(1) if m.group(1) is not None
                        else _CODE.sub(r"\1", m.group(2)), text)
    return "\n\n".join(paragraphs(plain))


def faq_entries(faq: Faq, names: dict[str, Any], base: str = "../",
                addresses: dict[str, str] | None = None) -> Markup:
    items = [{"id": e.id, "question": e.question,
              "answer": answer_html(fill(e, names, faq), base, addresses)} for e in faq.entries]
    return render("faq.html", items=items)


def faq_jsonld(faq: Faq, names: dict[str, Any]) -> Markup:
    data = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {"@type": "Question", "name": e.question,
             "acceptedAnswer": {"@type": "Answer", "text": answer_text(fill(e, names, faq))}}
            for e in faq.entries
        ],
    }
    text = json.dumps(data, indent=1, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">\n{text}\n</script>\n')


def faq_names(data, names: dict[str, Any]) -> dict[str, Callable[..., Markup]]:
    # a post's source is blog/posts/<file>.md in the tree; readers find it at its URL
    addresses = {data.post_uri(p.path): data.post_url(p) for p in data.posts}
    return {
        "faq_entries": lambda base="../": faq_entries(model(data, "faq"), names, base,
                                                      addresses),
        "faq_jsonld": lambda: faq_jsonld(model(data, "faq"), names),
    }

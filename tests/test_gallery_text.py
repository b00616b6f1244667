"""The home page and the gallery say what the manifest holds: placeholders are
never called renders, and renders are.

Each state is built in process: the repository's data with its gallery
manifest turned into that state, the home page and the gallery page rendered
by the build's own renderer and names, then read as HTML text, the way a
reader meets the words.
"""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

import markdown
import pytest
import yaml
from seedpress.gallery.manifest import Manifest
from seedpress.pages.data import load_site_data
from seedpress.pages.gallery_text import state_of
from seedpress.pages.page_names import page_names
from seedpress.pages.render import render_text
from seedpress.pages.showcase import make_showcase
from seedpress.pages.tree import page_sources
from support import ROOT, TODAY

#: what a placeholder may never be called (each is true of a render only)
CLAIMS_OF_A_RENDER = re.compile(
    r"sample renders|are renders|renders made|rendered through (?:seedance|fal)|"
    r"same shot back|same take again|see every render|still from the render|"
    r"as it was sent|every clip has sound|that render cost|reproduce it", re.I)


class _Text(HTMLParser):
    """The words of an HTML page, alt texts included."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("alt", "aria-label") and value:
                self.parts.append(value)

    def handle_data(self, data):
        self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture(scope="module")
def base():
    return load_site_data(ROOT, TODAY)


def in_state(data, rendered: int):
    """``data`` with its first ``rendered`` clips recorded as renders made through
    fal and the rest as placeholders."""
    showcase = data.models["gallery"]
    entries = {}
    for i, shown in enumerate(showcase.clips):
        entry = shown.entry
        if i < rendered:
            entry = dataclasses.replace(entry, source="fal", request_id=f"req-{i}",
                                        cost_usd=shown.quote.cost_usd,
                                        hash=shown.clip.input_hash)
        else:
            entry = dataclasses.replace(entry, source="placeholder", request_id=None)
        entries[shown.clip.id] = entry
    manifest = Manifest(showcase.manifest.path, entries)
    models = dict(data.models)
    models["gallery"] = make_showcase(showcase.gallery, manifest, data.models["pricing"])
    return dataclasses.replace(data, models=models)


def pages(data) -> dict[str, str]:
    """The home page and the gallery as a reader sees their words."""
    names = page_names(data)
    out = {}
    for src in page_sources(data):
        if src.uri in ("index.md", "gallery.md"):
            body = render_text(src.body, names, src.origin)
            html = markdown.markdown(body, extensions=["admonition", "attr_list", "md_in_html"])
            out[src.uri] = visible_text(html)
    assert set(out) == {"index.md", "gallery.md"}
    return out


def test_the_repository_gallery_is_placeholders_today(base):
    state = state_of(base.models["gallery"])
    assert state.total >= 3 and state.kind == "none", state


def test_while_clips_are_placeholders_no_sentence_calls_them_renders(base):
    data = in_state(base, rendered=0)
    for uri, text in pages(data).items():
        found = CLAIMS_OF_A_RENDER.findall(text)
        assert found == [], f"{uri} says {found} of placeholders"
        assert "placeholder" in text.lower(), uri
    text = pages(data)["gallery.md"]
    total = len(data.models["gallery"].clips)
    assert f"{total} clips planned for Seedance 2.0 on fal, none rendered yet" in text
    assert "The placeholders are silent" in text
    assert "Render it." in text


def test_when_renders_land_the_text_says_so(base):
    data = in_state(base, rendered=len(base.models["gallery"].clips))
    text = pages(data)
    total = len(data.models["gallery"].clips)
    assert f"{total} clips rendered through Seedance 2.0 on fal" in text["gallery.md"]
    assert "the same request with the same seed asks fal for the same take again" in (
        text["gallery.md"])
    assert "every clip has sound" in text["gallery.md"]
    assert "Rendered through fal on" in text["gallery.md"]
    assert text["gallery.md"].count("Reproduce it.") == total
    assert "Sample renders made through the same endpoints" in text["index.md"]
    assert "See every render in the gallery" in text["index.md"]
    for uri, words in text.items():
        assert "placeholder" not in words.lower(), uri


def test_some_renders_and_some_placeholders_are_counted(base):
    total = len(base.models["gallery"].clips)
    data = in_state(base, rendered=2)
    text = pages(data)
    assert f"2 of the gallery's {total} clips are renders" in text["index.md"]
    assert f"2 are renders through fal and {total - 2} are still a placeholder" in (
        text["gallery.md"])
    assert "See every clip in the gallery" in text["index.md"]
    assert text["gallery.md"].count("Reproduce it.") == 2
    assert text["gallery.md"].count("Render it.") == total - 2


def test_the_home_page_front_matter_holds_in_both_states():
    """The hero is typed in docs/index.md, so it must be true whatever the manifest says."""
    front = (ROOT / "docs" / "index.md").read_text(encoding="utf-8").split("---")[1]
    meta = yaml.safe_load(front)
    words = " ".join([meta["description"], meta["hero"]["lead"]]
                     + [a["label"] for a in meta["hero"]["actions"]])
    assert CLAIMS_OF_A_RENDER.findall(words) == []
    assert "renders you can reproduce" not in words and "See the renders" not in words

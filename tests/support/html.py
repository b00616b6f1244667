"""Reading built pages: one parser of a page's <head> (its tags, links, title and
structured data), and the built file behind a URL of the published site."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from . import ROOT

SITE_URL = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(), re.M).group(1)
#: the <meta> keys that say what a page shares (Open Graph, Twitter, article, description)
SHARE_KEYS = ("og:", "twitter:", "article:", "description")


class Head(HTMLParser):
    """The <meta> and <link> tags of a page's <head>, its <title> and its JSON-LD."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict[str, str]] = []
        self.title = ""
        self.json_ld: list = []
        self._in_title = False
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("property" in a or "name" in a):
            self.meta.setdefault(a.get("property") or a["name"], []).append(a.get("content", ""))
        elif tag == "link":
            self.links.append(a)
        elif tag == "title":
            self._in_title = True
        self._in_ld = tag == "script" and a.get("type") == "application/ld+json"

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._in_ld and data.strip():
            self.json_ld.append(json.loads(data))

    @property
    def tags(self) -> dict[str, list[str]]:
        """Share tags, canonical and alternate links (``link:canonical``), as a page
        compares across engines."""
        found = {k: v for k, v in self.meta.items() if k.startswith(SHARE_KEYS)}
        for link in self.links:
            if link.get("rel") in ("canonical", "alternate"):
                found.setdefault(f"link:{link['rel']}", []).append(link.get("href") or "")
        return found

    def one(self, key: str) -> str:
        values = self.meta.get(key, [])
        assert len(values) == 1, f"{key}: {values}"
        return values[0]

    def link(self, rel: str) -> str:
        found = [link["href"] for link in self.links if rel in link.get("rel", "").split()]
        assert len(found) == 1, f"link rel={rel}: {found}"
        return found[0]


def head_of(path: Path) -> Head:
    head = Head()
    head.feed(path.read_text(encoding="utf-8"))
    return head


def local_file(site: Path, url: str) -> Path:
    """The built file behind an absolute URL of the published site."""
    assert url.startswith(SITE_URL), url
    rel = url.removeprefix(SITE_URL)
    return site / (rel + "index.html" if rel.endswith("/") or not rel else rel)

"""Dump the readable text of built pages (the <article> or main content) to .txt files.

Usage: python dump.py SITE_DIR OUT_DIR
Code blocks are kept verbatim between ``` fences; links are kept as <href>.
The expert reads of issue 18 read these dumps (README.md beside this file).
"""
import html
import sys
from html.parser import HTMLParser
from pathlib import Path

PAGES = {
    "home": "index.html",
    "faq": "faq/index.html",
    "rules": "rules/index.html",
    "pricing": "pricing/index.html",
    "gallery": "gallery/index.html",
    "builder": "builder/index.html",
    "editors": "editors/index.html",
    "ship-check": "ship-check/index.html",
}

BLOCK = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "br", "table",
         "ul", "ol", "section", "details", "summary", "figure", "figcaption", "label",
         "blockquote", "dt", "dd", "option", "fieldset", "legend"}
SKIP = {"script", "style", "svg", "noscript", "template"}


class Dump(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.depth_in = 0  # inside article/main content
        self.skip = 0
        self.pre = 0
        self.stack = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class") or ""
        if tag in ("article",) or "md-content" in cls.split():
            self.depth_in += 1
            self.stack.append(("in", tag))
        else:
            self.stack.append((None, tag))
        if not self.depth_in:
            return
        if tag in SKIP:
            self.skip += 1
            return
        if "headerlink" in cls.split():
            self.skip += 1
            self.stack[-1] = ("skip", tag)
            return
        if tag == "pre":
            self.pre += 1
            self.out.append("\n```\n")
        elif tag in ("h1", "h2", "h3", "h4"):
            self.out.append("\n\n" + "#" * int(tag[1]) + " ")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in ("td", "th"):
            self.out.append(" | ")
        elif tag in BLOCK:
            self.out.append("\n")
        elif tag == "img" and a.get("alt"):
            self.out.append(f"[image: {a['alt']}]")
        elif tag == "input" and a.get("value"):
            self.out.append(f"[input {a.get('name') or a.get('id') or ''}={a['value']}]")
        elif tag == "a" and a.get("href") and not self.pre:
            self.stack[-1] = ("a", tag, a["href"])

    def handle_endtag(self, tag):
        # pop to the matching tag
        while self.stack:
            item = self.stack.pop()
            kind, t = item[0], item[1]
            if kind == "in":
                self.depth_in -= 1
            if kind == "skip":
                self.skip -= 1
            if t == tag:
                if self.depth_in and tag in SKIP:
                    self.skip = max(0, self.skip - 1)
                if self.depth_in or kind == "in":
                    if tag == "pre":
                        self.pre -= 1
                        self.out.append("\n```\n")
                    elif kind == "a" and not self.skip:
                        href = item[2]
                        if not href.startswith("#"):
                            self.out.append(f" <{href}>")
                    elif tag in BLOCK:
                        self.out.append("\n")
                break

    def handle_data(self, data):
        if not self.depth_in or self.skip:
            return
        if self.pre:
            self.out.append(data)
        else:
            if not data.strip():
                self.out.append(" " if data else "")
                return
            lead = " " if data[0].isspace() else ""
            trail = " " if data[-1].isspace() else ""
            self.out.append(lead + " ".join(data.split()) + trail)

    def text(self):
        raw = "".join(self.out)
        lines = [ln.rstrip() for ln in raw.splitlines()]
        res, blank = [], 0
        for ln in lines:
            if not ln.strip():
                blank += 1
                if blank > 1:
                    continue
            else:
                blank = 0
            res.append(ln)
        return html.unescape("\n".join(res)).strip() + "\n"


def main():
    site, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    pages = dict(PAGES)
    for d in sorted((site / "blog").iterdir()):
        listing = d.name in ("archive", "category", "page")
        if d.is_dir() and (d / "index.html").exists() and not listing:
            pages[d.name] = f"blog/{d.name}/index.html"
    for name, rel in pages.items():
        p = Dump()
        p.feed((site / rel).read_text(encoding="utf-8"))
        (out / f"{name}.txt").write_text(p.text(), encoding="utf-8")
        print(f"{name}: {len(p.text())} chars")


if __name__ == "__main__":
    main()

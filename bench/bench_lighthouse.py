"""Lighthouse scores and page weight: this site against stock Material.

Two sites are built in the same run with the real ``mkdocs build``:

- ``ours``: this repository (theme overrides, data pages, hook);
- ``stock``: the same Markdown (pages and posts) in a minimal project with
  theme ``material``, plugins ``search`` and ``blog``, and nothing of ours.

Each is served on 127.0.0.1 by a small server that gzips text responses, as
a production host does, and audited by Lighthouse (the npm package, pinned,
installed into bench/.work/lighthouse) driving Debian's chromium with its
default mobile settings (simulated slow 4G, 4x CPU slowdown, a phone
viewport). Chromium resolves no host but 127.0.0.1, so nothing leaves the
machine. Rows per page: performance, accessibility, best practices, SEO
(scores 0..100) and transferred bytes.

Goals: 100 for accessibility, best practices and SEO, at least 95 for
performance, and a home page under 350 KB.

Run alone: ``python bench/run.py lighthouse``. Each page is audited three
times and the median kept, since one performance score on a shared 2-core
machine swings by ten points; ``LIGHTHOUSE_RUNS=1`` trades that for speed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
# the static server the browser tests use (tests/support): one server for both
sys.path.insert(0, str(ROOT / "tests"))

import yaml  # noqa: E402
from bench_build import _TaggedDumper, our_markdown_extensions  # noqa: E402
from common import Row  # noqa: E402
from seedpress.pages.data import load_site_data  # noqa: E402
from support.staticserver import serve  # noqa: E402

LIGHTHOUSE = "lighthouse@12.8.2"
CHROMIUM = "/usr/bin/chromium"
MKDOCS = Path(sys.executable).parent / "mkdocs"
CHROME_FLAGS = " ".join([
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    # nothing but the local server is reachable
    '--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"',
])
CATEGORIES = (("performance", "performance", 95), ("accessibility", "accessibility", 100),
              ("best-practices", "best practices", 100), ("seo", "SEO", 100))
HOME_BUDGET_KB = 350


def _post_slug() -> str:
    posts = [p for p in load_site_data(ROOT).posts if not p.draft]
    return max(posts, key=lambda p: (p.featured, len(p.body))).slug


def pages() -> dict[str, str]:
    return {"home": "", "blog index": "blog/", "post": f"blog/{_post_slug()}/",
            "gallery": "gallery/", "pricing": "pricing/", "faq": "faq/",
            "builder": "builder/"}


@dataclass
class Audit:
    scores: dict[str, float]
    kb: float


def install(work: Path) -> Path:
    """The Lighthouse CLI, installed with npm into ``work`` when missing."""
    npm = shutil.which("npm")
    if not shutil.which("node") or not npm:
        raise RuntimeError("node and npm are needed for Lighthouse: run `make sysdeps`")
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: run `make sysdeps`")
    name, _, version = LIGHTHOUSE.rpartition("@")
    manifest = work / "node_modules" / name / "package.json"
    if not manifest.is_file() or json.loads(manifest.read_text())["version"] != version:
        work.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "install", "--prefix", str(work), "--no-audit", "--no-fund",
                        "--silent", LIGHTHOUSE], check=True, timeout=600)
    return work / "node_modules" / ".bin" / "lighthouse"


def _without_template(page: Path) -> str:
    """A page's Markdown without a ``template:`` of ours in its front matter."""
    text = page.read_text(encoding="utf-8")
    return re.sub(r"\A(---\n(?:.*\n)*?)template:.*\n", r"\1", text)


def make_stock(dest: Path) -> Path:
    """Our Markdown in a stock Material project (no overrides, no hook, no data)."""
    if dest.exists():
        shutil.rmtree(dest)
    docs = dest / "docs"
    (docs / "blog" / "posts").mkdir(parents=True)
    config = {
        "site_name": "stock",
        "site_url": "https://example.org/",
        "theme": {"name": "material"},
        "plugins": ["search", {"blog": {"post_url_format": "{slug}"}}],
        "markdown_extensions": our_markdown_extensions(),
    }
    (dest / "mkdocs.yml").write_text(
        yaml.dump(config, Dumper=_TaggedDumper, sort_keys=False), encoding="utf-8")
    for page in ("index.md", "faq.md", "gallery.md", "pricing.md", "builder.md",
                 "blog/index.md"):
        (docs / page).write_text(_without_template(ROOT / "docs" / page), encoding="utf-8")
    shutil.copy2(ROOT / "docs" / "blog" / ".authors.yml", docs / "blog" / ".authors.yml")
    for post in (ROOT / "posts").glob("*.md"):
        shutil.copy2(post, docs / "blog" / "posts" / post.name)
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    return dest


def build(project: Path, out: Path) -> Path:
    env = {k: v for k, v in os.environ.items() if k != "FAL_KEY"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    subprocess.run([str(MKDOCS), "build", "--quiet", "--site-dir", str(out)], cwd=project,
                   env=env, check=True, timeout=900)
    return out


def audit(lighthouse: Path, url: str, report: Path) -> Audit:
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    cmd = [str(lighthouse), url, "--quiet", "--output=json", f"--output-path={report}",
           "--only-categories=" + ",".join(c[0] for c in CATEGORIES),
           f"--chrome-flags={CHROME_FLAGS}", "--max-wait-for-load=60000"]
    for attempt in (1, 2):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        if done.returncode == 0 and report.is_file():
            break
        if attempt == 2:
            raise RuntimeError(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
    data = json.loads(report.read_text())
    scores = {key: round((data["categories"][key]["score"] or 0) * 100)
              for key, _, _ in CATEGORIES}
    return Audit(scores, data["audits"]["total-byte-weight"]["numericValue"] / 1024)


def median(audits: list[Audit]) -> Audit:
    keys = audits[0].scores
    return Audit({k: statistics.median(a.scores[k] for a in audits) for k in keys},
                 statistics.median(a.kb for a in audits))


def rows(work: Path) -> list[Row]:
    lighthouse = install(work / "lighthouse")
    runs = max(1, int(os.environ.get("LIGHTHOUSE_RUNS", "3")))
    sites = {
        "stock": build(make_stock(work / "stock"), work / "stock-site"),
        "ours": build(ROOT, work / "ours-site"),
    }
    reports = work / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    results: dict[tuple[str, str], Audit] = {}
    for which, site in sites.items():
        with serve(site, compress=True) as base:
            for name, path in pages().items():
                slug = name.replace(" ", "-")
                results[which, name] = median([
                    audit(lighthouse, base + path, reports / f"{which}-{slug}-{i}.json")
                    for i in range(runs)])
                print(f"lighthouse: {which} {name}: {results[which, name]}", file=sys.stderr)

    out: list[Row] = []
    for name in pages():
        stock, ours = results["stock", name], results["ours", name]
        for key, label, goal in CATEGORIES:
            target = f">= {goal}" if goal < 100 else "= 100"
            out.append(Row("lighthouse", f"{name}: {label}", stock.scores[key],
                           ours.scores[key], unit="", goal=target,
                           met=ours.scores[key] >= goal))
        budget = HOME_BUDGET_KB if name == "home" else None
        out.append(Row("lighthouse", f"{name}: transferred", stock.kb, ours.kb, unit=" KB",
                       goal=f"< {budget} KB" if budget else "",
                       met=(ours.kb < budget) if budget else None))
    return out

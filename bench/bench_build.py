"""Build time: this site, with each engine, against stock Material with the blog plugin.

For 10, 100 and 1,000 generated posts the same Markdown files go into two
projects under ``work``:

- ``ours``: a copy of this repository (config, docs, overrides, data,
  gallery, the hook) whose ``posts/`` holds the generated posts beside the
  publication's own (its pages link to some of them);
- ``stock``: a minimal site (theme ``material``, plugins ``search`` and
  ``blog``, our Markdown extensions so the posts render the same way) with
  the same posts, ours included, under ``docs/blog/posts/``.

Both are built with the real ``mkdocs build --strict`` from this virtualenv
in subprocesses, interleaved (ours, stock, stock, ours, ...) so that load on
the shared machine hits both alike; each keeps its best time. Then ``ours``
is built by Zensical (``seedpress build --engine zensical``: the generation
stage, then Zensical on its tree), cold (its cache dropped) and warm (the
cache of the run before kept), beside the same builds so the rows compare
it with stock Material and with our MkDocs build measured in the same run.

Run alone: ``python bench/run.py build``. Profile our build at one size:
``python bench/bench_build.py --profile 1000`` (prints the top functions).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from common import Row  # noqa: E402
from seedpress.clock import today as decide_today  # noqa: E402
from seedpress.content import load_publication  # noqa: E402

BIN = Path(sys.executable).parent
MKDOCS = BIN / "mkdocs"
SEED = 20261124

#: Post counts and how many timed builds each project gets at that size.
SIZES: tuple[tuple[int, int], ...] = ((10, 3), (100, 3), (1000, 2))
GOAL_RATIO = 1.3
#: Zensical's build of our site against stock Material at the largest size
ZENSICAL_GOALS = {"cold": 0.5, "warm": 0.35}
SEEDPRESS = BIN / "seedpress"

# What the copy of our project leaves out: tooling, caches, outputs, and the
# real posts (replaced by generated ones).
_SKIP_ANYWHERE = {".venv", ".git", "node_modules", "__pycache__", ".pytest_cache",
                  ".ruff_cache", ".mypy_cache"}
_SKIP_AT_TOP = {"site", "artifacts", "bench", "tests", "posts", ".github"}


# --------------------------------------------------------------------------
# Generated posts


SUBJECTS = [
    "image-to-video", "text-to-video", "reference-to-video", "the fast tier",
    "native audio", "vertical ads", "product shots", "character consistency",
    "camera moves", "storyboards", "lip sync", "loopable clips", "seeds",
    "the render queue", "webhooks", "retries", "batch renders", "aspect ratios",
    "480p drafts", "end frames", "reference videos", "style transfer",
]
TITLE_SHAPES = [
    "How to get steady results from {s}",
    "{S} in production: what we learned",
    "A field guide to {s}",
    "When {s} is worth the render time",
    "Five mistakes with {s}, and the fixes",
    "{S}: a checklist before you ship",
    "Debugging {s} on fal",
    "What changed in {s} this quarter",
    "Planning a week of work around {s}",
    "{S} for small teams",
]
HEADINGS = [
    "What you need", "The short version", "Setting up the request",
    "Reading the result", "Where it goes wrong", "Costs and limits",
    "A worked example", "Variations worth trying", "Checking the output",
    "When to stop", "Notes from the queue", "What to try next",
]
OPENERS = [
    "Most of the time the first render is close but not right.",
    "The request itself is small; the decisions around it are not.",
    "A clip that looks fine on a laptop can fall apart on a phone.",
    "Nothing here needs more than the Python client and a key in the environment.",
    "We kept a log of every render for a month and read it back.",
    "The model rewards a prompt that names one subject and one motion.",
    "A seed makes a render repeatable, not good.",
    "Short shots fail less often than long ones, and cost less when they do.",
]
MIDDLES = [
    "Start with {s} at 480p, pick the best of three seeds, then render the winner at 720p.",
    "Keep the prompt to a subject, an action, a camera move and a light source.",
    "Write the duration as a string, because the schema is an enum of strings.",
    "Treat every URL in the result as one that expires, and copy the file the moment it lands.",
    "Retry with a shorter duration before you reach for another endpoint.",
    "Reference images are counted against the limit of twelve files per request.",
    "Audio costs nothing extra, so leave it on unless the cut will replace it.",
    "Log the request id with the prompt, so a failure can be traced later.",
    "A square frame suits {s} better than a wide one when the subject is centred.",
    "Name references in the prompt in the order they were given.",
    "Queue positions move quickly at night and slowly around noon on weekdays.",
    "The result carries the seed that was used, even when none was sent.",
]
CLOSERS = [
    "That is the whole loop: small drafts, one good render, a copy kept safe.",
    "Write down what worked; the next prompt will start from it.",
    "If it still fails, the troubleshooting guide lists the error shapes.",
    "Keep the cheap draft around, because it is the best record of intent.",
]
BULLETS = [
    "one subject per shot", "a named camera move", "a light source",
    "the duration as a string", "a seed in the log", "a 480p draft first",
    "the fast tier for drafts", "a copy of every result", "the request id",
]
CODE_BLOCKS = [
    ("python", 'import fal_client\n\nresult = fal_client.subscribe(\n'
     '    "bytedance/seedance-2.0/fast/text-to-video",\n'
     '    arguments={{"prompt": "{p}", "duration": "5", "resolution": "480p"}},\n'
     '    with_logs=True,\n)\nprint(result["video"]["url"], result["seed"])\n'),
    ("bash", 'curl -s -X POST "https://queue.fal.run/bytedance/seedance-2.0/text-to-video" \\\n'
     '  -H "Authorization: Key $FAL_KEY" -H "Content-Type: application/json" \\\n'
     '  -d \'{{"prompt": "{p}", "aspect_ratio": "9:16"}}\'\n'),
    ("yaml", "clip: {slug}\nendpoint: bytedance/seedance-2.0/image-to-video\n"
     'prompt: "{p}"\nduration: "8"\nresolution: 720p\nseed: {seed}\n'),
    ("typescript", 'import {{ fal }} from "@fal-ai/client";\n\n'
     'const result = await fal.subscribe("bytedance/seedance-2.0/text-to-video", {{\n'
     '  input: {{ prompt: "{p}", duration: "10" }},\n  logs: true,\n}});\n'
     "console.log(result.data.video.url);\n"),
]
PROMPTS = [
    "a red kite over a grey sea, slow dolly in, late light",
    "a barista pours milk, close up, soft window light",
    "a paper boat in a gutter after rain, low angle",
    "a cyclist at dawn on an empty bridge, tracking shot",
    "a ceramic mug turning on a plinth, studio light",
]


@dataclass(frozen=True)
class GeneratedPost:
    slug: str
    text: str


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _sentence(rng: random.Random, pool: list[str], subject: str) -> str:
    return rng.choice(pool).format(s=subject)


def _paragraph(rng: random.Random, subject: str) -> str:
    parts = [_sentence(rng, OPENERS, subject)]
    parts += [_sentence(rng, MIDDLES, subject) for _ in range(rng.randint(2, 4))]
    return " ".join(parts)


def generate_posts(count: int, *, categories: list[str], authors: list[str],
                   today: dt.date, max_age_days: int, seed: int = SEED) -> list[GeneratedPost]:
    """``count`` varied posts; the same arguments always give the same posts.

    Every post is current (updated within ``max_age_days`` of ``today``) and
    uses only the given categories and authors, so a strict build accepts it.
    """
    rng = random.Random(seed)
    # Every title once before any repeats, and repeats numbered: the ship
    # check (rightly) refuses two posts with one title.
    pairs = [(shape, subject) for shape in TITLE_SHAPES for subject in SUBJECTS]
    rng.shuffle(pairs)
    posts = []
    for i in range(count):
        shape, subject = pairs[i % len(pairs)]
        title = shape.format(s=subject, S=subject[0].upper() + subject[1:])
        if i >= len(pairs):
            title += f" (part {i // len(pairs) + 1})"
        slug = f"{_slugify(title)}-{i:04d}"
        updated = today - dt.timedelta(days=rng.randint(0, max_age_days - 1))
        created = updated - dt.timedelta(days=rng.randint(0, 300))
        cats = rng.sample(categories, k=rng.choice((1, 1, 2)))
        description = _sentence(rng, MIDDLES, subject)
        lang, code = rng.choice(CODE_BLOCKS)
        code = code.format(p=rng.choice(PROMPTS), slug=slug, seed=rng.randint(1, 99999))
        headings = rng.sample(HEADINGS, k=rng.randint(3, 5))
        front = {
            "title": title,
            "slug": slug,
            "description": description,
            "date": {"created": created, "updated": updated},
            "categories": cats,
            "authors": [rng.choice(authors)],
        }
        body = [f"# {title}", "", description, "", "<!-- more -->", "",
                _paragraph(rng, subject), ""]
        for n, heading in enumerate(headings):
            body += [f"## {heading}", "", _paragraph(rng, subject), ""]
            if n == 0:
                body += [f"- {b}" for b in rng.sample(BULLETS, k=4)] + [""]
            if n == 1:
                body += [f"```{lang}", code.rstrip("\n"), "```", ""]
            if n == 2 and rng.random() < 0.5:
                body += ["!!! tip", "", f"    {_sentence(rng, MIDDLES, subject)}", ""]
            if n == 2 and rng.random() < 0.3:
                body += ["| setting | draft | final |", "|---|---|---|",
                         "| resolution | 480p | 720p |", '| duration | "5" | "10" |', ""]
        body += [rng.choice(CLOSERS), ""]
        meta = yaml.safe_dump(front, sort_keys=False, allow_unicode=True)
        posts.append(GeneratedPost(slug, f"---\n{meta}---\n\n" + "\n".join(body)))
    return posts


def write_posts(posts: list[GeneratedPost], folder: Path, *, with_ours: bool = False) -> None:
    """The posts as files; ``with_ours`` adds the publication's own posts."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for post in posts:
        (folder / f"{post.slug}.md").write_text(post.text, encoding="utf-8")
    if with_ours:
        for path in sorted((ROOT / "posts").glob("*.md")):
            shutil.copy2(path, folder / path.name)


# --------------------------------------------------------------------------
# The two projects


def _ignore(directory: str, names: list[str]) -> set[str]:
    skip = {n for n in names if n in _SKIP_ANYWHERE}
    if Path(directory).resolve() == ROOT:
        skip |= {n for n in names if n in _SKIP_AT_TOP}
    return skip


def _link_or_copy(src: str, dst: str) -> str:
    """Hard-link unchanged sources (cheap for media); copy across filesystems."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
    return dst


def make_ours(dest: Path) -> Path:
    """A copy of this repository's site without its posts."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(ROOT, dest, ignore=_ignore, copy_function=_link_or_copy)
    return dest


class _Tagged:
    """A YAML value with a tag (``!!python/name:...``) carried through unchanged."""

    def __init__(self, tag: str, value: str):
        self.tag, self.value = tag, value


class _TolerantLoader(yaml.SafeLoader):
    pass


class _TaggedDumper(yaml.SafeDumper):
    pass


_TolerantLoader.add_multi_constructor(
    "", lambda loader, tag, node: _Tagged(tag, loader.construct_scalar(node)))
_TaggedDumper.add_representer(
    _Tagged, lambda dumper, data: dumper.represent_scalar(data.tag, data.value))


def our_markdown_extensions() -> list:
    """``markdown_extensions`` of our mkdocs.yml, so both sites read Markdown alike."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_TolerantLoader)
    return list(config.get("markdown_extensions") or [])


def make_stock(dest: Path) -> Path:
    """Stock Material: theme, search, blog, nothing of ours but the Markdown setup."""
    if dest.exists():
        shutil.rmtree(dest)
    docs = dest / "docs"
    (docs / "blog").mkdir(parents=True)
    config = {
        "site_name": "stock",
        "site_url": "https://example.org/",
        "theme": {"name": "material"},
        "plugins": ["search", "blog"],
        "markdown_extensions": our_markdown_extensions(),
    }
    (dest / "mkdocs.yml").write_text(
        yaml.dump(config, Dumper=_TaggedDumper, sort_keys=False), encoding="utf-8")
    (docs / "index.md").write_text("# Stock\n\nA stock Material blog.\n", encoding="utf-8")
    (docs / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    # Our posts link to a few pages of ours; stock gets a stub of each, so its
    # strict build resolves the same links.
    for path in sorted((ROOT / "posts").glob("*.md")):
        for target in set(re.findall(r"\]\(\.\./\.\./([\w/-]+\.md)", path.read_text())):
            stub = docs / target
            stub.parent.mkdir(parents=True, exist_ok=True)
            stub.write_text(f"# {Path(target).stem}\n\n## anchors\n", encoding="utf-8")
    # The posts name authors; the blog plugin needs them declared.
    shutil.copy2(ROOT / "docs" / "blog" / ".authors.yml", docs / "blog" / ".authors.yml")
    if (ROOT / "docs" / "assets" / "authors").is_dir():
        shutil.copytree(ROOT / "docs" / "assets" / "authors", docs / "assets" / "authors")
    return dest


def build_env(today: dt.date) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "FAL_KEY"}
    noon = dt.datetime(today.year, today.month, today.day, 12, tzinfo=dt.UTC)
    env.update(SOURCE_DATE_EPOCH=str(int(noon.timestamp())), NO_MKDOCS_2_WARNING="1")
    return env


@dataclass(frozen=True)
class Timing:
    wall: float  # seconds a person waits
    cpu: float   # user + system seconds of the mkdocs process (less sensitive to load)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(project: Path, env: dict[str, str], engine: str = "mkdocs",
          cold: bool = True) -> Timing:
    """One real strict build of ``project``; raises if it fails. For Zensical,
    ``cold`` drops its cache first."""
    out = project.parent / f"{project.name}-{engine}-site"
    # Every run starts from no output: mkdocs would otherwise spend the first
    # part of a repeat deleting the previous run's thousands of files.
    shutil.rmtree(out, ignore_errors=True)
    if engine == "mkdocs":
        command = [str(MKDOCS), "build", "--strict", "--quiet", "--site-dir", str(out)]
    else:
        command = [str(SEEDPRESS), "build", "--engine", "zensical", "--site-dir", str(out),
                   "--root", str(project)] + (["--clean"] if cold else [])
    cpu = _children_cpu()
    start = time.perf_counter()
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True,
                            timeout=1800)
    timing = Timing(time.perf_counter() - start, _children_cpu() - cpu)
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-20:])
        raise RuntimeError(f"{engine} build failed in {project}:\n{tail}")
    return timing


# --------------------------------------------------------------------------
# The rows


def _authors() -> list[str]:
    data = yaml.safe_load((ROOT / "docs" / "blog" / ".authors.yml").read_text(encoding="utf-8"))
    return sorted((data or {}).get("authors") or {}) or ["desk"]


def prepare(work: Path, count: int, today: dt.date) -> tuple[Path, Path]:
    """Both projects, each holding the same ``count`` generated posts."""
    publication = load_publication(ROOT)
    posts = generate_posts(count, categories=list(publication.categories), authors=_authors(),
                           today=today, max_age_days=publication.max_age_days)
    base = work.resolve() / f"n{count}"
    ours = make_ours(base / "ours")
    write_posts(posts, ours / "posts", with_ours=True)
    stock = make_stock(base / "stock")
    write_posts(posts, stock / "docs" / "blog" / "posts", with_ours=True)
    return ours, stock


def _per_post_ms(times: dict[int, Timing], count: int) -> float:
    """CPU milliseconds of the whole build divided by its number of posts."""
    return times[count].cpu / count * 1000


def rows(work: Path) -> list[Row]:
    today = decide_today()
    env = build_env(today)
    work.mkdir(parents=True, exist_ok=True)
    ours_t: dict[int, Timing] = {}
    stock_t: dict[int, Timing] = {}
    zen_t: dict[tuple[int, str], Timing] = {}
    for count, repeat in SIZES:
        ours, stock = prepare(work, count, today)
        runs_ours: list[Timing] = []
        runs_stock: list[Timing] = []
        runs_zen: dict[str, list[Timing]] = {"cold": [], "warm": []}
        # Interleaved, and in ABBA order (ours, stock, stock, ours, ...), so
        # load on the shared machine, rising or falling, hits both alike; a
        # cold and a warm Zensical build of ours in every round.
        for i in range(repeat):
            pair = ((ours, runs_ours), (stock, runs_stock))
            for project, runs in pair if i % 2 == 0 else reversed(pair):
                runs.append(build(project, env))
            runs_zen["cold"].append(build(ours, env, "zensical", cold=True))
            runs_zen["warm"].append(build(ours, env, "zensical", cold=False))
        ours_t[count] = _best(runs_ours)
        stock_t[count] = _best(runs_stock)
        for kind, runs in runs_zen.items():
            zen_t[count, kind] = _best(runs)
        print(f"bench: build {count} posts, best of {repeat}: "
              f"ours {ours_t[count].wall:.2f}s ({ours_t[count].cpu:.2f}s cpu), "
              f"stock {stock_t[count].wall:.2f}s ({stock_t[count].cpu:.2f}s cpu), "
              f"zensical cold {zen_t[count, 'cold'].wall:.2f}s, "
              f"warm {zen_t[count, 'warm'].wall:.2f}s", file=sys.stderr, flush=True)
    out: list[Row] = []
    goal = f"ratio <= {GOAL_RATIO}"
    for count, _ in SIZES:
        ours, stock = ours_t[count], stock_t[count]
        out.append(Row("build", f"{count} posts vs stock", stock.wall, ours.wall,
                       goal=goal, met=ours.wall <= GOAL_RATIO * stock.wall))
    for count, _ in SIZES:
        out.append(Row("build", f"{count} posts vs stock (cpu)", stock_t[count].cpu,
                       ours_t[count].cpu))
    largest = SIZES[-1][0]
    for kind in ("cold", "warm"):
        for count, _ in SIZES:
            zen = zen_t[count, kind]
            target = ZENSICAL_GOALS[kind] if count == largest else None
            out.append(Row("build", f"zensical {kind}, {count} posts vs stock", stock_t[count].wall,
                           zen.wall, goal=f"ratio <= {target}" if target else "",
                           met=zen.wall <= target * stock_t[count].wall if target else None))
        for count, _ in SIZES:
            out.append(Row("build", f"zensical {kind}, {count} posts vs our mkdocs",
                           ours_t[count].wall, zen_t[count, kind].wall))
    sizes = [c for c, _ in SIZES]
    if len(sizes) >= 2:  # linear growth: cpu time per post at the largest size vs the next
        small, large = sizes[-2:]
        for name, times, row_goal in (("ours", ours_t, goal), ("stock", stock_t, "")):
            low, high = _per_post_ms(times, small), _per_post_ms(times, large)
            out.append(Row("build", f"{name}: cpu ms/post at {large} vs {small}", low, high,
                           unit="ms", goal=row_goal,
                           met=high <= GOAL_RATIO * low if row_goal else None))
    return out


def _best(runs: list[Timing]) -> Timing:
    """The fastest wall time and the smallest cpu time (each the least disturbed)."""
    return Timing(min(t.wall for t in runs), min(t.cpu for t in runs))


# --------------------------------------------------------------------------
# Profiling (not part of `make bench`)


def profile(count: int, work: Path, top: int = 40, which: str = "ours") -> int:
    """Build one project with ``count`` posts under cProfile; print the top functions."""
    today = decide_today()
    work = work.resolve()
    projects = dict(zip(("ours", "stock"), prepare(work, count, today), strict=True))
    stats = work / f"n{count}" / f"{which}.prof"
    out = work / f"n{count}" / f"{which}-site"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "cProfile", "-o", str(stats), str(MKDOCS), "build", "--strict",
           "--quiet", "--site-dir", str(out)]
    result = subprocess.run(cmd, cwd=projects[which], env=build_env(today))
    if result.returncode != 0:
        return result.returncode
    import pstats

    for key in ("cumulative", "tottime"):
        print(f"\n== top {top} by {key} ==")
        pstats.Stats(str(stats)).sort_stats(key).print_stats(top)
    return 0


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", type=int, metavar="N", required=True,
                        help="profile our build with N generated posts")
    parser.add_argument("--stock", action="store_true",
                        help="profile the stock Material build instead of ours")
    args = parser.parse_args()
    if args.profile < 1:
        parser.error("--profile needs a positive number of posts")
    sys.exit(profile(args.profile, HERE / ".work" / "build-profile",
                     which="stock" if args.stock else "ours"))

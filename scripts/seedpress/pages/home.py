"""The home page's computed sections, worked out from the content at build time.

Numbers (posts, words, em dashes found, featured posts, covers), the keyword
cloud, topics with post counts, the featured and latest posts, the field
table and the cost cards. Each returns markup from an autoescaping template.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup

from .. import pricing as P
from ..content.dashes import publication_count
from ..content.field import OWN_MODEL, Field
from ..content.posts import Post, strip_code
from ..content.pricing import PricingModel
from .computed import model, pro15_figures
from .data import SiteData
from .gallery_text import preview_button, state_of
from .markup import render
from .pricing_markup import worked_examples

#: Words too common to say what the publication is about.
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are aren't as at be because been
before being below between both but by can can't cannot could couldn't did didn't do does
doesn't doing don't down during each either else even every few first for from further get
gets getting give given gives go goes going got had hadn't has hasn't have haven't having he
her here hers herself him himself his how however i if in into is isn't it it's its itself
just keep keeps know last least less let let's like likely make makes many may me might more
most much must my myself need needs never new no nor not now of off on once one only onto or
other others our ours ourselves out over own per put rather really said same say says see
seem she should shouldn't since so some still such take takes than that that's the their
theirs them themselves then there there's these they they're thing things this those though
through thus to too two under until up upon us use used uses using very via want was wasn't
way we well were weren't what what's when where whether which while who whom whose why will
with within without won't would wouldn't yet you you'd you'll you're you've your yours
yourself yourselves s t don e.g i.e etc vs
""".split())

_WORD = re.compile(r"[a-z][a-z0-9]*(?:[.'-][a-z0-9]+)*")
_NOISE = [
    re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S),   # computed names
    re.compile(r"<!--.*?-->", re.S),              # comments
    re.compile(r"<[^>]+>"),                       # inline HTML
    re.compile(r"\]\([^)]*\)"),                   # link targets
    re.compile(r"`[^`]*`"),                       # inline code
    re.compile(r"https?://\S+"),                  # bare URLs
]


def published(data: SiteData) -> list[Post]:
    return [p for p in data.posts if not p.draft]


def has_cover(data: SiteData, post: Post) -> bool:
    cover = post.front.cover
    return cover is not None and (data.publication.docs_dir / cover).is_file()


def em_dashes(data: SiteData) -> int:
    """The em dashes the ship check finds in the publication's sources: its own
    count (:func:`seedpress.content.dashes.publication_count`), not a second one."""
    return publication_count(data.root)


def keyword_counts(posts: list[Post]) -> Counter[str]:
    """How often each keyword occurs in the posts' titles and prose."""
    counts: Counter[str] = Counter()
    for post in posts:
        counts.update(_post_keywords(post.title, post.body))
    return counts


@lru_cache(maxsize=4096)
def _post_keywords(title: str, body: str) -> Counter[str]:
    """One post's keyword counts (computed once per text: the keyword cloud and
    "Read next" both read them)."""
    text = strip_code(body)
    for pattern in _NOISE:
        text = pattern.sub(" ", text)
    text = title + "\n" + text
    counts: Counter[str] = Counter()
    for word in _WORD.findall(text.lower()):
        word = word.strip(".'-").removesuffix("'s")
        if len(word) > 2 and word not in STOP_WORDS and not word.isdigit():
            counts[word] += 1
    return counts


@dataclass(frozen=True)
class CloudWord:
    word: str
    count: int
    weight: int


def keyword_cloud_words(posts: list[Post], limit: int = 40, steps: int = 6) -> list[CloudWord]:
    """The most frequent keywords, alphabetical, each weighted 1..steps (log scale)."""
    top = keyword_counts(posts).most_common(limit)
    if not top:
        return []
    high, low = math.log(top[0][1]), math.log(top[-1][1])
    span = (high - low) or 1.0
    words = [CloudWord(w, c, 1 + round((math.log(c) - low) / span * (steps - 1))) for w, c in top]
    return sorted(words, key=lambda w: w.word)


@dataclass(frozen=True)
class Number:
    value: str
    label: str
    note: str


def numbers(data: SiteData) -> list[Number]:
    posts = published(data)
    featured = [p for p in posts if p.featured]
    covers = sum(1 for p in featured if has_cover(data, p))
    return [
        Number(f"{len(posts):,}", "posts", "Dated guides, each on one subject."),
        Number(f"{sum(p.words for p in posts):,}", "words",
               "Across every guide, code blocks left out."),
        Number(f"{em_dashes(data):,}", "em dashes found",
               "The ship check's count over every source file, made at build time. It "
               "reads the built site too, all but the theme's own scripts, which use the "
               "character as code."),
        Number(f"{len(featured):,}", "featured posts", "Chosen by the editors to read first."),
        Number(f"{covers:,}", "covers", "Drawn for the featured posts."),
    ]


#: how many of a topic's newest posts the home page lists before "All N posts"
TOPIC_POSTS = 5


def topics(data: SiteData, base: str = "", per_topic: int = TOPIC_POSTS) -> list[dict]:
    """Each category with posts: its count, its newest ``per_topic`` posts, and
    how many more its category page holds (so the home page stays a page, not
    the whole archive, as the blog grows)."""
    posts = published(data)
    out = []
    for name in data.publication.categories:
        members = _newest([p for p in posts if name in p.categories])
        if members:
            out.append({"name": name, "count": len(members),
                        "url": base + data.settings.category_url(name),
                        "posts": [{"title": p.title, "url": base + data.post_url(p)}
                                  for p in members[:per_topic]],
                        "more": max(len(members) - per_topic, 0)})
    return out


def _newest(posts: list[Post]) -> list[Post]:
    return sorted(posts, key=lambda p: (p.created or p.updated, p.slug), reverse=True)


def _card(data: SiteData, post: Post, base: str) -> dict:
    cover = post.front.cover if has_cover(data, post) else None
    return {"title": post.title, "description": post.description,
            "url": base + data.post_url(post),
            "cover": f"{base}{cover}" if cover else None,
            "created": post.created.isoformat() if post.created else "",
            "updated": post.updated.isoformat() if post.updated else "",
            "categories": post.categories}


def featured_cards(data: SiteData, base: str = "", limit: int = 3) -> list[dict]:
    return [_card(data, p, base) for p in _newest([p for p in published(data) if p.featured])
            ][:limit]


def latest_cards(data: SiteData, base: str = "", limit: int = 5) -> list[dict]:
    return [_card(data, p, base) for p in _newest(published(data))][:limit]


def cost_cards(model: PricingModel) -> list[dict]:
    """The worked examples side by side, each with its price on every tier and
    what it assumes (the same rows as the pricing page's table; each is a
    request the builder prices the same)."""
    cards: dict[str, dict] = {}
    for row in worked_examples(model):
        card = cards.setdefault(row.example, {"name": row.example, "prices": [],
                                              "assumption": row.assumption})
        card["prices"].append({"tier": model.tiers[row.tier].label, "total": row.total,
                               "endpoint": row.endpoint})
    return list(cards.values())


#: the fallback's id in data/field.yml; its price comes from its own formula
PRO15_MODEL = "seedance-1.5-pro"


def field_rows(field: Field, pricing: PricingModel) -> list[dict]:
    rows = []
    for m in field.models:
        # a quoted figure carries the day it was written into the data (its source gives
        # none); a computed price, the day fal's rates were recorded
        figures = [{"label": f.label, "value": f.display(), "source": f.source,
                    "when": "recorded", "date": f.date.isoformat()} for f in m.figures]
        if m.id == OWN_MODEL:
            figures.insert(0, {
                "label": "Price at 720p 16:9",
                "value": f"{P.format_per_second(P.per_second(pricing, 'standard', '720p'))} "
                         "per second",
                "source": "computed from fal's published rates",
                "when": "recorded", "date": pricing.values_since.isoformat()})
        if m.id == PRO15_MODEL and pricing.pro15 is not None:
            pro = pro15_figures(pricing.pro15)  # a page prints them: dated
            figures.insert(0, {
                "label": "Price at 1080p",
                "value": f"{P.format_per_second(P.pro15_per_second(pro, '1080p'))} per second "
                         f"with audio, the rate to budget at "
                         f"({P.format_per_second(P.pro15_per_second(pro, '1080p', audio=False))} "
                         "without, but no field we know of turns its sound off)",
                "source": "computed from the rates on its fal model page, at {} frames a "
                          "second and a 1080p 16:9 frame of {}x{}, neither of which that "
                          "page states".format(
                              pro.frame_rate, *pro.frame_sizes["1080p"]["16:9"]),
                # its own day: the rates came from its own page (data/pricing.yml)
                "when": "recorded", "date": pro.values_since.isoformat()})
        rows.append({"name": m.name, "maker": m.maker, "wins": m.wins,
                     "pick_when": m.pick_when, "figures": figures})
    return rows


def home_names(data: SiteData) -> dict:
    def section(template: str, **names) -> Markup:
        return render(template, **names)

    return {
        "home_numbers": lambda: section("home_numbers.html", numbers=numbers(data)),
        "keyword_cloud": lambda limit=40: section(
            "home_cloud.html", words=keyword_cloud_words(published(data), limit)),
        "topics_list": lambda base="": section("home_topics.html", topics=topics(data, base)),
        "featured_posts": lambda base="": section(
            "home_posts.html", cards=featured_cards(data, base), kind="featured"),
        "latest_posts": lambda base="", limit=5: section(
            "home_posts.html", cards=latest_cards(data, base, limit), kind="latest"),
        "cost_cards": lambda: section("home_costs.html", cards=cost_cards(model(data, "pricing"))),
        "field_table": lambda: section("home_field.html", rows=field_rows(model(data, "field"),
                                                                  model(data, "pricing"))),
        "gallery_preview": lambda base="": section(
            "home_gallery.html", clips=gallery_clips(data, base), url=f"{base}gallery/",
            button=_gallery_button(data)),
    }


def _gallery_button(data: SiteData) -> str:
    return preview_button(state_of(model(data, "gallery")))


def gallery_clips(data: SiteData, base: str = "", limit: int = 3) -> list[dict]:
    """The first clips of the showcase (data.models["gallery"]), with poster and
    prompt, when the gallery stage loaded one; an empty list otherwise."""
    showcase = model(data, "gallery")
    out = []
    for shown in list(getattr(showcase, "clips", None) or [])[:limit]:
        clip = getattr(shown, "clip", None)
        prompt = getattr(clip, "prompt", None)
        if not prompt:
            continue
        poster = shown.media("poster") if hasattr(shown, "media") else None
        out.append({"id": str(getattr(clip, "id", "") or ""), "prompt": str(prompt),
                    "poster": f"{base}{poster}" if poster else None,
                    "placeholder": getattr(shown, "source", "fal") != "fal"})
    return out

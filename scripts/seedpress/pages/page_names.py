"""Every name pages, posts and FAQ answers may use, in one dictionary.

Figures (prices, tokens, rates, field figures), the pricing tables and the
estimator, the FAQ, the home page's sections, the gallery, the ship check's
codes, and the code guides share (``snippet``). Each name looks up its model
when called; a model whose file did not load raises
:class:`~seedpress.pages.render.Unavailable`, which the check does not report
against the page (the file itself is reported).
"""

from __future__ import annotations

import functools
from typing import Any

from ..codes import registry as ship_check_codes
from . import pricing_markup as PM
from .builder_markup import builder_form
from .code_include import snippet_names
from .computed import computed_names, model
from .data import SiteData
from .faq_markup import faq_names
from .gallery_markup import gallery_names
from .gallery_text import gallery_text_names
from .home import home_names
from .limit_names import limit_names
from .settings import Settings

PRICING_TABLES = {
    "per_second": PM.per_second_table,
    "durations": PM.duration_table,
    "reference": PM.reference_table,
    "examples": PM.examples_table,
}


#: names whose markup carries relative href and src (the FAQ's links, the
#: gallery's clips, the home page's posts): ``base`` leads from the page to
#: the site's root, as the engine resolves such URLs (see page_bases)
ROOTED = ("faq_entries", "gallery_clips", "gallery_preview", "topics_list", "featured_posts",
          "latest_posts", "builder_form")


def page_bases(uri: str, engine: str, settings: Settings) -> tuple[str, str]:
    """(the base of a relative ``href`` or ``src``, the base of any other relative
    URL) for raw HTML on the page at ``uri`` of the build tree.

    MkDocs leaves raw HTML alone, so both lead from the page's URL to the root
    (``faq.md`` is served at ``faq/``: "../"). Zensical rewrites every relative
    ``href``, ``src`` and ``srcset`` in the page as it does Markdown links,
    from the folder of the page's source file (``faq.md``: ""), and leaves other
    attributes (a video's ``poster``) as written."""
    if uri.startswith(settings.posts_uri + "/"):
        served = settings.post_url("x").count("/")  # blog/<slug>/: 2
    elif settings.directory_urls and not (uri == "index.md" or uri.endswith("/index.md")):
        served = uri.count("/") + 1
    else:
        served = uri.count("/")
    source = uri.count("/")
    return ("../" * (source if engine == "zensical" else served)), "../" * served


def names_for_page(names: dict[str, Any], links: str, urls: str) -> dict[str, Any]:
    """``names`` with the bases of one page as the defaults of the names that
    write relative URLs (a base given in the page still wins)."""
    out = dict(names)
    for key in ROOTED:
        if key in names:
            out[key] = functools.partial(names[key], base=links)
    if "gallery_clips" in names:
        out["gallery_clips"] = functools.partial(names["gallery_clips"], base=links,
                                                 poster_base=urls)
    return out


def page_names(data: SiteData) -> dict[str, Any]:
    names: dict[str, Any] = {
        "site": data,
        "post_count": sum(1 for post in data.posts if not post.draft),
        "ship_check_codes": ship_check_codes,
    }
    names.update(computed_names(data))

    def pricing_table(name: str):
        try:
            make = PRICING_TABLES[name]
        except KeyError:
            raise KeyError(f"no pricing table {name!r} "
                           f"(one of {', '.join(PRICING_TABLES)})") from None
        return make(model(data, "pricing"))

    names["pricing_table"] = pricing_table
    names["estimator_form"] = lambda: PM.estimator_form(model(data, "pricing"))
    names["builder_form"] = lambda base="../": builder_form(
        model(data, "pricing"), data.settings, model(data, "rules"), base=base)
    names.update(home_names(data))
    names.update(gallery_names(data))
    names.update(gallery_text_names(data))
    # the rules and the FAQ render text that may use any name, themselves included
    names.update(limit_names(data, names))
    names.update(faq_names(data, names))
    # code several guides show, from snippets/ (its own computed names rendered too)
    names.update(snippet_names(data, names))
    return names

"""The request builder's page parts: the form, the verdict and the code tabs.

Rendered at build time for the worked request (what a reader sees without
JavaScript), from seedpress.request and seedpress.snippets, the same checks
and code docs/assets/builder.js writes in the browser. The code is
highlighted here by Pygments, as the posts' code is; builder.js highlights
what it writes with docs/assets/highlight.js. The form's field names, the
verdict's element ids and the code blocks' ids are what builder.js fills in;
tests/browser/test_builder_page.py drives them.
"""

from __future__ import annotations

from dataclasses import asdict

from markupsafe import Markup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name

from ..content.call import FILE_KIND, NOUNS, UNPUBLISHED, either, placeholder
from ..content.limits import REFERENCE_KINDS, Limits
from ..content.pricing import PricingModel
from ..content.rules import Rules
from ..request import Request, check_request
from ..snippets import VARIANTS, all_code
from .faq_markup import link_target
from .markup import render
from .pricing_markup import MODE_LABELS
from .settings import Settings

#: What the page shows before a reader changes anything.
DEFAULT_REQUEST = Request(
    mode="reference", tier="standard", resolution="720p", aspect_ratio="9:16", duration="8",
    generate_audio=True, seed=None, images=2, videos=1, audio=1, video_seconds=3,
    audio_seconds=5,
    prompt=("The barista from @Image1 slides the cup from @Image2 across the counter while "
            "the camera repeats the push-in of @Video1. She says \"Your usual.\" in the voice "
            "of @Audio1."))
#: fal's defaults: what a field of a shared link that the link leaves out means
FAL_DEFAULTS = Request()

#: the verdict's first sentence by status (builder.js reads them from the page);
#: "link" when a shared link asked for values the form had to leave out
STATUS_SENTENCES = {"ok": "Within every limit fal publishes that this form can check.",
                    "unconfirmed": "Unconfirmed: fal may refuse this request.",
                    "refused": "fal would refuse this request.",
                    "link": "fal would refuse the request this link describes: the form "
                            "holds it without the values left out."}
#: the page's other sentences, which builder.js fills in (from the page's markup)
SENTENCES = {
    #: above the code of a refused request
    "code_refused": "This code would be refused: {reason}",
    "code_more": " ({n} more above)",
    #: a value of a shared link the form cannot hold
    "dropped": "From the link, left out: {param}. {why}",
    "dropped_check": "It takes on or off.",
    "dropped_long": "It is longer than {most} characters.",
    "dropped_unknown": "The builder has no such setting.",
    #: a menu's option a shared link added, since the menu lacked it
    "from_link": "{value} (from the link)",
    #: a reference file's URL field, before its tag
    "url_of": "URL of",
    #: the summary, where a price would be
    "not_priced": "Not priced",
    #: beside the seed, when a change of endpoint kind cleared it (in the words of the
    #: `seeds` rule of data/rules.yml, which the note links)
    "seed_cleared": "The seed {seed} was cleared: the same request sent again, endpoint "
                    "and inputs included, asks for the same take, and this kind of "
                    "endpoint is another one. Type it again to use it as a starting point.",
}
#: the rule the seed's note links (data/rules.yml), and where the rules page is from
#: the builder's page (site-relative, as the FAQ's answers link it)
SEEDS_RULE = "seeds"
#: a file hint where fal publishes no formats or size (reference images, the last
#: frame), as data/rules.yml's input-files and start-image rules put it
CAUTION = ("fal publishes no formats or size for {which}; the start image's limits "
           "({limits}) are a cautious guide")
#: the lexer of each variant (Pygments names, as the posts' fences use them)
LEXERS = {"json": "json", "curl": "bash", "python": "python", "typescript": "typescript",
          "webhook": "python"}
#: the post and the heading that show how to verify a webhook delivery
VERIFY_POST, VERIFY_HEADING = "production-render-queue", "webhooks-are-a-doorbell"


def verify_url(settings: Settings) -> str:
    """Where the webhook variant sends a reader to verify deliveries."""
    site_url = settings.site_url
    base = site_url if site_url.endswith("/") or not site_url else site_url + "/"
    return f"{base}{settings.post_url(VERIFY_POST)}#{VERIFY_HEADING}"


def highlighted(code: str, variant: str) -> Markup:
    """``code`` as Pygments' spans (the text unchanged), as the posts show code."""
    lexer = get_lexer_by_name(LEXERS[variant], stripnl=False, ensurenl=False)
    return Markup(highlight(code, lexer, HtmlFormatter(nowrap=True)))


def file_hint(limits: Limits, kind: str, which: str = "them") -> str:
    """What each file of ``kind`` may be, in a reader's words (data/limits.yml): the
    limits fal publishes, or for a kind it publishes none for, the caution (about
    ``which``: "them" or "it")."""
    if kind in UNPUBLISHED:
        return CAUTION.format(which=which, limits=file_hint(limits, "start_image"))
    spec = limits.files[FILE_KIND[kind]]
    limit = spec.limits
    parts = [either(list(spec.formats))]
    if "max_mb_each" in limit:
        each = " each" if kind in REFERENCE_KINDS else ""
        parts.append(f"up to {limit['max_mb_each']} MB{each}")
    if "min_seconds_total" in limit:
        parts.append(f"{limit['min_seconds_total']} to {limit['max_seconds_total']} s together")
    elif "max_seconds_total" in limit:
        parts.append(f"at most {limit['max_seconds_total']} s together")
    if "max_mb_total" in limit:
        parts.append(f"under {limit['max_mb_total']} MB together")
    return ", ".join(parts)


def builder_form(model: PricingModel, settings: Settings, rules: Rules,
                 request: Request = DEFAULT_REQUEST, base: str = "../") -> Markup:
    """The builder; ``base`` leads from its page to the site's root as the engine resolves
    a relative href in raw HTML (see page_names.page_bases)."""
    limits = model.limits
    seeds = {"title": rules.get(SEEDS_RULE).title,
             "url": link_target(f"rules.md#{SEEDS_RULE}", base)}
    verdict = check_request(limits, model, request)
    verify = verify_url(settings)
    code = {key: highlighted(text, key)
            for key, text in all_code(verdict.endpoint, verdict.arguments, verify).items()}
    kinds = [{"kind": kind, "field": key, "tag": tag, "label": NOUNS[kind][1].capitalize(),
              "most": limits.references[kind], "hint": file_hint(limits, kind),
              "urls": [placeholder(kind, n) for n in
                       range(1, min(int(getattr(request, kind)), limits.references[kind]) + 1)]}
             for kind, (key, tag) in REFERENCE_KINDS.items()]
    return render("builder.html", model=model, limits=limits, request=asdict(request),
                  fal=asdict(FAL_DEFAULTS), verdict=verdict, code=code, tabs=VARIANTS,
                  modes=MODE_LABELS, statuses=STATUS_SENTENCES, kinds=kinds,
                  sentences=SENTENCES, seeds=seeds,
                  start_hint=file_hint(limits, "start_image"),
                  end_hint=file_hint(limits, "images", "it"), verify_url=verify,
                  durations=list(limits.durations),
                  image_placeholders=(placeholder("images", 1), placeholder("images", 2)))

"""The request builder in Chromium.

Every test runs on the MkDocs build; on the Zensical build the page is opened
on its worked request, a shared link is followed, the code is copied and the
script is seen to load on this page only (the parity test shows both builds
carry the same markup, and the page sweep audits its Zensical chrome), which
is what can differ between the engines.

What a reader sets in the form is checked, priced and written out as
seedpress.request and seedpress.snippets do it in Python: the test computes
every expectation with check_request and the emitters and compares the
page's text with it. The request survives a shared link (a link's bad value
is held and refused with its reason, or left out and listed), the page passes
axe-core in light and dark, works at 375 px (the price in view) and with the
keyboard, reads without JavaScript, and every code variant it emits, with real
URLs in the fields, sends exactly the JSON the page shows: the Python ones run
with the real fal_client, cURL with curl, against the fake fal server.

The form's values become a request as docs/assets/builder.js says in its
header; ``request_of`` below is that rule in Python.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import subprocess
import sys
import types
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from seedpress.content.limits import SEED_MAX
from seedpress.content.pricing import load_pricing
from seedpress.pages.builder_markup import (
    DEFAULT_REQUEST,
    SENTENCES,
    STATUS_SENTENCES,
    verify_url,
)
from seedpress.pages.data import load_site_data
from seedpress.pages.settings import Settings
from seedpress.request import Request, check_request
from seedpress.snippets import QUEUE_HOST, VARIANTS, WEBHOOK_URL, all_code
from support import ROOT, require_tool
from support.browser import PHONE, new_tab

from .axe import audit, describe

pytestmark = pytest.mark.browser
#: a test the Zensical build adds nothing to (same markup, same script)
MKDOCS_ONLY = pytest.mark.parametrize("engine", ["mkdocs"], indirect=True)

MODEL = load_pricing(ROOT)
PAGE = "builder/"
#: the form's fields, in page order (the URL fields of the references aside)
FIELDS = ("mode", "tier", "resolution", "aspect_ratio", "duration", "seed", "generate_audio",
          "image_url", "end_image", "end_image_url", "images", "videos", "audio",
          "video_seconds", "audio_seconds", "prompt")
URL_LISTS = ("image_urls", "video_urls", "audio_urls")
#: what <input type=number> holds (builder.js's NUMBER)
NUMBER = re.compile(r"-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d{1,3})?", re.ASCII)
SITE_URL = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(), re.M)[1]
VERIFY = verify_url(Settings.read(ROOT / "mkdocs.yml"))
VARIANT_IDS = tuple(v for v, _ in VARIANTS)

#: Sets form fields from a dict (checkboxes from booleans, a reference kind's URL
#: fields from a list), sends one input event as typing does, and reads back the
#: fields and everything the builder fills in.
DRIVE = """
(states) => {
  const form = document.getElementById("sp-builder");
  const byId = (id) => document.getElementById(id);
  const text = (id) => byId(id).textContent;
  const items = (id) => [...document.querySelectorAll(`#${id} li`)].map((li) => li.textContent);
  const lists = ["image_urls", "video_urls", "audio_urls"];
  const variants = ["json", "curl", "python", "typescript", "webhook"];
  const input = (field) => field.dispatchEvent(new Event("input", { bubbles: true }));
  return states.map((state) => {
    for (const [name, value] of Object.entries(state)) {
      if (lists.includes(name)) {
        form.querySelectorAll(`input[name=${name}]`).forEach((field, i) => {
          field.value = value[i] || "";
          input(field);
        });
        continue;
      }
      const field = form.elements[name];
      if (field.type === "checkbox") field.checked = value; else field.value = value;
      input(field);
    }
    const values = Object.fromEntries(lists.map((name) => [name, []]));
    for (const field of form.elements) {
      if (!field.name) continue;
      if (lists.includes(field.name)) values[field.name].push(field.value);
      else values[field.name] = field.type === "checkbox" ? field.checked : field.value;
    }
    const blocks = variants.map((id) => byId(`sp-builder-${id}`));
    const codeStatus = byId("sp-builder-code-status");
    return {
      values,
      verdict_class: byId("sp-builder-verdict").className,
      status: text("sp-builder-status"),
      errors: items("sp-builder-errors"), warnings: items("sp-builder-warnings"),
      dropped: items("sp-builder-dropped"),
      price: text("sp-builder-price"), rule: text("sp-builder-rule"),
      code: Object.fromEntries(variants.map((id, i) => [id, blocks[i].textContent])),
      only_spans: blocks.every((b) => [...b.querySelectorAll("*")].every(
        (el) => el.tagName === "SPAN" && el.children.length === 0)),
      highlighted: blocks.every((b) => b.querySelector("span[class]") !== null),
      summary_status: text("sp-builder-summary-status"),
      summary_price: text("sp-builder-summary-price"),
      code_status: codeStatus.hidden ? "" : codeStatus.textContent,
      code_marked: byId("sp-builder-code").dataset.status,
      link: byId("sp-builder-link").href,
      hidden: Object.fromEntries([...form.querySelectorAll("fieldset[data-mode]")].map(
        (f) => [f.dataset.mode, f.hidden])),
    };
  });
}
"""


# -- the form's rule, in Python ------------------------------------------------

def _number(text: str) -> str:
    text = text.strip()
    return text if NUMBER.fullmatch(text) else ""


def _count(text: str) -> int:
    text = text.strip()
    value = float(text) if text else 0.0
    if not math.isfinite(value):
        value = 0.0
    return min(9999, max(0, math.floor(value)))


def _seed(text: str):
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    return float(text) if NUMBER.fullmatch(text) else text


def request_of(values: dict) -> Request:
    """The request builder.js reads from the form's values."""
    return Request(
        mode=values["mode"], tier=values["tier"], resolution=values["resolution"],
        aspect_ratio=values["aspect_ratio"], duration=values["duration"],
        generate_audio=values["generate_audio"], end_image=values["end_image"],
        seed=_seed(values["seed"]), prompt=values["prompt"], images=_count(values["images"]),
        videos=_count(values["videos"]), audio=_count(values["audio"]),
        video_seconds=Fraction(_number(values["video_seconds"]) or "0"),
        audio_seconds=Fraction(_number(values["audio_seconds"]) or "0"),
        image_url=values["image_url"], end_image_url=values["end_image_url"],
        **{key: _urls(values[key]) for key in URL_LISTS})


def _urls(values: list[str]) -> tuple[str, ...]:
    """A kind's URL fields as sent; empty fields at the end send example addresses,
    as no field at all does."""
    values = list(values)
    while values and not values[-1]:
        values.pop()
    return tuple(values)


def expected(request: Request) -> dict:
    """What the page should show for ``request``, from Python."""
    v = check_request(MODEL.limits, MODEL, request)
    price = (f"{v.price['cost']} for {v.price['tokens']} tokens ({v.price['per_second']} per "
             f"second of output) on {v.endpoint}" if v.price else "")
    refused = ""
    if v.status == "refused":
        more = SENTENCES["code_more"].format(n=len(v.errors) - 1) if len(v.errors) > 1 else ""
        refused = SENTENCES["code_refused"].format(reason=v.errors[0]) + more
    return {"verdict_class": f"sp-builder__verdict sp-builder__verdict--{v.status}",
            "status": STATUS_SENTENCES[v.status], "errors": v.errors, "warnings": v.warnings,
            "price": price, "rule": v.rule, "code": all_code(v.endpoint, v.arguments, VERIFY),
            "summary_status": STATUS_SENTENCES[v.status],
            "summary_price": v.price["cost"] if v.price else SENTENCES["not_priced"],
            "code_status": refused, "code_marked": v.status, "dropped": []}


def assert_shows(shown: dict, request: Request | None = None) -> None:
    request = request or request_of(shown["values"])
    want = expected(request)
    for key, value in want.items():
        assert shown[key] == value, f"{key} for {request!r}"
    assert shown["only_spans"], "the code blocks hold markup other than highlighting spans"
    assert shown["highlighted"], "the code is not highlighted"
    assert shown["hidden"] == {"image": request.mode != "image",
                               "reference": request.mode != "reference"}


#: addresses a reader may paste: signed, typed by extension or data:, or wrong
URLS = ("https://cdn.example.org/shots/keeper.png?X-Amz-Signature=ab.gif&x=1",
        "https://cdn.example.org/clip.MOV", "http://host/voice.wav", "ftp://host/a.png",
        "https://host/still.gif", "data:image/webp;base64,AAAA", "", "not a url",
        "https://host/track.m4a", "https://host/noext", "https://host/brief.pdf",
        "https://host/clips/v1.2")


def states_grid() -> list[dict]:
    """Form states over every option and around every limit, with odd text."""
    seeds = ("", "0", "42", "-1", str(SEED_MAX), str(SEED_MAX + 1), "1.5", "1e3", "abc")
    counts = (("0", "0", "0"), ("1", "0", "0"), ("2", "1", "1"), ("9", "3", "0"),
              ("10", "0", "0"), ("9", "3", "1"), ("0", "0", "1"), ("4", "4", "4"),
              ("2.5", "-1", ""))
    seconds = (("3", "5"), ("", ""), ("1.9", "15"), ("15", "15.1"), ("15.5", "2"),
               ("7.25", "0"), ("-2", "16"), ("2", "1e1"))
    prompts = ("The barista from @Image1 slides the cup from @Image2; @Video1 sets the pace; "
               "@Audio1 speaks.", "", "   ", "A falcon lands at dawn.",
               "@Image3 and @Video2 and @Audio4 \u00e9t\u00e9 \U0001F3AC",
               '<b>bold</b> & <script>alert("x")</script>\n\t"quoted" \\ back')
    modes = ("text", "image", "reference")
    tiers = ("standard", "fast")
    resolutions = ("480p", "720p", "1080p")
    ratios = ("auto", "21:9", "16:9", "1:1", "9:16")
    durations = ("auto", "4", "8", "15")
    states = []
    for i, (mode, tier, res) in enumerate(itertools.product(modes, tiers, resolutions)):
        for j, (ratio, duration) in enumerate(zip(ratios * 2, durations * 3, strict=False)):
            k = i * 5 + j
            images, videos, audio = counts[k % len(counts)]
            vsec, asec = seconds[k % len(seconds)]
            state = {
                "mode": mode, "tier": tier, "resolution": res, "aspect_ratio": ratio,
                "duration": duration, "seed": seeds[k % len(seeds)],
                "generate_audio": k % 2 == 0, "end_image": k % 3 == 0,
                "image_url": URLS[k % len(URLS)], "end_image_url": URLS[(k + 3) % len(URLS)],
                "images": images, "videos": videos, "audio": audio, "video_seconds": vsec,
                "audio_seconds": asec, "prompt": prompts[k % len(prompts)]}
            for n, key in enumerate(URL_LISTS):
                state[key] = [URLS[(k + n + m) % len(URLS)] for m in range(3)]
            states.append(state)
    return states


# -- fixtures -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def builder_tab(browser, site_url) -> Iterator:
    """One tab for the tests that only drive the form (a new tab costs more than a reload)."""
    context, tab = new_tab(browser, site_url)
    yield tab
    context.close()


@pytest.fixture
def builder(builder_tab):
    """The shared tab, freshly on the builder page with the worked request."""
    builder_tab.watch.reset()
    _ready(builder_tab)
    return builder_tab


def _ready(tab, path: str = PAGE):
    """The builder at ``path``, wired. A page already open in the tab is let settle
    first: leaving it mid-load would abort its last requests (the search worker)."""
    if tab.page.url != "about:blank":
        tab.page.wait_for_load_state("networkidle")
    page = tab.open(path)
    page.wait_for_selector("#sp-builder[data-ready='true']")
    return page


def assert_clean(tab, where: str) -> None:
    """No console error, no failed request, nothing asked of another host. Chromium
    fetches the favicon again whenever the address changes (replaceState, a new page)
    and cancels the fetch still under way: that abort is the browser's, not the site's."""
    tab.watch.failed[:] = [f for f in tab.watch.failed
                           if not re.search(r"/favicon\.svg: net::ERR_ABORTED$", f)]
    tab.watch.assert_clean(where)


def _form_values(page) -> dict:
    return page.evaluate(DRIVE, [{}])[0]["values"]


def _outputs(page) -> dict:
    return page.evaluate(DRIVE, [{}])[0]


# -- the tests ----------------------------------------------------------------------

def test_the_page_opens_on_the_worked_request(builder):
    shown = _outputs(builder.page)
    assert request_of(shown["values"]) == DEFAULT_REQUEST
    assert_shows(shown, DEFAULT_REQUEST)
    assert shown["verdict_class"].endswith("--ok")
    assert builder.page.url.endswith(PAGE), "the worked request needs no query"
    assert_clean(builder, "builder")


@MKDOCS_ONLY
def test_the_form_shows_what_python_says_for_every_state_of_the_grid(builder):
    states = states_grid()
    assert len(states) >= 90
    shown_all = builder.page.evaluate(DRIVE, states)
    statuses, codes = set(), set()
    for state, shown in zip(states, shown_all, strict=True):
        assert_shows(shown)
        statuses.add(shown["verdict_class"].rsplit("--", 1)[1])
        codes.update(r.code for r in check_request(MODEL.limits, MODEL,
                                                   request_of(shown["values"])).reasons)
        assert shown["values"]["prompt"] == state["prompt"], "the prompt is sent as typed"
    assert statuses == {"ok", "refused", "unconfirmed"}
    assert {"url_scheme", "url_type", "url_type_unpublished", "url_type_unknown",
            "url_example", "seed_type", "seed_range", "audio_seconds_unknown"} <= codes
    assert_clean(builder, "the grid")


@MKDOCS_ONLY
def test_typing_and_choosing_update_the_verdict_at_once(builder):
    page = builder.page
    form = page.locator("#sp-builder")
    form.locator("select[name=mode]").select_option("image")
    assert page.locator("fieldset[data-mode=image]").is_visible()
    assert not page.locator("fieldset[data-mode=reference]").is_visible()
    form.locator("select[name=tier]").select_option("fast")
    form.locator("select[name=duration]").select_option("5")
    form.locator("input[name=end_image]").check()
    prompt = form.locator("textarea[name=prompt]")
    prompt.fill("")
    assert_shows(_outputs(page))
    assert page.locator("#sp-builder-errors li").first.inner_text() == \
        "Write a prompt: fal requires one."
    prompt.press_sequentially("A kite over @Image1 and @Video1")
    shown = _outputs(page)
    assert_shows(shown)
    # image-to-video reads no file tags: a tag warns, it does not refuse
    assert shown["warnings"][-1] == ("Only reference-to-video reads file tags such as "
                                     "@Image1: this endpoint takes them as words of the "
                                     "prompt.")
    assert shown["verdict_class"].endswith("--ok")
    # a start image typed with a signed URL is judged by its path; a GIF is refused
    start = form.locator("input[name=image_url]")
    start.fill("https://bucket.example.org/frames/first.png?X-Amz-Signature=a.gif")
    assert_shows(shown := _outputs(page))
    assert shown["verdict_class"].endswith("--ok")
    start.fill("https://bucket.example.org/frames/first.gif")
    shown = _outputs(page)
    assert_shows(shown)
    assert "The start image (image_url) is a .gif file: fal takes JPEG, PNG or WebP." in \
        shown["errors"]
    start.fill("")
    # a count typed as a fraction is sent whole, and shown whole once the field is left
    form.locator("select[name=mode]").select_option("reference")
    images = form.locator("input[name=images]")
    images.fill("2.7")
    images.press("Tab")
    assert images.input_value() == "2"
    assert page.locator("input[name=image_urls]").count() == 2
    assert_shows(_outputs(page))
    # fal publishes no formats for reference images: a GIF there is a caution, not a refusal
    page.locator("input[name=image_urls]").first.fill("https://bucket.example.org/still.gif")
    shown = _outputs(page)
    assert_shows(shown)
    assert shown["verdict_class"].endswith("--ok") and shown["status"] == STATUS_SENTENCES["ok"]
    assert any(w.startswith("@Image1 is a .gif file: fal publishes no formats for it")
               for w in shown["warnings"])
    # a tenth reference image is past the count fal publishes: refused
    images.fill("10")
    images.press("Tab")
    shown = _outputs(page)
    assert_shows(shown)
    assert shown["verdict_class"].endswith("--refused")
    assert "10 images: a request takes at most 9." in shown["errors"]
    assert_clean(builder, "typing")


def test_a_shared_link_brings_the_request_back(builder, open_tab):
    page = builder.page
    form = page.locator("#sp-builder")
    steps = {"mode": "reference", "tier": "fast", "resolution": "480p", "aspect_ratio": "1:1",
             "duration": "6"}
    for name, value in steps.items():
        form.locator(f"select[name={name}]").select_option(value)
    form.locator("input[name=seed]").fill("7")
    form.locator("input[name=generate_audio]").uncheck()
    for name, value in (("images", "3"), ("videos", "2"), ("audio", "1"),
                        ("video_seconds", "4.5"), ("audio_seconds", "3")):
        form.locator(f"input[name={name}]").fill(value)
    signed = "https://cdn.example.org/a/ref.png?X-Amz-Signature=abc&x=1"
    form.locator("input[name=image_urls]").nth(1).fill(signed)
    prompt = '@Image1 & @Image2 meet: "hi" + 50% #tag @Video1 @Video2 @Audio1 \u00e9t\u00e9'
    form.locator("textarea[name=prompt]").fill(prompt)
    first = _outputs(page)
    assert_shows(first)
    link = first["link"]
    query = parse_qsl(urlsplit(link).query, keep_blank_values=True)
    # a link states its request against fal's defaults: what it leaves out is fal's
    assert dict(query) == {"kind": "reference", "tier": "fast", "res": "480p", "ratio": "1:1",
                           "dur": "6", "seed": "7", "sound": "off", "img": "3",
                           "imgurl": signed, "vid": "2", "aud": "1", "vsec": "4.5",
                           "asec": "3", "prompt": prompt}
    assert [v for k, v in query if k == "imgurl"] == ["", signed]
    assert "ratio=1:1" in link and "prompt=@Image1+" in link, "the query reads as text"
    # the address bar follows (a moment after the last keystroke)
    page.wait_for_function("(want) => location.href === want", arg=link)

    other = open_tab()
    again = _ready(other, link.removeprefix(other.base.rstrip("/")))
    assert _form_values(again) == first["values"]
    second = _outputs(again)
    for key in ("verdict_class", "status", "errors", "warnings", "price", "rule", "code",
                "link", "hidden", "dropped"):
        assert second[key] == first[key], key
    assert_clean(other, "the shared link")

    # image-to-video with a last frame and no seed, through the address itself
    form.locator("select[name=mode]").select_option("image")
    form.locator("input[name=end_image]").check()
    form.locator("input[name=seed]").fill("")
    shown = _outputs(page)
    page.wait_for_function("(want) => location.href === want", arg=shown["link"])
    assert "kind=image" in page.url and "end=on" in page.url and "seed=" not in page.url
    third = _ready(open_tab(), page.url.removeprefix(builder.base.rstrip("/")))
    assert _form_values(third) == shown["values"]
    assert _outputs(third)["code"] == shown["code"]
    assert_clean(builder, "sharing")


@MKDOCS_ONLY
@pytest.mark.parametrize("query, field, value, reason", [
    ("dur=16", "duration", "16", "Duration '16' is not whole seconds from 4 to 15, or auto."),
    ("dur=4.5", "duration", "4.5",
     "Duration '4.5' is not whole seconds from 4 to 15, or auto."),
    ("ratio=2:1", "aspect_ratio", "2:1",
     "Aspect ratio '2:1' is not one of 21:9, 16:9, 4:3, 1:1, 3:4, 9:16, or auto."),
    ("img=1000", "images", "1000", "1000 images: a request takes at most 9."),
    ("seed=abc", "seed", "abc", "Seed 'abc' is not a whole number: fal's schema takes an "
                                "integer."),
])
def test_a_link_with_a_value_fal_refuses_shows_it_refused_with_the_reason(
        tab, query, field, value, reason):
    page = _ready(tab, f"{PAGE}?kind=reference&img=1&prompt=%40Image1+waves&{query}")
    shown = _outputs(page)
    assert shown["values"][field] == value, "the form holds what the link asked for"
    assert_shows(shown)
    assert shown["verdict_class"].endswith("--refused") and reason in shown["errors"]
    assert shown["status"] == "fal would refuse this request."
    assert shown["code_status"].startswith("This code would be refused: ")
    assert shown["summary_status"] == "fal would refuse this request."
    # the address keeps it: the link is the link's request
    page.wait_for_function("(q) => location.search.includes(q)", arg=query)
    if field in ("duration", "aspect_ratio"):
        option = page.locator(f"select[name={field}] option[value='{value}']")
        assert option.inner_text() == f"{value} (from the link)"
        # choosing a value fal takes drops the link's option
        page.locator(f"select[name={field}]").select_option("auto")
        assert page.locator(f"select[name={field}] option[data-from-link]").count() == 0
        assert_shows(_outputs(page))
    assert_clean(tab, query)


@MKDOCS_ONLY
def test_a_link_value_the_form_cannot_hold_is_listed_and_never_called_accepted(tab):
    bad = ("?kind=reference&img=1&prompt=%40Image1+waves&dur=5&ratio=16:9"
           "&sound=maybe&vsec=x&aud=-1&zzz=1")
    page = _ready(tab, PAGE + bad)
    shown = _outputs(page)
    assert shown["dropped"] == [
        "From the link, left out: sound=maybe. It takes on or off.",
        "From the link, left out: vsec=x. The video seconds are a number, 0 or more.",
        "From the link, left out: aud=-1. The number of audio files is a whole number, "
        "0 or more.",
        "From the link, left out: zzz=1. The builder has no such setting.",
    ]
    # the form's own request is fine, but it is not the link's: not "within every limit"
    assert shown["verdict_class"].endswith("--refused")
    assert shown["status"] != STATUS_SENTENCES["ok"]
    assert shown["code_marked"] == "refused"
    assert shown["code_status"].startswith("This code would be refused: From the link")
    # changing the fields the link spoiled takes the form at its word again
    page.locator("input[name=generate_audio]").uncheck()
    page.locator("input[name=video_seconds]").fill("0")
    page.locator("input[name=audio]").fill("0")
    shown = _outputs(page)
    assert shown["dropped"] == []
    assert_shows(shown)
    assert shown["status"] == STATUS_SENTENCES["ok"]
    assert_clean(tab, "what the form cannot hold")


@MKDOCS_ONLY
def test_seeds_fal_publishes_no_range_for_warn_and_a_seed_does_not_follow_the_kind(tab):
    page = _ready(tab, f"{PAGE}?kind=text&prompt=A+cat&dur=5&ratio=16:9&seed=5000000000")
    shown = _outputs(page)
    assert_shows(shown)
    assert shown["status"] == STATUS_SENTENCES["ok"]
    assert shown["warnings"] == ["fal documents no range for seed, and 5000000000 is outside "
                                 "0 to 4294967295: whether fal takes it is unknown."]
    page.locator("input[name=seed]").fill("-3")
    assert_shows(shown := _outputs(page))
    assert shown["verdict_class"].endswith("--ok")
    page.locator("input[name=seed]").fill("7")
    page.locator("select[name=mode]").select_option("image")
    assert page.locator("input[name=seed]").input_value() == ""
    assert "The seed 7 was cleared" in page.locator("#sp-builder-seed-note").inner_text()
    # the note says no seed rule of its own: the link to the `seeds` rule stays beside it
    rule = page.locator("#sp-builder-seed-note + a")
    assert rule.get_attribute("href") == "../rules/#seeds"
    assert rule.inner_text() == load_site_data(ROOT).models["rules"].get("seeds").title
    assert "seed" not in json.loads(_outputs(page)["code"]["json"])
    assert_clean(tab, "seeds")


@MKDOCS_ONLY
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_with_errors_warnings_and_references_shown(open_tab, scheme):
    tab = open_tab(color_scheme=scheme)
    page = _ready(tab, PAGE + "?kind=reference&img=10&aud=4&vsec=1&seed=1.5&dur=16"
                  "&imgurl=ftp://x/a.gif&prompt=%40Image12+%40Video1&zzz=1")
    assert page.locator("#sp-builder-errors li").count() >= 3
    assert page.locator("#sp-builder-warnings li").count() >= 1
    assert page.locator("#sp-builder-dropped li").count() == 1
    violations = audit(page)
    assert not violations, f"builder ({scheme}):\n{describe(violations)}"
    page.locator("#sp-builder-code .tabbed-labels label", has_text="Python").click()
    violations = audit(page)
    assert not violations, f"builder, Python tab ({scheme}):\n{describe(violations)}"
    assert_clean(tab, "axe")


@MKDOCS_ONLY
def test_at_375_px_nothing_scrolls_sideways_and_every_control_is_reachable(open_tab,
                                                                           screenshots: Path):
    tab = open_tab(viewport=PHONE)
    page = _ready(tab)
    page.evaluate("() => document.fonts.ready")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the builder scrolls sideways by {overflow}px at 375px"

    # the price is in view from the first field to the last, not only past the form
    price = page.locator("#sp-builder-summary-price")
    for field in ("select[name=mode]", "input[name=images]", "textarea[name=prompt]"):
        page.locator(field).scroll_into_view_if_needed()
        box = price.bounding_box()
        assert box and 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"], field
        assert price.inner_text() == expected(DEFAULT_REQUEST)["summary_price"]
    page.evaluate("() => window.scrollTo(0, 0)")

    # from the first field, Tab visits every visible field, the link and the code tabs
    page.locator("select[name=mode]").focus()
    seen = []
    for _ in range(60):
        where = page.evaluate("""() => { const e = document.activeElement;
            const r = e.getBoundingClientRect();
            return {name: e.id || e.name, left: r.left, right: r.right}; }""")
        seen.append(where["name"])
        assert where["left"] >= -1 and where["right"] <= PHONE["width"] + 1, where
        if where["name"].startswith("sp-builder-tab-"):
            break
        page.keyboard.press("Tab")
    visible = [f for f in FIELDS if f not in ("image_url", "end_image", "end_image_url")]
    assert [s for s in seen if s in FIELDS] == visible  # the worked request is reference
    assert seen.count("image_urls") == 2 and seen.count("video_urls") == 1
    assert "sp-builder-link" in seen and seen[-1] == "sp-builder-tab-json"
    # the keyboard changes fields and tabs
    page.locator("select[name=mode]").focus()
    page.keyboard.press("ArrowUp")
    assert page.locator("fieldset[data-mode=image]").is_visible()
    page.locator("#sp-builder-tab-json").focus()
    page.keyboard.press("ArrowRight")
    assert page.locator("#sp-builder-curl").is_visible()
    assert_clean(tab, "phone")


@MKDOCS_ONLY
def test_without_javascript_the_page_shows_the_worked_request(open_tab):
    tab = open_tab(javascript=False)
    page = tab.open(PAGE)
    assert page.locator(".sp-builder__nojs").is_visible()
    want = expected(DEFAULT_REQUEST)
    for key in ("status", "price", "rule"):
        assert page.locator(f"#sp-builder-{key}").text_content() == want[key], key
    for key in VARIANT_IDS:
        block = page.locator(f"#sp-builder-{key}")
        assert block.text_content() == want["code"][key], key
        assert block.locator("span[class]").count() > 3, f"{key} is not highlighted"
    assert page.locator("#sp-builder-summary-price").text_content() == want["summary_price"]
    assert page.locator("#sp-builder-errors li").count() == 0
    assert page.locator("select[name=duration] option[selected]").get_attribute("value") == \
        DEFAULT_REQUEST.duration
    assert page.locator("#sp-builder-json").is_visible()
    assert tab.watch.problems() == []


#: requests whose emitted code runs: each endpoint kind, with the reader's own URLs
RUNNABLE = (
    {"mode": "text", "tier": "fast", "resolution": "480p", "aspect_ratio": "16:9",
     "duration": "4", "seed": "", "prompt": "A falcon lands on a fence post at dawn."},
    {"mode": "image", "tier": "standard", "resolution": "480p", "aspect_ratio": "9:16",
     "duration": "4", "seed": "11", "end_image": True, "generate_audio": False,
     "image_url": "https://cdn.example.org/frames/first.png?X-Amz-Signature=ab%2Fc&e=1",
     "end_image_url": "https://cdn.example.org/frames/last.webp",
     "prompt": 'The still comes alive: "go" \u00e9t\u00e9'},
    {"mode": "image", "tier": "fast", "resolution": "480p", "aspect_ratio": "1:1",
     "duration": "5", "seed": "0", "end_image": False, "image_url": "",
     "prompt": "It turns to the camera."},
    {"mode": "reference", "tier": "fast", "resolution": "480p", "aspect_ratio": "4:3",
     "duration": "4", "seed": str(SEED_MAX), "images": "2", "videos": "0", "audio": "0",
     "image_urls": ["https://cdn.example.org/refs/cup.jpeg", ""],
     "prompt": "@Image1 hands @Image2 a cup."},
    {"mode": "reference", "tier": "standard", "resolution": "480p", "aspect_ratio": "21:9",
     "duration": "4", "seed": "5", "images": "1", "videos": "2", "audio": "1",
     "video_seconds": "6.5", "audio_seconds": "4",
     "image_urls": ["https://cdn.example.org/refs/keeper.png"],
     "video_urls": ["https://cdn.example.org/refs/move.mp4", "https://cdn.example.org/b.mov"],
     "audio_urls": ["https://cdn.example.org/refs/voice.wav"],
     "prompt": ("@Image1 moves like @Video1 and @Video2 to @Audio1, a long prompt that runs "
                "past one line of code so the Python splits it over several.")},
)


def _run_python(source: str, name: str) -> dict:
    module = types.ModuleType(name)
    sys.modules[name] = module
    try:
        exec(compile(source, name, "exec"), module.__dict__)  # noqa: S102
    finally:
        sys.modules.pop(name, None)
    return module.__dict__


@MKDOCS_ONLY
def test_every_code_variant_sends_what_the_json_tab_shows(builder, fake_fal, tmp_path,
                                                          monkeypatch):
    """Paste each variant, with real URLs in the fields: the Python ones run with the
    real fal_client, cURL with curl, against the fake fal; the fake receives exactly
    the JSON the page shows. TypeScript carries the same input."""
    bash, curl = require_tool("bash"), require_tool("curl")
    monkeypatch.chdir(tmp_path)
    page = builder.page
    for n, state in enumerate(RUNNABLE):
        shown = page.evaluate(DRIVE, [state])[0]
        assert_shows(shown)
        assert shown["verdict_class"].endswith("--ok"), shown["errors"]
        code = {}
        for key, label in VARIANTS:
            page.locator("#sp-builder-code .tabbed-labels label", has_text=label).click()
            block = page.locator(f"#sp-builder-{key}")
            assert block.is_visible()
            code[key] = block.text_content()
        page.locator("#sp-builder-code .tabbed-labels label", has_text="JSON").click()
        arguments = json.loads(code["json"])
        endpoint = page.locator("#sp-builder-price code").text_content()
        assert "\n        \"" in code["python"] or len(state["prompt"]) <= 64

        # Python: it submits, keeps the request id, waits printing the log, fetches by the id
        before = set(fake_fal.jobs)
        ran = _run_python(code["python"], f"builder_python_{n}")
        (job,) = [fake_fal.jobs[rid] for rid in fake_fal.jobs if rid not in before]
        assert (job.endpoint, job.arguments) == (endpoint, arguments), state
        assert ran["handle"].request_id == job.request_id
        assert ran["result"]["video"]["url"].startswith(fake_fal.base_url)

        # the webhook variant: submitted with the webhook, returns the request id
        before = set(fake_fal.jobs)
        ran = _run_python(code["webhook"], f"builder_webhook_{n}")
        (job,) = [fake_fal.jobs[rid] for rid in fake_fal.jobs if rid not in before]
        assert (job.endpoint, job.arguments, job.webhook_url) == \
            (endpoint, arguments, WEBHOOK_URL), state
        assert ran["handle"].request_id == job.request_id
        assert VERIFY in code["webhook"]

        # cURL to the queue, the host pointed at the fake
        before = set(fake_fal.jobs)
        script = code["curl"].replace(f"https://{QUEUE_HOST}/", f"{fake_fal.base_url}/")
        run = subprocess.run([bash, "-c", script], capture_output=True, text=True, timeout=60,
                             env={**os.environ, "CURL_CA_BUNDLE": str(fake_fal.cert),
                                  "PATH": os.path.dirname(curl) + ":/usr/bin:/bin"})
        assert run.returncode == 0, run.stderr
        (job,) = [fake_fal.jobs[rid] for rid in fake_fal.jobs if rid not in before]
        assert (job.endpoint, job.arguments) == (endpoint, arguments), state
        assert json.loads(run.stdout)["request_id"] == job.request_id

        # TypeScript: the same input object (its body is JSON), submitted to the same
        # endpoint and fetched by its request id
        body = code["typescript"].split("  input: ", 1)[1].split(",\n  startTimeout: ", 1)[0]
        assert json.loads(body) == arguments
        assert "  startTimeout: 600, // seconds it may wait in fal's queue" in code["typescript"]
        assert f"const endpoint = {json.dumps(endpoint)};" in code["typescript"]
        assert "fal.queue.result(endpoint, { requestId })" in code["typescript"]
    assert_clean(builder, "running the code variants")


def _loads(script: str, html: str) -> bool:
    """The page has a <script> element that loads ``script`` (a page that only
    names the file in its text, such as the ship check's, does not load it)."""
    return re.search(r'<script\b[^>]*\bsrc="[^"]*' + re.escape(script) + '"', html) is not None


def test_builder_js_loads_on_the_builder_page_only(tab, site_dir: Path):
    built = {p.relative_to(site_dir).as_posix(): p.read_text(encoding="utf-8")
             for p in site_dir.rglob("*.html")}
    for script in ("builder.js", "highlight.js"):
        assert {p for p, html in built.items() if _loads(f"assets/{script}", html)} == \
            {"builder/index.html"}
    assert {p for p, html in built.items() if _loads("assets/seedance.js", html)} == \
        {"builder/index.html", "pricing/index.html"}
    for path, wanted in (("", set()), ("pricing/", {"seedance.js", "estimator.js"}),
                         (PAGE, {"seedance.js", "highlight.js", "builder.js"})):
        tab.watch.reset()
        tab.open(path, wait="networkidle")
        fetched = {name for name in ("seedance.js", "estimator.js", "highlight.js",
                                     "builder.js") if tab.watch.fetched("/assets/" + name)}
        assert fetched == wanted, path or "home"
        assert_clean(tab, path or "home")

"""The request builder in Chromium.

Every test runs on the MkDocs build; on the Zensical build the page is opened
on its worked request, a shared link is followed and the script is seen to
load on this page only (the parity test shows both builds carry the same
markup, and the page sweep audits its Zensical chrome), which is what can
differ between the engines.

What a reader sets in the form is checked, priced and written out as
seedpress.request does it in Python: the test computes every expectation
with check_request and the emitters and compares the page's text with it.
The request survives a shared link, the page passes axe-core in light and
dark, works at 375 px and with the keyboard, reads without JavaScript, and
the Python it emits runs against the fake fal server and sends exactly the
JSON the page shows.

The form's values become a request as docs/assets/builder.js says in its
header; ``request_of`` below is that rule in Python.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import sys
import types
from collections.abc import Iterator
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from conftest import ROOT
from seedpress.content.limits import SEED_MAX
from seedpress.content.pricing import load_pricing
from seedpress.request import Request, check_request, json_code, python_code, typescript_code
from seedpress.site.builder_markup import DEFAULT_REQUEST, STATUS_SENTENCES

from .axe import audit, describe
from .conftest import DESKTOP, PHONE, _tab

pytestmark = pytest.mark.browser
#: a test the Zensical build adds nothing to (same markup, same script)
MKDOCS_ONLY = pytest.mark.parametrize("engine", ["mkdocs"], indirect=True)

MODEL = load_pricing(ROOT)
PAGE = "builder/"
#: the form's fields, in page order
FIELDS = ("mode", "tier", "resolution", "aspect_ratio", "duration", "seed", "generate_audio",
          "end_image", "images", "videos", "audio", "video_seconds", "audio_seconds", "prompt")
#: what <input type=number> holds (builder.js's NUMBER)
NUMBER = re.compile(r"-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d{1,3})?", re.ASCII)

#: Sets form fields from a dict (checkboxes from booleans), sends one input event as
#: typing does, and reads back the fields and everything the builder fills in.
DRIVE = """
(states) => {
  const form = document.getElementById("sp-builder");
  const text = (id) => document.getElementById(id).textContent;
  const items = (id) => [...document.querySelectorAll(`#${id} li`)].map((li) => li.textContent);
  return states.map((state) => {
    for (const [name, value] of Object.entries(state)) {
      const field = form.elements[name];
      if (field.type === "checkbox") field.checked = value; else field.value = value;
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
    const values = {};
    for (const field of form.elements) {
      if (field.name) values[field.name] = field.type === "checkbox" ? field.checked : field.value;
    }
    const code = ["json", "python", "typescript"].map((id) => `sp-builder-${id}`);
    return {
      values,
      verdict_class: document.getElementById("sp-builder-verdict").className,
      status: text("sp-builder-status"),
      errors: items("sp-builder-errors"), warnings: items("sp-builder-warnings"),
      price: text("sp-builder-price"), rule: text("sp-builder-rule"),
      json: text(code[0]), python: text(code[1]), typescript: text(code[2]),
      elements_in_code: code.reduce((n, id) => n + document.getElementById(id).children.length, 0),
      link: document.getElementById("sp-builder-link").href,
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
    return min(999, max(0, math.floor(value)))


def request_of(values: dict) -> Request:
    """The request builder.js reads from the form's values."""
    seed_text = _number(values["seed"])
    seed = (None if not seed_text else int(seed_text) if re.fullmatch(r"-?\d+", seed_text)
            else float(seed_text))
    return Request(
        mode=values["mode"], tier=values["tier"], resolution=values["resolution"],
        aspect_ratio=values["aspect_ratio"], duration=values["duration"],
        generate_audio=values["generate_audio"], end_image=values["end_image"], seed=seed,
        prompt=values["prompt"], images=_count(values["images"]),
        videos=_count(values["videos"]), audio=_count(values["audio"]),
        video_seconds=Fraction(_number(values["video_seconds"]) or "0"),
        audio_seconds=Fraction(_number(values["audio_seconds"]) or "0"))


def expected(request: Request) -> dict:
    """What the page should show for ``request``, from Python."""
    v = check_request(MODEL.limits, MODEL, request)
    price = (f"{v.price['cost']} for {v.price['tokens']} tokens ({v.price['per_second']} per "
             f"second of output) on {v.endpoint}" if v.price else "")
    return {"verdict_class": f"sp-builder__verdict sp-builder__verdict--{v.status}",
            "status": STATUS_SENTENCES[v.status], "errors": v.errors, "warnings": v.warnings,
            "price": price, "rule": v.rule, "json": json_code(v.arguments),
            "python": python_code(v.endpoint, v.arguments),
            "typescript": typescript_code(v.endpoint, v.arguments)}


def assert_shows(shown: dict, request: Request | None = None) -> None:
    request = request or request_of(shown["values"])
    want = expected(request)
    for key, value in want.items():
        assert shown[key] == value, f"{key} for {request!r}"
    assert shown["elements_in_code"] == 0, "the code blocks hold markup"
    assert shown["hidden"] == {"image": request.mode != "image",
                               "reference": request.mode != "reference"}


def states_grid() -> list[dict]:
    """Form states over every option and around every limit, with odd text."""
    seeds = ("", "0", "42", "-1", str(SEED_MAX), str(SEED_MAX + 1), "1.5", "1e3")
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
            states.append({
                "mode": mode, "tier": tier, "resolution": res, "aspect_ratio": ratio,
                "duration": duration, "seed": seeds[k % len(seeds)],
                "generate_audio": k % 2 == 0, "end_image": k % 3 == 0, "images": images,
                "videos": videos, "audio": audio, "video_seconds": vsec,
                "audio_seconds": asec, "prompt": prompts[k % len(prompts)]})
    return states


# -- fixtures -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def builder_tab(browser, site_url) -> Iterator:
    """One tab for the tests that only drive the form (a new tab costs more than a reload)."""
    context, tab = _tab(browser, site_url)
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
    return page.evaluate("""() => Object.fromEntries([...document.getElementById('sp-builder')
        .elements].filter((f) => f.name).map((f) => [f.name,
        f.type === 'checkbox' ? f.checked : f.value]))""")


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
    statuses = set()
    for state, shown in zip(states, shown_all, strict=True):
        assert_shows(shown)
        statuses.add(shown["verdict_class"].rsplit("--", 1)[1])
        assert shown["values"]["prompt"] == state["prompt"], "the prompt is sent as typed"
    assert statuses == {"ok", "refused", "unconfirmed"}
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
    assert shown["warnings"] == ["Only reference-to-video reads file tags such as @Image1: "
                                 "this endpoint takes them as words of the prompt."]
    assert shown["verdict_class"].endswith("--ok")
    # a count typed as a fraction is sent whole, and shown whole once the field is left
    form.locator("select[name=mode]").select_option("reference")
    images = form.locator("input[name=images]")
    images.fill("2.7")
    images.press("Tab")
    assert images.input_value() == "2"
    assert_shows(_outputs(page))
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
    prompt = '@Image1 & @Image2 meet: "hi" + 50% #tag @Video1 @Video2 @Audio1 \u00e9t\u00e9'
    form.locator("textarea[name=prompt]").fill(prompt)
    first = _outputs(page)
    assert_shows(first)
    link = first["link"]
    query = dict(parse_qsl(urlsplit(link).query, keep_blank_values=True))
    assert query == {"tier": "fast", "res": "480p", "ratio": "1:1", "dur": "6", "seed": "7",
                     "sound": "off", "img": "3", "vid": "2", "vsec": "4.5", "asec": "3",
                     "prompt": prompt}
    assert "ratio=1:1" in link and "prompt=@Image1+" in link, "the query reads as text"
    # the address bar follows (a moment after the last keystroke)
    page.wait_for_function("(want) => location.href === want", arg=link)

    other = open_tab()
    again = _ready(other, link.removeprefix(other.base.rstrip("/")))
    assert _form_values(again) == first["values"]
    second = _outputs(again)
    for key in ("verdict_class", "status", "errors", "warnings", "price", "rule", "json",
                "python", "typescript", "link", "hidden"):
        assert second[key] == first[key], key
    assert_clean(other, "the shared link")

    # image-to-video with a last frame and no seed, through the address itself
    form.locator("select[name=mode]").select_option("image")
    form.locator("input[name=end_image]").check()
    form.locator("input[name=seed]").fill("")
    shown = _outputs(page)
    page.wait_for_function("(want) => location.href === want", arg=shown["link"])
    assert "kind=image" in page.url and "end=on" in page.url and "seed=&" in page.url
    third = _ready(open_tab(), page.url.removeprefix(builder.base.rstrip("/")))
    assert _form_values(third) == shown["values"]
    assert _outputs(third)["python"] == shown["python"]
    assert_clean(builder, "sharing")


@MKDOCS_ONLY
def test_bad_or_unknown_query_values_fall_back_to_the_defaults(tab):
    bad = ("?kind=video&tier=turbo&res=4k&ratio=2:1&dur=99&seed=abc&sound=maybe&end=2"
           "&img=-1&vid=1.5&aud=1000&vsec=1e&asec=x&zzz=1&prompt")
    page = _ready(tab, PAGE + bad)
    # every field keeps the page's default but the prompt, which the query empties
    assert request_of(_form_values(page)) == replace(DEFAULT_REQUEST, prompt="")
    assert_shows(_outputs(page))
    # the address drops what the form could not take
    page.wait_for_function("() => location.search === '?prompt='")

    page = _ready(tab, PAGE + "?kind=text&prompt=A+cat%2C+asleep&seed=&dur=auto")
    request = request_of(_form_values(page))
    assert (request.mode, request.prompt, request.seed, request.duration) == \
        ("text", "A cat, asleep", None, "auto")
    assert request.tier == DEFAULT_REQUEST.tier and request.images == DEFAULT_REQUEST.images
    assert_shows(_outputs(page))
    assert_clean(tab, "bad query")


@MKDOCS_ONLY
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_with_errors_warnings_and_references_shown(open_tab, scheme):
    tab = open_tab(color_scheme=scheme)
    page = _ready(tab, PAGE + "?img=10&aud=4&vsec=1&seed=-1&prompt=%40Image12+%40Video1")
    assert page.locator("#sp-builder-errors li").count() >= 3
    assert page.locator("#sp-builder-warnings li").count() >= 1
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
    page.screenshot(path=str(screenshots / "builder-375.png"), full_page=True)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the builder scrolls sideways by {overflow}px at 375px"

    # from the first field, Tab visits every visible field, the link and the code tabs
    page.locator("select[name=mode]").focus()
    seen = []
    for _ in range(40):
        where = page.evaluate("""() => { const e = document.activeElement;
            const r = e.getBoundingClientRect();
            return {name: e.id || e.name, left: r.left, right: r.right}; }""")
        seen.append(where["name"])
        assert where["left"] >= -1 and where["right"] <= PHONE["width"] + 1, where
        if where["name"].startswith("sp-builder-tab-"):
            break
        page.keyboard.press("Tab")
    visible = [f for f in FIELDS if f != "end_image"]  # the worked request is reference
    assert [s for s in seen if s in FIELDS] == visible
    assert "sp-builder-link" in seen and seen[-1] == "sp-builder-tab-json"
    # the keyboard changes fields and tabs
    page.locator("select[name=mode]").focus()
    page.keyboard.press("ArrowUp")
    assert page.locator("fieldset[data-mode=image]").is_visible()
    page.locator("#sp-builder-tab-json").focus()
    page.keyboard.press("ArrowRight")
    assert page.locator("#sp-builder-python").is_visible()
    assert_clean(tab, "phone")

    wide = open_tab(viewport=DESKTOP)
    page = _ready(wide)
    page.screenshot(path=str(screenshots / "builder-1280.png"), full_page=True)


@MKDOCS_ONLY
def test_without_javascript_the_page_shows_the_worked_request(open_tab):
    tab = open_tab(javascript=False)
    page = tab.open(PAGE)
    assert page.locator(".sp-builder__nojs").is_visible()
    want = expected(DEFAULT_REQUEST)
    text = {key: page.locator(f"#sp-builder-{key}").text_content()
            for key in ("status", "price", "rule", "json", "python", "typescript")}
    for key in text:
        assert text[key] == want[key], key
    assert page.locator("#sp-builder-errors li").count() == 0
    assert page.locator("select[name=duration] option[selected]").get_attribute("value") == \
        DEFAULT_REQUEST.duration
    assert page.locator("#sp-builder-json").is_visible()
    assert tab.watch.problems() == []


#: requests whose emitted Python runs: each endpoint kind, with and without references
RUNNABLE = (
    {"mode": "text", "tier": "fast", "resolution": "480p", "aspect_ratio": "16:9",
     "duration": "4", "seed": "", "prompt": "A falcon lands on a fence post at dawn."},
    {"mode": "image", "tier": "standard", "resolution": "480p", "aspect_ratio": "9:16",
     "duration": "4", "seed": "11", "end_image": True, "generate_audio": False,
     "prompt": 'The still comes alive: "go" \u00e9t\u00e9'},
    {"mode": "image", "tier": "fast", "resolution": "480p", "aspect_ratio": "1:1",
     "duration": "5", "seed": "0", "end_image": False, "prompt": "It turns to the camera."},
    {"mode": "reference", "tier": "fast", "resolution": "480p", "aspect_ratio": "4:3",
     "duration": "4", "seed": str(SEED_MAX), "images": "2", "videos": "0", "audio": "0",
     "prompt": "@Image1 hands @Image2 a cup."},
    {"mode": "reference", "tier": "standard", "resolution": "480p", "aspect_ratio": "21:9",
     "duration": "4", "seed": "5", "images": "1", "videos": "2", "audio": "1",
     "video_seconds": "6.5", "audio_seconds": "4",
     "prompt": "@Image1 moves like @Video1 and @Video2 to @Audio1."},
)


@MKDOCS_ONLY
def test_the_python_tab_runs_and_sends_what_the_json_tab_shows(builder, fake_fal, tmp_path,
                                                               monkeypatch):
    monkeypatch.chdir(tmp_path)
    page = builder.page
    for n, state in enumerate(RUNNABLE):
        shown = page.evaluate(DRIVE, [state])[0]
        assert_shows(shown)
        assert shown["verdict_class"].endswith("--ok"), shown["errors"]
        page.locator("#sp-builder-code .tabbed-labels label", has_text="Python").click()
        code = page.locator("#sp-builder-python")
        assert code.is_visible()
        source = code.text_content()
        arguments = json.loads(page.locator("#sp-builder-json").text_content())
        endpoint = page.locator("#sp-builder-price code").text_content()
        page.locator("#sp-builder-code .tabbed-labels label", has_text="JSON").click()

        before = set(fake_fal.jobs)
        module = types.ModuleType(f"builder_python_{n}")
        sys.modules[module.__name__] = module
        try:
            exec(compile(source, f"builder-python-{n}", "exec"), module.__dict__)  # noqa: S102
        finally:
            sys.modules.pop(module.__name__, None)
        new = [fake_fal.jobs[rid] for rid in fake_fal.jobs if rid not in before]
        assert len(new) == 1, state
        assert new[0].endpoint == endpoint
        assert new[0].arguments == arguments, state
        assert module.__dict__["result"]["video"]["url"].startswith(fake_fal.base_url)
    assert_clean(builder, "running the Python tab")


def _loads(script: str, html: str) -> bool:
    """The page has a <script> element that loads ``script`` (a page that only
    names the file in its text, such as the ship check's, does not load it)."""
    return re.search(r'<script\b[^>]*\bsrc="[^"]*' + re.escape(script) + '"', html) is not None


def test_builder_js_loads_on_the_builder_page_only(tab, site_dir: Path):
    built = {p.relative_to(site_dir).as_posix(): p.read_text(encoding="utf-8")
             for p in site_dir.rglob("*.html")}
    assert {p for p, html in built.items() if _loads("assets/builder.js", html)} == \
        {"builder/index.html"}
    assert {p for p, html in built.items() if _loads("assets/seedance.js", html)} == \
        {"builder/index.html", "pricing/index.html"}
    for path, wanted in (("", set()), ("pricing/", {"seedance.js", "estimator.js"}),
                         (PAGE, {"seedance.js", "builder.js"})):
        tab.watch.reset()
        tab.open(path, wait="networkidle")
        fetched = {name for name in ("seedance.js", "estimator.js", "builder.js")
                   if tab.watch.fetched("/assets/" + name)}
        assert fetched == wanted, path or "home"
        assert_clean(tab, path or "home")

"""A keyboard user always sees where they are, in both palettes, on both builds.

On the builder, pricing, blog and gallery pages the test presses Tab through
the whole page, as a reader does, and at every stop compares the focused
control with its resting self: it must show an outline or a ring (a
box-shadow) that it does not show at rest. A control that is drawn by its
label (a checkbox or radio the theme hides, the palette switch, a code tab)
is judged by that label. (axe-core audits these pages in both palettes in
test_pages.py's sweep, and the builder with its errors shown in
test_builder_page.py.)
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGES = ("builder/", "pricing/", "blog/", "gallery/")
MOST_STOPS = 400

#: helpers installed in the page: what shows a control's focus, and its look
SETUP = """
() => {
  window.__fv = {n: 0};
  const hidden = (el) => {
    const s = getComputedStyle(el), r = el.getBoundingClientRect();
    return s.opacity === "0" || r.width <= 1 || r.height <= 1 || s.clipPath !== "none"
      || (s.clip && s.clip !== "auto");
  };
  /* what draws a control: itself, or for one the theme hides, the label or the
     element right after it that the reader sees in its place */
  window.__fv.shown = (el) => {
    if (!hidden(el)) return [el];
    const near = [el.nextElementSibling, ...(el.labels || []),
                  el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`)];
    const seen = near.filter((n) => n && !n.hidden && !hidden(n));
    return seen.length ? seen : [el];
  };
  window.__fv.rings = (els) => els.map((el) => window.__fv.ring(el)).join(" / ");
  window.__fv.moving = (els) => els.some((el) => el.getAnimations().some(
    (a) => a.playState === "running"));
  window.__fv.ring = (el) => {
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 &&
      !/rgba\\(.*, 0\\)$|transparent/.test(s.outlineColor)
      ? `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : "";
    const shadow = s.boxShadow !== "none" ? s.boxShadow : "";
    return outline + (outline && shadow ? " | " : "") + shadow;
  };
  window.__fv.name = (el) => {
    const text = (el.getAttribute("aria-label") || el.textContent || el.name || "").trim();
    return `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}` +
      `${el.name ? " name=" + el.name : ""}> ${text.slice(0, 40)}`;
  };
}
"""

#: the focused control now: its number, name and the look of what shows its focus
STOP = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  if (!el.dataset.fv) el.dataset.fv = String(++window.__fv.n);
  const shown = window.__fv.shown(el);
  return {id: el.dataset.fv, name: window.__fv.name(el), ring: window.__fv.rings(shown),
          moving: window.__fv.moving([el, ...shown])};
}
"""

RESTING = """
(ids) => {
  if (document.activeElement) document.activeElement.blur();
  return Object.fromEntries(ids.map((id) => {
    const el = document.querySelector(`[data-fv="${id}"]`);
    return [id, el ? window.__fv.rings(window.__fv.shown(el)) : null];
  }));
}
"""


def _settled(page, stop):
    """The stop once the focused control's own transitions have ended (a reader sees
    the look a transition ends on)."""
    if stop and stop["moving"]:
        page.wait_for_function(
            "() => { const el = document.activeElement;"
            " return !window.__fv.moving([el, ...window.__fv.shown(el)]); }", timeout=5000)
        stop = page.evaluate(STOP)
    return stop


def focus_problems(page) -> tuple[int, list[str]]:
    """Tab through the page: (stops seen, the controls whose focus does not show).

    Transitions are switched off first: what counts is the look a transition ends
    on, and waiting for each control's to end would cost the test most of its time."""
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    page.evaluate(SETUP)
    page.evaluate("() => window.scrollTo(0, 0)")
    page.locator("body").focus()
    stops: dict[str, dict] = {}
    for _ in range(MOST_STOPS):
        page.keyboard.press("Tab")
        stop = _settled(page, page.evaluate(STOP))
        if stop is None:
            continue
        if stop["id"] in stops:
            break  # round the page and back
        stops[stop["id"]] = stop
    resting = page.evaluate(RESTING, list(stops))
    bad = []
    def look(ring: str | None) -> str:
        return ring if ring and ring.replace(" / ", "") else "nothing"

    for id_, stop in stops.items():
        if look(stop["ring"]) == "nothing" or stop["ring"] == resting[id_]:
            bad.append(f"{stop['name']}: focused {look(stop['ring'])!r}, "
                       f"at rest {look(resting[id_])!r}")
    return len(stops), bad


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_control_shows_its_focus(open_tab, scheme: str, engine: str):
    tab = open_tab(color_scheme=scheme)
    found = []
    for path in PAGES:
        page = tab.open(path, wait="networkidle")
        if path == "builder/":
            page.wait_for_selector("#sp-builder[data-ready='true']")
        count, bad = focus_problems(page)
        assert count >= 10, f"/{path}: Tab reached only {count} controls"
        found += [f"/{path} ({scheme}, {engine}): {b}" for b in bad]
    assert not found, "\n".join(found)

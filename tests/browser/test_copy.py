"""Every copy button copies the code it sits on, as the reader sees it, on both builds.

The builder's code tabs, every post's code, and the tabbed code of the home
page and the gallery: each button is pressed with its tab showing, and the
clipboard must then hold that block's text (a block whose button copied
another block's, as the builder's three tabs once shared one id, fails).
One tab with clipboard permissions walks every page.
"""

from __future__ import annotations

import pytest
from seedpress.pages.data import load_site_data
from support import ROOT
from support.browser import new_tab

pytestmark = pytest.mark.browser

POSTS = [p for p in load_site_data(ROOT).posts if not p.draft]
PAGES = ["builder/", "", "gallery/", *[f"blog/{p.slug}/" for p in POSTS]]
SENTINEL = "nothing copied yet"

#: each copy button and the code it names: (index, the block's tab label or None)
BUTTONS = """
() => [...document.querySelectorAll("button[data-clipboard-target]")].map((b, i) => {
  const code = document.querySelector(b.getAttribute("data-clipboard-target"));
  const block = code && code.closest(".tabbed-block");
  let label = null;
  if (block) {
    const set = block.closest(".tabbed-set");
    const n = [...block.parentElement.children].indexOf(block);
    label = set.querySelector(":scope > .tabbed-labels").children[n].getAttribute("for");
  }
  return {index: i, target: b.getAttribute("data-clipboard-target"), found: Boolean(code),
          label};
})
"""


@pytest.fixture(scope="module")
def copy_tab(browser, site_url):
    context, tab = new_tab(browser, site_url, clipboard=True)
    yield tab
    context.close()


#: whether the element sits inside a collapsed note (a closed <details>)
CLOSED_NOTE = "(sel) => !!document.querySelector(sel).closest('details:not([open])')"


def test_every_copy_button_copies_its_own_block(copy_tab):
    tab = copy_tab
    pressed, wrong = 0, []
    for path in PAGES:
        tab.watch.reset()
        page = tab.open(path, wait="networkidle")
        if path == "builder/":
            page.wait_for_selector("#sp-builder[data-ready='true']")
        buttons = page.evaluate(BUTTONS)
        targets = [b["target"] for b in buttons]
        assert len(set(targets)) == len(targets), f"/{path}: two buttons copy one block"
        for b in buttons:
            assert b["found"], f"/{path}: {b['target']} names no code"
            if b["label"]:
                page.locator(f"label[for='{b['label']}']").click()
            code = page.locator(b["target"])
            # code in a collapsed note: a reader opens the note first
            while page.evaluate(CLOSED_NOTE, b["target"]):
                code.locator("xpath=ancestor::details[not(@open)][last()]/summary").click()
            assert code.is_visible(), f"/{path}: {b['target']} is hidden when its tab shows"
            page.evaluate("(s) => navigator.clipboard.writeText(s)", SENTINEL)
            page.locator("button[data-clipboard-target]").nth(b["index"]).click()
            page.wait_for_function(
                "async (s) => (await navigator.clipboard.readText()) !== s", arg=SENTINEL)
            copied = page.evaluate("() => navigator.clipboard.readText()")
            shown = code.inner_text()
            if copied.rstrip("\n") != shown.rstrip("\n"):
                wrong.append(f"/{path} {b['target']}: copied {copied[:60]!r}, "
                             f"shows {shown[:60]!r}")
            pressed += 1
        tab.watch.assert_clean(path or "home")
    assert not wrong, "\n".join(wrong)
    assert pressed >= 5 + 2 * 6 + 20

"""The cost estimator in Chromium: it reads the site's pricing.json and shows
what seedpress.pricing computes; without JavaScript the page still reads."""

from __future__ import annotations

import pytest
from seedpress import pricing as P
from seedpress.content.pricing import load_pricing
from support import ROOT

pytestmark = pytest.mark.browser


def _expected(endpoint: str, duration: int, resolution: str, ratio: str, extra: float = 0,
              reference_video: bool = False) -> str:
    q = P.quote(load_pricing(ROOT), endpoint, duration, resolution, ratio, extra,
                reference_video=reference_video)
    return P.format_total(q.exact_cost)


def _result(page) -> str:
    return page.locator("#estimator-result").inner_text()


def test_estimator_follows_the_inputs(tab):
    page = tab.open("pricing/")
    page.wait_for_selector("#estimator[data-ready='true']")
    form = page.locator("#estimator")
    assert _result(page).startswith(_expected("bytedance/seedance-2.0/text-to-video", 5,
                                              "720p", "16:9"))

    form.locator("input[name=duration]").fill("10")
    form.locator("select[name=tier]").select_option("fast")
    form.locator("select[name=aspect_ratio]").select_option("9:16")
    want = _expected("bytedance/seedance-2.0/fast/text-to-video", 10, "720p", "9:16")
    assert _result(page).startswith(want)
    assert "bytedance/seedance-2.0/fast/text-to-video" in _result(page)

    form.locator("select[name=mode]").select_option("reference")
    form.locator("select[name=reference_video]").select_option("yes")
    form.locator("input[name=video_input_seconds]").fill("6")
    want = _expected("bytedance/seedance-2.0/fast/reference-to-video", 10, "720p", "9:16", 6,
                     reference_video=True)
    assert _result(page).startswith(want)
    assert "per second), 6 s of input video counted, on" in _result(page)
    form.locator("input[name=video_input_seconds]").fill("0")  # the shorter summary's reading
    want = _expected("bytedance/seedance-2.0/fast/reference-to-video", 10, "720p", "9:16",
                     reference_video=True)
    assert _result(page).startswith(want)
    assert "input video seconds not counted" in _result(page)

    form.locator("select[name=mode]").select_option("text")
    assert "reference-to-video endpoint" in _result(page)
    assert tab.watch.problems() == []
    assert any(url.endswith("/assets/pricing.json") for url in tab.watch.requests)


def test_pricing_page_reads_without_javascript(open_tab):
    tab = open_tab(javascript=False)
    page = tab.open("pricing/")
    assert _result(page).startswith("$1.51")
    assert page.locator("#sp-price-per-second tbody tr").count() == 12
    assert page.locator("#sp-price-durations tbody tr").count() == 12

"""Golden tests: the generated pricing and FAQ markup, compared exactly.

The expected HTML lives in tests/golden/. After an intended change (a new
rate, a reworded answer, a template edit) regenerate it and read the diff:

    SEEDPRESS_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py
    git diff tests/golden/

The built pages must carry the same markup, so the golden files are what
readers get.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from seedpress.pages.data import load_site_data
from seedpress.pages.page_names import page_names
from support import ROOT

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("SEEDPRESS_UPDATE_GOLDEN") == "1"

#: golden file -> (the page that shows it, how the page asks for it)
CASES = {
    "pricing_per_second.html": ("pricing", lambda n: n["pricing_table"]("per_second")),
    "pricing_durations.html": ("pricing", lambda n: n["pricing_table"]("durations")),
    "pricing_reference.html": ("pricing", lambda n: n["pricing_table"]("reference")),
    "pricing_examples.html": ("pricing", lambda n: n["pricing_table"]("examples")),
    "estimator.html": ("pricing", lambda n: n["estimator_form"]()),
    "faq.html": ("faq", lambda n: n["faq_entries"]()),
    "faq_jsonld.html": ("faq", lambda n: n["faq_jsonld"]()),
}


@pytest.fixture(scope="module")
def names():
    return page_names(load_site_data(ROOT))


@pytest.mark.parametrize("name", sorted(CASES))
def test_generated_markup_matches_golden(names, name):
    html = str(CASES[name][1](names))
    path = GOLDEN / name
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(html, encoding="utf-8")
    assert path.is_file(), f"{path} is missing: run SEEDPRESS_UPDATE_GOLDEN=1 pytest {__file__}"
    assert html == path.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_built_page_carries_the_golden_markup(built_site, name):
    page = CASES[name][0]
    built = (built_site / page / "index.html").read_text(encoding="utf-8")
    golden = (GOLDEN / name).read_text(encoding="utf-8").strip()
    assert golden in built

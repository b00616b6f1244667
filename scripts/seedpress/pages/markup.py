"""The Jinja2 environment for the HTML that the site stage generates.

Templates live in ``pages/templates/``. Autoescape is on and undefined names
fail, so text from YAML is always escaped and a typo never renders empty.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render(template: str, **names) -> Markup:
    """Render a template to markup that a page can embed as an HTML block."""
    html = environment().get_template(template).render(**names)
    return Markup(html.strip() + "\n")

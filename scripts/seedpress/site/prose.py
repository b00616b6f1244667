"""Computed values inside Markdown: pages and posts are Jinja2 templates.

A guide writes ``{{ price("standard", "720p", 5) }}`` and never types a
number. Rendering uses autoescape, so values from YAML cannot inject HTML.
Pages without ``{{`` or ``{%`` are passed through untouched.
"""

from __future__ import annotations

from typing import Any

import jinja2

from ..check.codes import registry as ship_check_codes
from ..diagnostics import ContentError, Diagnostic
from .data import SiteData
from .gallery_markup import gallery_names
from .page_names import page_names


def make_environment() -> jinja2.Environment:
    return jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def prose_globals(data: SiteData) -> dict[str, Any]:
    """The names a page may use. Later stages add theirs here."""
    return {
        "site": data,
        "post_count": len(data.posts),
        **page_names(data),
        **gallery_names(data),
        "ship_check_codes": ship_check_codes,
    }


def render(markdown: str, *, env: jinja2.Environment, names: dict[str, Any],
           path: str, line_offset: int = 0) -> str:
    if "{{" not in markdown and "{%" not in markdown:
        return markdown
    try:
        return env.from_string(markdown).render(**names)
    except jinja2.TemplateSyntaxError as err:
        line = (err.lineno or 1) + line_offset
        diagnostic = Diagnostic(path, line, 1, "SP008", f"template error: {err.message}")
        raise ContentError(diagnostic) from None
    except jinja2.UndefinedError as err:
        line = _template_line(err) + line_offset
        raise ContentError(Diagnostic(path, line, 1, "SP008",
                                      f"unknown name in page: {err.message}")) from None
    except (TypeError, ValueError, KeyError) as err:
        line = _template_line(err) + line_offset
        raise ContentError(Diagnostic(path, line, 1, "SP008",
                                      f"computed value failed: {err}")) from None


def _template_line(err: BaseException) -> int:
    """The template line an exception came from (Jinja keeps it in the traceback)."""
    line = 1
    tb = err.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line

"""One drift run: fetch every page, judge it, say what differs and where it is printed.

:func:`run` reads the data (raising :class:`~seedpress.diagnostics.ContentError`
when the data itself is broken: fix that first), fetches the llms.txt page of
the six Seedance 2.0 endpoints and of the Seedance 1.5 Pro endpoint the site
prices, one request each, judges each page and returns a :class:`Report`:
its diagnostics (``path:line:col: CODE message``, at the data line each
difference contradicts, with the pages that print the fact) and its status:

- ``in_sync``: every page was read and judged and nothing differs (exit 0);
- ``drift``: every page was judged and something differs (exit 1);
- ``unjudged``: some page or fact could not be judged (exit 2), whatever the
  others said, so a page that could not be parsed never passes as in sync;
- ``unreachable``: the network failed; nothing was judged (exit 2).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .. import codes
from ..content.pricing import PricingModel, load_pricing
from ..diagnostics import Diagnostic
from . import fetch as F
from .builder import builder_inputs
from .compare import Judge
from .findings import Finding, merge, where
from .page import PageError, parse_page
from .pages import PageIndex, describe

EXIT = {"in_sync": 0, "drift": 1, "unjudged": 2, "unreachable": 2}


@dataclass(frozen=True)
class PageResult:
    endpoint: str
    url: str
    #: in_sync, drift, unjudged or not_tried
    state: str
    from_cache: bool = False
    reason: str = ""


@dataclass
class Report:
    status: str
    base_url: str
    today: dt.date
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: one entry per diagnostic, for --json: fact, endpoints, pages
    items: list[dict] = field(default_factory=list)
    pages: list[PageResult] = field(default_factory=list)
    #: why nothing was judged (status unreachable)
    failure: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return EXIT[self.status]

    def as_json(self) -> dict:
        return {
            "status": self.status, "exit_code": self.exit_code, "base_url": self.base_url,
            "today": self.today.isoformat(), "failure": self.failure,
            "pages": [{"endpoint": p.endpoint, "url": p.url, "state": p.state,
                       "from_cache": p.from_cache, "reason": p.reason} for p in self.pages],
            "findings": self.items, "notes": self.notes,
        }


def endpoints(model: PricingModel) -> list[str]:
    """The seven endpoints a run reads: the six of data/limits.yml and the Seedance
    1.5 Pro endpoint of data/pricing.yml."""
    found = list(model.limits.endpoints)
    if model.pro15 is not None:
        found.append(model.pro15.endpoint)
    return found


def run(root: Path, *, base_url: str, today: dt.date, cache_dir: Path | None,
        timeout: float = F.TIMEOUT_S, max_bytes: int = F.MAX_BYTES) -> Report:
    model = load_pricing(root)
    limits = model.limits
    judge = Judge(root, limits, model, builder_inputs(limits, model))
    report = Report("in_sync", base_url, today)
    cache = F.Cache(cache_dir)
    order = endpoints(model)
    with F.client(timeout) as http:
        for n, endpoint in enumerate(order):
            url = F.page_url(base_url, endpoint)
            try:
                got = F.fetch(http, url, cache, max_bytes=max_bytes)
                page = parse_page(got.text)
            except F.Unreachable as err:
                report.status = "unreachable"
                report.failure = f"could not reach {url} ({err}); nothing was judged"
                report.pages += [PageResult(e, F.page_url(base_url, e), "not_tried")
                                 for e in order[n:]]
                return report
            except PageError as err:
                judge.cannot_judge(endpoint, f"{err} ({url})")
                report.pages.append(PageResult(endpoint, url, "unjudged", reason=str(err)))
                continue
            before = len(judge.findings)
            if endpoint in limits.endpoints:
                judge.judge_seedance2(limits.endpoints[endpoint], page)
            else:
                judge.judge_pro15(page)
            mine = judge.findings[before:]
            state = ("unjudged" if endpoint in judge.unjudged
                     else "drift" if mine else "in_sync")
            report.pages.append(PageResult(endpoint, url, state, got.from_cache))
    judge.finish()
    if cache.warning:
        report.notes.append(cache.warning)
    _describe(report, root, today, merge(judge.findings), limits)
    if any(d.code == codes.DRIFT_UNJUDGED.code for d in report.diagnostics):
        report.status = "unjudged"
    elif report.diagnostics:
        report.status = "drift"
    return report


def _describe(report: Report, root: Path, today: dt.date, findings: list[Finding],
              limits) -> None:
    index = PageIndex(root, today) if findings else None
    rows = []
    for f in findings:
        message = f.message.replace("{where}", where(f.endpoints, limits))
        pages = index.printed_on([f.fact]) if f.fact else []
        if f.code != codes.DRIFT_UNJUDGED:
            message += f" (printed on: {describe(pages)})"
        d = Diagnostic(f.file.as_posix(), f.line, f.column, f.code.code, message,
                       f.code.severity)
        rows.append((d, {"path": d.path, "line": d.line, "column": d.column, "code": d.code,
                         "message": d.message, "fact": f.fact,
                         "endpoints": [e for e in f.endpoints if e],
                         "pages": [p.path for p in pages]}))
    rows.sort(key=lambda r: (r[0].path, r[0].line, r[0].column, r[0].code, r[0].message))
    report.diagnostics = [d for d, _ in rows]
    report.items = [item for _, item in rows]

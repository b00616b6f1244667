"""Open, update or close the one drift issue, from a `seedpress drift --report` file.

The drift workflow (.github/workflows/drift.yml) runs it after `seedpress
drift --stamp --report FILE`. It talks to GitHub through the `gh` command
(GH_TOKEN from the workflow; no FAL_KEY anywhere) and keeps to one issue:

- drift found, or a page that could not be judged: the open issue labelled
  ``drift`` gets the findings; with none open, an earlier issue with the very
  same findings is reopened, and only drift never reported before opens a new
  issue. Findings that did not change leave the issue alone, so a weekly run
  never repeats itself;
- everything agrees: an open drift issue is closed with a comment (the stamp
  itself goes to a pull request, made by the workflow);
- fal could not be reached: nothing is said to editors (the run fails instead).

The issue carries a fingerprint of its findings in an HTML comment, which is
how "the same drift" is recognised. Standard library only.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

LABEL = "drift"
TITLE = "Drift watch: fal's model pages no longer agree with the data"
MARK = "<!-- seedpress-drift:{} -->"
GUIDE = "docs/editors.md#when-drift-is-reported"


def gh(*args: str) -> str:
    return subprocess.run(["gh", *args], check=True, capture_output=True, text=True).stdout


def fingerprint(report: dict) -> str:
    """The findings, whatever their order or the day: same drift, same fingerprint."""
    keys = sorted(f"{f['code']} {f['path']} {f['message']}" for f in report["findings"])
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()[:16]


def run_url() -> str:
    server, repo, run = (os.environ.get(k, "") for k in
                         ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID"))
    return f"{server}/{repo}/actions/runs/{run}" if server and repo and run else ""


def body(report: dict, mark: str) -> str:
    outcome = ("found differences" if report["status"] == "drift"
               else "could not judge everything")
    lines = [
        f"`seedpress drift` compared fal's model pages with the data on {report['today']} "
        f"and {outcome} (exit code {report['exit_code']}).",
        "",
        "## Findings",
        "",
    ]
    for f in report["findings"]:
        lines.append(f"- `{f['path']}:{f['line']}` **{f['code']}** {f['message']}")
        if f.get("pages"):
            lines.append(f"  - printed on: {', '.join(f'`{p}`' for p in f['pages'])}")
    lines += ["", "## Pages read", "", "| endpoint | state |", "|---|---|"]
    for p in report["pages"]:
        state = p["state"] + (f": {p['reason']}" if p.get("reason") else "")
        lines.append(f"| [`{p['endpoint']}`]({p['url']}) | {state} |")
    lines += ["", f"What to do: see \"When drift is reported\" in `{GUIDE}`. This issue is "
              "updated when the findings change and closed when fal and the data agree again."]
    url = run_url()
    if url:
        lines += ["", f"Run: {url}"]
    lines += ["", mark, ""]
    return "\n".join(lines)


def _with_body_file(text: str, *args: str) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False, encoding="utf-8") as fh:
        fh.write(text)
    try:
        gh(*args, "--body-file", fh.name)
    finally:
        os.unlink(fh.name)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: drift_issue.py REPORT.json", file=sys.stderr)
        return 2
    try:
        report = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
        status = report["status"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        print(f"drift_issue.py: {argv[0]}: not a drift report ({err})", file=sys.stderr)
        return 2
    if status == "unreachable":
        print(f"fal could not be reached ({report.get('failure', '')}); no issue changed")
        return 0
    issues = json.loads(gh("issue", "list", "--label", LABEL, "--state", "all", "--limit",
                           "100", "--json", "number,state,body"))
    open_issues = [i for i in issues if i["state"] == "OPEN"]
    if status == "in_sync":
        for issue in open_issues:
            gh("issue", "close", str(issue["number"]), "--comment",
               f"fal's pages and the data agree again ({report['today']}). {run_url()}".strip())
            print(f"closed #{issue['number']}")
        if not open_issues:
            print("in sync; no drift issue open")
        return 0
    mark = MARK.format(fingerprint(report))
    text = body(report, mark)
    if open_issues:
        number = str(open_issues[0]["number"])
        if mark in (open_issues[0].get("body") or ""):
            print(f"#{number} already reports these findings; unchanged")
            return 0
        _with_body_file(text, "issue", "edit", number)
        gh("issue", "comment", number, "--body",
           "The findings changed; the description above lists the current ones.")
        print(f"updated #{number}")
        return 0
    earlier = [i for i in issues if mark in (i.get("body") or "")]
    if earlier:
        number = str(earlier[0]["number"])
        gh("issue", "reopen", number)
        gh("issue", "comment", number, "--body",
           f"The same drift is reported again ({report['today']}).")
        print(f"reopened #{number}")
        return 0
    gh("label", "create", LABEL, "--force", "--color", "d93f0b", "--description",
       "fal's model pages differ from the data (seedpress drift)")
    _with_body_file(text, "issue", "create", "--title", TITLE, "--label", LABEL)
    print("opened a drift issue")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""A fake of the `gh` command for the drift workflow's issue script: issues in a JSON file.

It answers the few commands scripts/drift_issue.py uses (``issue list``,
``issue create``, ``issue edit``, ``issue comment``, ``issue close``,
``issue reopen``, ``label create``) the way gh does, keeping the issues in
the file named by ``FAKE_GH_STORE`` and every call in its ``calls`` list.
``install(folder)`` writes an executable ``gh`` there to put first on PATH.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path


def _load(path: Path) -> dict:
    if path.is_file():
        return json.loads(path.read_text())
    return {"issues": [], "labels": [], "calls": []}


def _opt(args: list[str], name: str) -> str | None:
    return args[args.index(name) + 1] if name in args else None


def main(args: list[str]) -> int:
    path = Path(os.environ["FAKE_GH_STORE"])
    store = _load(path)
    store["calls"].append(args)
    out = ""
    issues = store["issues"]

    def find(number: str) -> dict:
        return next(i for i in issues if str(i["number"]) == number)

    if args[:2] == ["issue", "list"]:
        label = _opt(args, "--label")
        state = _opt(args, "--state") or "open"
        fields = (_opt(args, "--json") or "number").split(",")
        rows = [i for i in issues if label in i["labels"]
                and (state == "all" or i["state"] == state.upper())]
        out = json.dumps([{k: i[k] for k in fields} for i in rows])
    elif args[:2] == ["issue", "create"]:
        label = _opt(args, "--label")
        if label not in store["labels"]:
            print(f"could not add label: '{label}' not found", file=sys.stderr)
            return 1
        number = len(issues) + 1
        issues.append({"number": number, "state": "OPEN", "title": _opt(args, "--title"),
                       "labels": [label], "comments": [],
                       "body": Path(_opt(args, "--body-file")).read_text()})
        out = f"https://github.com/example/seedpress/issues/{number}\n"
    elif args[:2] == ["issue", "edit"]:
        find(args[2])["body"] = Path(_opt(args, "--body-file")).read_text()
    elif args[:2] == ["issue", "comment"]:
        find(args[2])["comments"].append(_opt(args, "--body"))
    elif args[:2] == ["issue", "close"]:
        issue = find(args[2])
        issue["state"] = "CLOSED"
        if _opt(args, "--comment"):
            issue["comments"].append(_opt(args, "--comment"))
    elif args[:2] == ["issue", "reopen"]:
        find(args[2])["state"] = "OPEN"
    elif args[:2] == ["label", "create"]:
        if args[2] not in store["labels"]:
            store["labels"].append(args[2])
    else:
        print(f"fake gh: unknown command {args}", file=sys.stderr)
        return 1
    path.write_text(json.dumps(store))
    sys.stdout.write(out)
    return 0


def install(folder: Path) -> Path:
    """An executable ``gh`` in ``folder`` that runs this fake."""
    exe = folder / "gh"
    exe.write_text(f"#!/bin/sh\nexec {sys.executable} {Path(__file__).resolve()} \"$@\"\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return exe


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

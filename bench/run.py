"""`make bench`: every bench/bench_*.py module's rows in one table.

Each module exposes ``rows(work: Path) -> list[Row]``. A row compares a
measurement with a baseline taken in the same run and states its goal, so
the table is read as ratios, not as absolute times.

Usage: python bench/run.py [NAME ...]   (NAME filters modules, e.g. build)
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import Row, format_table  # noqa: E402


def main(argv: list[str]) -> int:
    work = HERE / ".work"
    work.mkdir(exist_ok=True)
    wanted = set(argv)
    rows: list[Row] = []
    failed = False
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if wanted and name not in wanted:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up here
        spec.loader.exec_module(module)
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        try:
            rows.extend(module.rows(work / name))
        except Exception:  # a broken benchmark is reported, the others still run
            failed = True
            traceback.print_exc()
    print(format_table(rows))
    missed = [r for r in rows if r.met is False]
    if missed:
        print(f"\n{len(missed)} goal(s) not met: " + ", ".join(r.name for r in missed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

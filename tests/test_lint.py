"""ruff over the toolkit, the tests and the benchmarks (the rules in pyproject.toml)."""

from __future__ import annotations

import subprocess

from support import BIN, ROOT


def test_ruff_finds_nothing():
    result = subprocess.run([str(BIN / "ruff"), "check", "--no-cache", "scripts", "tests", "bench"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr

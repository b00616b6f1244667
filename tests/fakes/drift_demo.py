"""`make drift-demo`: `seedpress drift` against every scenario of the fake model pages.

Starts the fake of fal's llms.txt pages (tests/fakes/llms_server.py) on
127.0.0.1 and runs the real command against each scenario in turn, with a
throwaway cache and nothing stamped, so an editor can read what each kind of
drift looks like. No key and no network beyond loopback.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from seedpress import cli  # noqa: E402

from fakes.llms_server import SCENARIOS, FakeLlms  # noqa: E402


def main() -> int:
    fake = FakeLlms().start()
    try:
        for name, (what, _change, _special) in SCENARIOS.items():
            fake.use(name)
            print(f"\n== {name}: {what}", flush=True)
            with tempfile.TemporaryDirectory() as cache:
                code = cli.main(["drift", "--base-url", fake.base_url, "--cache-dir", cache])
            print(f"   exit {code}", flush=True)
    finally:
        fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

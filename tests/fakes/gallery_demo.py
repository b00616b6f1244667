"""`make gallery-demo`: the whole gallery refresh, offline, against the fake fal server.

Copies what the gallery commands read (data/, gallery/, docs/gallery-media/)
into a temporary folder, starts the fake fal queue server on 127.0.0.1 with a
fresh self-signed certificate, and runs the real `seedpress gallery refresh`
there with a dummy key: progress, verification, the manifest update and the
cost summary, exactly as CI sees them. Then it runs the refresh once more to
show that nothing is submitted twice. The repository's own media and manifest
are never touched, and nothing leaves the machine.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))

from fakes.fal_server import FakeFal  # noqa: E402

BIN = Path(sys.executable).parent


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="gallery-demo-") as tmp:
        work = Path(tmp)
        project = work / "project"
        for part in ("data", "gallery", "docs/gallery-media"):
            shutil.copytree(ROOT / part, project / part,
                            ignore=shutil.ignore_patterns(".journal"))
        seconds = float(os.environ.get("DEMO_RENDER_SECONDS", "3"))
        with FakeFal(work / "fake-fal", render_seconds=seconds) as fake:
            env = {**os.environ, **fake.environ(f"demo-{secrets.token_hex(8)}"),
                   "SEEDPRESS_FAL_POLL_SECONDS": "0.5"}
            env.pop("GITHUB_STEP_SUMMARY", None)
            cli = [str(BIN / "seedpress"), "gallery"]
            print(f"== fake fal queue on {fake.base_url}; a copy of the gallery in {project}\n",
                  flush=True)
            first = subprocess.run([*cli, "refresh", "--concurrency", "6", "--root",
                                    str(project)], env=env)
            print(f"\n== the fake server took {fake.submission_count()} submissions; "
                  "running the refresh again:\n", flush=True)
            second = subprocess.run([*cli, "refresh", "--root", str(project)], env=env)
            print(f"\n== submissions after the second run: {fake.submission_count()} "
                  "(nothing was sent twice)")
            print("== the repository's gallery/manifest.json and docs/gallery-media/ are "
                  "unchanged; the copy is deleted now.")
    return first.returncode or second.returncode


if __name__ == "__main__":
    sys.exit(main())

"""`make sysdeps` (scripts/sysdeps.sh) waits for another apt instead of failing at once.

On a shared or freshly booted machine another apt (unattended upgrades, a
colleague's install) often holds its lock; `make test` must wait for it, for
a bounded time, and say that it waits. apt-get install waits by itself when
given ``-o DPkg::Lock::Timeout=N``; apt-get update does not (apt 2.6 fails at
once on the lists lock), so the script retries it within the same bound.

The script runs for real under bash; apt-get is a stand-in that behaves as
apt does with its lock (a real fcntl lock on a file, which this test holds
and releases), so nothing is installed and the machine's apt is untouched.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from support import ROOT

SCRIPT = ROOT / "scripts" / "sysdeps.sh"

FAKE_APT = textwrap.dedent(f"""\
    #!{sys.executable}
    # apt-get as far as its lock goes: update fails at once when the lock is held,
    # install waits up to -o DPkg::Lock::Timeout=N seconds, as apt 2.6 does.
    import fcntl, os, sys, time
    args = sys.argv[1:]
    with open(os.environ["FAKE_APT_LOG"], "a") as log:
        log.write(" ".join(args) + "\\n")
    timeout = 0
    for i, arg in enumerate(args):
        if arg == "-o" and args[i + 1].startswith("DPkg::Lock::Timeout="):
            timeout = int(args[i + 1].split("=", 1)[1])
    verb = next(a for a in args if a in ("update", "install"))
    fd = os.open(os.environ["FAKE_APT_LOCK"], os.O_RDWR)
    deadline = time.monotonic() + (timeout if verb == "install" else 0)
    while True:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except OSError:
            if time.monotonic() >= deadline:
                where = "/var/lib/apt/lists/lock" if verb == "update" else \\
                    "/var/lib/dpkg/lock-frontend"
                print(f"E: Could not get lock {{where}}. It is held by process 1 (apt-get)",
                      file=sys.stderr)
                sys.exit(100)
            time.sleep(0.1)
    """)


@pytest.fixture
def apt(tmp_path: Path):
    """A PATH with no chromium, ffmpeg or node (so the script wants them), root's id,
    and the stand-in apt-get; the lock file it takes; its log of calls."""
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    (bin_ / "apt-get").write_text(FAKE_APT)
    (bin_ / "id").write_text("#!/bin/sh\necho 0\n")
    for name in ("apt-get", "id"):
        (bin_ / name).chmod(0o755)
    for name in ("sleep", "cat", "date"):
        (bin_ / name).symlink_to(Path("/bin") / name)
    lock = tmp_path / "lock"
    lock.write_text("")
    log = tmp_path / "apt.log"
    log.write_text("")
    env = {"PATH": str(bin_), "FAKE_APT_LOCK": str(lock), "FAKE_APT_LOG": str(log),
           "HOME": str(tmp_path)}
    return env, lock, log


def hold(lock: Path) -> int:
    fd = os.open(lock, os.O_RDWR)
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


def test_it_waits_for_another_apt_and_says_so(apt):
    env, lock, log = apt
    held = hold(lock)
    proc = subprocess.Popen(["/bin/bash", str(SCRIPT)], env={**env, "SYSDEPS_APT_WAIT": "120"},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen = []
    for line in proc.stdout:  # wait for the event: the script says it waits
        seen.append(line)
        if "waiting" in line:
            break
    else:
        pytest.fail("the script never said it waits:\n" + "".join(seen))
    assert "another apt" in seen[-1] and "up to 120 s" in seen[-1]
    os.close(held)  # the other apt finishes
    rest = proc.stdout.read()
    assert proc.wait(timeout=120) == 0, "".join(seen) + rest
    assert "installed" in rest
    calls = log.read_text().splitlines()
    updates = [c for c in calls if "update" in c.split()]
    installs = [c for c in calls if "install" in c.split()]
    assert len(updates) >= 2, calls  # retried once the lock was free
    assert len(installs) == 1 and "-o DPkg::Lock::Timeout=120" in installs[0], calls


def test_it_gives_up_after_the_bound_with_a_clear_message(apt):
    env, lock, log = apt
    held = hold(lock)
    try:
        result = subprocess.run(["/bin/bash", str(SCRIPT)], env={**env, "SYSDEPS_APT_WAIT": "1"},
                                capture_output=True, text=True, timeout=120)
    finally:
        os.close(held)
    assert result.returncode != 0
    assert "still held" in result.stderr and "make sysdeps" in result.stderr, result.stderr
    assert "install" not in log.read_text()

"""The production render queue guide, run against the fake fal server."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pytest
from fakes.fal_server import FakeFal
from seedpress.content import read_text

from . import ROOT, free_port
from .guide_code import BlockFailed, python_blocks, run_blocks

GUIDE = ROOT / "posts" / "production-render-queue.md"
T2V = "bytedance/seedance-2.0/text-to-video"
FAST_T2V = "bytedance/seedance-2.0/fast/text-to-video"
R2V = "bytedance/seedance-2.0/reference-to-video"
SHOT = {"resolution": "480p", "aspect_ratio": "16:9", "duration": "5", "generate_audio": False}


def wait_for(condition, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


@dataclass
class Guide:
    ns: dict[str, Any]
    fake: FakeFal
    hook_url: str

    def __getitem__(self, name: str) -> Any:
        return self.ns[name]

    def query(self, sql: str, *args: Any) -> list[tuple]:
        with self.ns["db_lock"]:
            return self.ns["db"].execute(sql, args).fetchall()

    def job(self, job_key: str) -> tuple:
        (row,) = self.query("SELECT state, tries, error, video_url FROM jobs WHERE job_key = ?",
                            job_key)
        return row

    def attempts(self, job_key: str) -> list[tuple]:
        return self.query("SELECT request_id, outcome, estimated_usd FROM attempts "
                          "WHERE job_key = ? ORDER BY submitted_at", job_key)

    def changes(self) -> int:
        with self.ns["db_lock"]:
            return self.ns["db"].total_changes

    def wait_state(self, job_key: str, state: str) -> None:
        wait_for(lambda: self.job(job_key)[0] == state, f"{job_key} to be {state}")


def run_guide(fake: FakeFal, tmp_path, monkeypatch) -> tuple[Guide, BaseException | None]:
    """Run the guide's blocks with webhooks on; the guide, and what it stopped with (None:
    it ran to the end). Its receiver is left running (see :func:`stop`)."""
    port = free_port()
    hook_url = f"http://127.0.0.1:{port}/hooks/fal"
    monkeypatch.setenv("RENDER_WEBHOOK_PORT", str(port))
    monkeypatch.setenv("RENDER_WEBHOOK_URL", hook_url)
    # the reader's deadline for the sweeper, shorter here: a test that leaves an attempt open
    # is told so in a minute, not in the hour the guide waits by default
    monkeypatch.setenv("RENDER_QUEUE_SWEEP_SECONDS", "60")
    assert fake.jwks_url.startswith("https://127.0.0.1:")
    monkeypatch.chdir(tmp_path)
    # A job is COMPLETED at its first status poll, so the guide's sweeper ends after one
    # pass; a job a test submits later finishes when the test delivers its webhook.
    fake.pace, fake.polls_to_finish = "polls", 1
    try:
        ns, error = run_blocks(python_blocks(read_text(GUIDE)),
                               "posts/production-render-queue.md"), None
    except BlockFailed as failed:
        if failed.error is None:
            raise
        ns, error = failed.namespace, failed.error
    # The sweeper's status polls made the fake deliver the guide's own webhooks.
    assert fake.wait_for_deliveries(), "the guide's webhook deliveries never ended"
    return Guide(ns, fake, hook_url), error


def stop(guide: Guide) -> None:
    if "receiver" in guide.ns:
        guide["receiver"].shutdown()
        guide["receiver"].server_close()

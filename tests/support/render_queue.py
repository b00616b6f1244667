"""The production render queue guide, run against the fake fal server."""

from __future__ import annotations

import ast
import re
import symtable
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fakes.fal_server import FakeFal
from seedpress.content import read_text

from . import ROOT, free_port
from .guide_code import Block, BlockFailed, python_blocks, run_blocks

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


@contextmanager
def when_held(held, what: str, then):
    """While the block runs: once the gated request ``held`` has reached fal, call
    ``then()`` (fill the disk, say), then let the request go on."""
    def act() -> None:
        wait_for(lambda: held.fired, what)
        then()
        held.release()

    worker = threading.Thread(target=act)
    worker.start()
    try:
        yield
    finally:
        worker.join()


@contextmanager
def file_gone_once_queued(fake: FakeFal):
    """While the block runs: the file of the first request fal queues is taken away as
    soon as it is queued (its address then answers 404)."""
    def act() -> None:
        wait_for(lambda: fake.jobs, "a request to reach fal", timeout=5)
        with fake.lock:
            next(iter(fake.jobs.values())).file_gone = True

    worker = threading.Thread(target=act, daemon=True)
    worker.start()
    try:
        yield
    finally:
        worker.join(timeout=10)


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


# -- the FastAPI split: the receiver module, built as the page tells a reader to -----------

_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_SPLIT = re.compile(r"put the definitions the receiver needs \((?P<recipe>.*?)\) in a module",
                    re.S)


def _defines(node: ast.stmt) -> set[str]:
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, ast.Assign):
        return {t.id for t in node.targets if isinstance(t, ast.Name)}
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return {node.target.id}
    return set()


def _calls(node: ast.stmt, name: str) -> bool:
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == name
               for n in ast.walk(node))


def _statements(code: str, keep) -> str:
    lines = code.splitlines(keepends=True)

    def start(node: ast.stmt) -> int:  # a decorator is part of its definition
        return min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])

    return "".join("".join(lines[start(node) - 1:node.end_lineno]) + "\n"
                   for node in ast.parse(code).body if keep(node))


def receiver_source() -> str:
    """The text of ``render_receiver.py`` as the FastAPI section's recipe lists it: the
    shared helpers, the first block without its ``submit_job`` calls, the webhook section
    without its last lines (as many as the page says), and the names the page lists from
    the sweeper section. The recipe is read from the page, so the test follows the page."""
    text = read_text(GUIDE)
    recipe = " ".join(_SPLIT.search(text)["recipe"].split())
    tail = _WORDS[re.search(r"the webhook section without its last (\w+) lines", recipe)[1]]
    listed = re.search(r"from the sweeper section ((?:`\w+`(?:, | and ))*`\w+`)", recipe)[1]
    from_sweeper = set(re.findall(r"`(\w+)`", listed))
    rendered = [b.rendered(f"posts/production-render-queue.md:{b.line}")
                for b in python_blocks(text) if not b.compile_only]

    def block(defining: str) -> str:
        (code,) = [c for c in rendered if f"def {defining}(" in c]
        return code

    helpers = rendered[0]
    assert "def keep_video(" in helpers, "the shared helpers are no longer the first block"
    first = _statements(block("submit_job"), lambda node: not _calls(node, "submit_job"))
    webhook = block("handle_fal_webhook").rstrip("\n").splitlines()
    webhook = "\n".join(webhook[:-tail]) + "\n"
    sweeper = _statements(block("finish"), lambda node: _defines(node) & from_sweeper)
    return "\n\n".join((helpers, first, webhook, sweeper))


def unbound_globals(source: str) -> dict[str, set[str]]:
    """Per function of a module, the global names it reads that the module never binds
    (and Python does not provide): each one is a NameError waiting for its call."""
    import builtins

    table = symtable.symtable(source, "render_receiver.py", "exec")
    bound = {s.get_name() for s in table.get_symbols()
             if s.is_assigned() or s.is_imported() or s.is_namespace()}
    missing: dict[str, set[str]] = {}

    def visit(scope: symtable.SymbolTable) -> None:
        for child in scope.get_children():
            if child.get_type() == "function":
                names = {s.get_name() for s in child.get_symbols()
                         if s.is_global() and s.is_referenced()}
                unknown = names - bound - set(dir(builtins))
                if unknown:
                    missing[child.get_name()] = unknown
            visit(child)

    visit(table)
    return missing


def split_receiver(tmp_path) -> dict[str, Any]:
    """The receiver module run in a namespace of its own, as uvicorn's process imports it:
    its own database connection and lock on the same file (the folder it runs from)."""
    assert Path.cwd() == tmp_path  # the same RENDER_QUEUE_DB as the batch program's
    block = Block(1, receiver_source(), False)
    return run_blocks([block], "render_receiver.py")

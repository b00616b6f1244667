"""Every guide's networked code against every fault the fake fal can inject.

A matrix, fault by sample. A sample is a guide whose Python blocks submit,
wait or receive; each cell runs all of that guide's blocks as a reader runs
them (the runner of tests/test_guide_code.py, the real fal_client) with one
fault injected, and asserts what must hold whatever fal answered, never what
was printed:

- the fault was reached (a cell that cannot fail is no test);
- a render that completed is never submitted again (the same endpoint and
  inputs, whatever the seed and duration), unless what completed was an
  output block, the one failure the `retries` rule retries; its result is
  fetched again instead;
- when fal_client gives up on a submit (429, 408 or 409 ten times, or no
  answer at all ten times, after which fal may have queued it), the sample
  does not send that request again, and after a 403 (a locked account) it
  sends nothing more;
- no finished render is lost: every render that ended in a video was fetched;
- every attempt ends in a recorded state: each request fal accepted is still
  known to the sample when it ends (its id or its video's URL in what the
  blocks defined, in the error they stopped with, or its file downloaded);
- a batch keeps what it has: a fault on one item never stops the others, and
  passing trouble (what fal_client and a fetch retry ride out) stops nothing;
- a sample that stops, stops with an error that says what happened to which
  request (RenderFailed, ResultPending, SubmitUnanswered: a submit that may
  have been queued) or with its own SystemExit, never with a KeyError or a
  StopIteration from code that assumed success.

The render-queue guide, which also receives webhooks, has its own rows here:
the same properties read from its job tables, plus the webhook faults, and
"no handler thread dies without answering".

The fake runs in its polls pace (a render is COMPLETED at its first status
poll) and fal_client with a millisecond backoff and a short timeout
(``quick_client``), so nothing waits on the clock and a hung request outlasts
the client at once.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fakes.fal_server import FakeFal, Fault
from seedpress.content import read_text
from support import ROOT
from support.guide_code import BlockFailed, python_blocks, run_blocks

#: builds whole sites, renders through the fake fal server or runs every fault
pytestmark = pytest.mark.slow

NETWORK = ("fal_client.submit", "fal_client.subscribe", "render_video", "wait_for_result",
           "fetch_result", "submit_job")


def networked(post: Path) -> bool:
    code = "".join(b.code for b in python_blocks(read_text(post)) if not b.compile_only)
    return any(call in code for call in NETWORK) or 'snippet("fal_calls.py"' in code


POSTS = sorted((ROOT / "posts").glob("*.md"))
QUEUE = "production-render-queue"
#: every guide whose code calls fal (the render queue has its own rows below)
SAMPLES = [p.stem for p in POSTS if p.stem != QUEUE and networked(p)]
#: samples that render several items in one go: a fault on one item must not stop them
BATCHES = {"vertical-product-ad-workflow", "image-to-video-character-consistency",
           "operating-seedance-on-fal"}


@dataclass(frozen=True)
class Case:
    faults: tuple[Fault, ...]
    #: "rides out": the sample must finish; "may stop": it may stop, cleanly
    expect: str
    #: a batch must finish even so (the fault hits one item)
    batch_finishes: bool = False


def case(expect: str, *faults: Fault, batch_finishes: bool = False) -> Case:
    return Case(tuple(faults), expect, batch_finishes)


RIDES, STOPS = "rides out", "may stop"
FAULTS: dict[str, Case] = {
    # passing trouble: fal_client retries it, or the shared fetch asks again
    **{f"{code} on {on}": case(RIDES, Fault(kind, count=3, on=on))
       for kind, code in (("rate_limit", 429), ("request_timeout", 408), ("conflict", 409))
       for on in ("submit", "status")},
    "429 on result": case(RIDES, Fault("rate_limit", count=3, on="result")),
    "dropped connections": case(RIDES, Fault("drop", count=2)),
    "timeout on status": case(RIDES, Fault("timeout", on="status")),
    "timeout on result": case(RIDES, Fault("timeout", on="result")),
    "500 on status": case(RIDES, Fault("server_error", on="status")),
    "500 on the result of a completed render": case(
        RIDES, Fault("server_error", on="result", count=2)),
    # answers that will not change
    "429 on submit past fal_client's retries": case(
        STOPS, Fault("rate_limit", count=10, on="submit")),
    # the shared submits carry start_timeout, so fal_client sends a timed-out submit no
    # second time (it may have queued a render): the sample stops or leaves it 'submitting'
    "timeout on submit": case(STOPS, Fault("timeout", on="submit"), batch_finishes=True),
    "no answer to a submit past fal_client's retries": case(
        STOPS, Fault("drop", count=10, on="submit"), batch_finishes=True),
    "500 on submit": case(STOPS, Fault("server_error"), batch_finishes=True),
    "403 locked account": case(STOPS, Fault("locked", count=-1)),
    "COMPLETED with error": case(STOPS, Fault("render_error"), batch_finishes=True),
    "200 result without video": case(STOPS, Fault("no_video"), batch_finishes=True),
    **{f"422 content_policy_violation at {loc}": case(
        STOPS, Fault("content_policy", loc=loc), batch_finishes=True)
       for loc in ("image_url", "image_urls", "generated_video", "prompt")},
    # the same on a later item of a batch
    "a later item: output block": case(
        STOPS, Fault("content_policy", loc="generated_video", after=2), batch_finishes=True),
    "a later item: its result never comes back": case(
        STOPS, Fault("unfetchable", after=2), batch_finishes=True),
}
#: faults that only a batch has a later item for
LATER_ITEM = {name for name in FAULTS if name.startswith("a later item")}
ALLOWED_STOPS = {"RenderFailed", "ResultPending", "SubmitUnanswered", "SystemExit"}


# -- what the properties read ----------------------------------------------------------------

def known_ids(*roots: Any, limit: int = 200_000) -> str:
    """Every string the sample still holds (its namespace, its error), joined: a
    request id or a video URL in it is a request the sample can still account for."""
    seen: set[int] = set()
    found: list[str] = []
    stack = list(roots)
    while stack and len(seen) < limit:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, (types.ModuleType, types.FunctionType, type,
                                                types.BuiltinFunctionType, threading.Thread)):
            continue
        seen.add(id(obj))
        if isinstance(obj, (str, Path)):
            found.append(str(obj))
        elif isinstance(obj, dict):
            stack.extend(k for k in obj if isinstance(k, str))
            stack.extend(obj.values())
        elif isinstance(obj, (list, tuple, set, frozenset)):
            stack.extend(obj)
        elif isinstance(obj, BaseException):
            found.append(str(obj))
            stack.extend(vars(obj).values())
            stack.extend(e for e in (obj.__cause__, obj.__context__) if e is not None)
        elif dataclasses.is_dataclass(obj):
            stack.extend(getattr(obj, f.name) for f in dataclasses.fields(obj))
        elif isinstance(getattr(obj, "request_id", None), str):
            found.append(obj.request_id)
        elif hasattr(obj, "__dict__") and type(obj).__module__.startswith("guide_"):
            stack.extend(vars(obj).values())
    return "\n".join(found)


def shot(endpoint: str, arguments: Any) -> tuple[str, str]:
    """What makes two requests the same shot: the endpoint and every input but the
    duration (which a retry may shorten). The seed counts: takes of one prompt on other
    seeds are other shots (the vertical workflow's four drafts), and the one retry that
    changes a seed, after an output block, is allowed below."""
    inputs = {k: v for k, v in arguments.items() if k != "duration"} \
        if isinstance(arguments, dict) else arguments
    return endpoint, json.dumps(inputs, sort_keys=True)


def assert_fal_saw_no_waste(fake: FakeFal, case: Case, sample: str) -> None:
    """The properties fal's side can judge: the fault hit, nothing completed was sent
    again, nothing was sent again after fal_client gave up or after a 403."""
    for fault in case.faults:
        assert fault.fired, f"{sample}: the fault was never reached: {fault}"
    jobs = sorted(fake.jobs.values(), key=lambda j: j.seq)

    # A completed render is never submitted again (an output block may be, once).
    for earlier in jobs:
        if earlier.completed_seq is None or earlier.policy_loc == "generated_video":
            continue
        again = [j for j in jobs if j.seq > earlier.completed_seq
                 and shot(j.endpoint, j.arguments) == shot(earlier.endpoint, earlier.arguments)]
        assert not again, (f"{sample}: {earlier.request_id} had completed and was submitted "
                           f"again as {[j.request_id for j in again]}")

    # fal_client gave up on a submit: that request is not sent again; after a 403, nothing is.
    attempts = fake.submit_attempts
    for i, attempt in enumerate(attempts):
        this = shot(attempt["endpoint"], attempt["arguments"])
        same = [a for a in attempts[:i + 1] if shot(a["endpoint"], a["arguments"]) == this]
        if len(same) >= 10 and all(a["status"] in ("429", "408", "409") for a in same[-10:]):
            later = [a for a in attempts[i + 1:] if shot(a["endpoint"], a["arguments"]) == this]
            assert not later, f"{sample}: sent again after fal_client gave up on it: {later}"
        # No answer at all, ten times: fal may have it. That exact request is never sent
        # again (a batch may still send other seeds of the same prompt: other requests).
        exact = [a for a in attempts[:i + 1] if (a["endpoint"], a["arguments"])
                 == (attempt["endpoint"], attempt["arguments"])]
        if len(exact) >= 10 and all(a["status"] == "dropped" for a in exact[-10:]):
            later = [a for a in attempts[i + 1:] if (a["endpoint"], a["arguments"])
                     == (attempt["endpoint"], attempt["arguments"])]
            assert not later, f"{sample}: sent again after a submit that got no answer: {later}"
        if attempt["status"] == "403":
            assert i == len(attempts) - 1, f"{sample}: kept submitting after a 403"


def assert_properties(fake: FakeFal, case: Case, namespace: dict, error: BaseException | None,
                      sample: str) -> None:
    assert_fal_saw_no_waste(fake, case, sample)
    jobs = sorted(fake.jobs.values(), key=lambda j: j.seq)

    # No finished render is lost; every attempt is still accounted for.
    held = known_ids(namespace, error)
    for job in jobs:
        accounted = job.request_id in held or job.downloads > 0
        assert accounted, f"{sample}: {job.request_id} ({job.arguments.get('prompt')!r}) " \
                          "was accepted by fal and is known nowhere any more"
        finished = job.deliverable and job.completed_seq is not None
        if finished and error is None:
            assert job.results_served, f"{sample}: {job.request_id} finished and was " \
                                       "never fetched"

    # How it ended.
    if error is not None:
        name = type(error).__name__
        assert case.expect == STOPS, f"{sample} stopped on passing trouble: {error!r}"
        assert not (case.batch_finishes and sample in BATCHES), \
            f"{sample} is a batch: one item's failure stopped it: {error!r}"
        assert name in ALLOWED_STOPS, f"{sample} stopped with {name}: {error!r}"


# -- the cells ---------------------------------------------------------------------------------

def run_sample(stem: str, fake: FakeFal) -> tuple[dict, BaseException | None]:
    """Run a guide's blocks; what they defined, and what they stopped with (None: finished)."""
    post = ROOT / "posts" / f"{stem}.md"
    try:
        return run_blocks(python_blocks(read_text(post)), f"posts/{stem}.md"), None
    except BlockFailed as failed:
        if failed.error is None:
            raise
        return failed.namespace, failed.error


CELLS = [(sample, name) for sample in SAMPLES for name in FAULTS
         if name not in LATER_ITEM or sample in BATCHES]


def test_the_matrix_covers_every_networked_guide():
    assert len(SAMPLES) >= 7, SAMPLES
    assert set(BATCHES) <= set(SAMPLES)


@pytest.mark.parametrize("sample, fault", CELLS, ids=[f"{s}|{f}" for s, f in CELLS])
def test_a_guide_survives_the_fault(sample, fault, fake_fal, quick_client, tmp_path,
                                    monkeypatch):
    monkeypatch.chdir(tmp_path)
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1
    cell = FAULTS[fault]
    cell = dataclasses.replace(cell, faults=tuple(fake_fal.inject(dataclasses.replace(f))
                                                  for f in cell.faults))
    namespace, error = run_sample(sample, fake_fal)
    assert_properties(fake_fal, cell, namespace, error, sample)


# -- the render queue: the same faults, the webhook faults, and its tables ---------------------

QUEUE_FAULTS: dict[str, Case] = {
    **{name: c for name, c in FAULTS.items() if not name.startswith("a later item")},
    "a later item: output block": FAULTS["a later item: output block"],
    "webhook delivered twice": case(RIDES, Fault("webhook_twice", count=-1)),
    "webhooks delivered late": case(RIDES, Fault("webhook_late", count=-1)),
    "webhooks delivered out of order": case(RIDES, Fault("webhook_out_of_order", count=-1)),
    "a webhook with a bad signature": case(RIDES, Fault("webhook_bad_signature")),
    "a key set that is not JSON": case(RIDES, Fault("jwks_not_json")),
    "a key set with keys that are not Ed25519": case(RIDES, Fault("jwks_not_ed25519", count=-1)),
    # a locked account heard while following: the queue stops there too (the page's table)
    "403 on status": case(STOPS, Fault("locked", count=-1, on="status")),
    "403 on result": case(STOPS, Fault("locked", count=-1, on="result")),
}
#: what the queue may stop with: a locked account stops the whole queue, on purpose
QUEUE_STOPS = {"AccountLocked"}
OUTCOMES = {"pending", "ready", "done", "blocked", "failed", "stuck"}


@pytest.mark.parametrize("fault", list(QUEUE_FAULTS))
def test_the_render_queue_survives_the_fault(fault, fake_fal, quick_client, tmp_path,
                                             monkeypatch):
    from support.render_queue import run_guide, stop, wait_for

    cell = QUEUE_FAULTS[fault]
    cell = dataclasses.replace(cell, faults=tuple(fake_fal.inject(dataclasses.replace(f))
                                                  for f in cell.faults))
    dead: list[BaseException] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: dead.append(args.exc_value))
    guide, error = run_guide(fake_fal, tmp_path, monkeypatch)
    try:
        assert_fal_saw_no_waste(fake_fal, cell, QUEUE)
        if error is not None:
            assert cell.expect == STOPS and not cell.batch_finishes, error
            assert type(error).__name__ in QUEUE_STOPS, error
        if "receiver" not in guide.ns:
            return  # stopped before the receiver started (a locked account at the first job)

        def settled() -> bool:
            return guide["doorbell"].empty() and not guide.query(
                "SELECT 1 FROM attempts WHERE outcome = 'fetching'")

        def work() -> tuple:
            return (guide.query("SELECT * FROM jobs ORDER BY job_key"),
                    guide.query("SELECT * FROM attempts ORDER BY request_id"),
                    {rid: j.result_fetches for rid, j in fake_fal.jobs.items()})

        wait_for(settled, "the doorbell to be answered")
        before = work()
        # Deliveries held back (late, out of order) arrive now, after the sweeper's work:
        # they are recorded, and neither fetch nor change a job again.
        assert None not in fake_fal.flush_webhooks()
        wait_for(settled, "the doorbell to be answered")
        assert work() == before, "a delivery after the work was done changed the work"

        # No handler thread died, and every delivery was answered.
        assert [d["status"] for d in fake_fal.deliveries if d["status"] is None] == []
        assert guide["doorbell_worker"].is_alive() and not dead, dead

        # Every attempt ends in a recorded state; every finished render was fetched and kept.
        attempts = dict(guide.query("SELECT request_id, outcome FROM attempts"))
        assert set(attempts.values()) <= OUTCOMES, attempts
        for rid, job in fake_fal.jobs.items():
            assert rid in attempts, f"{rid} was accepted by fal and is not in the attempts"
            if fault.startswith("403 on") and not job.results_served:
                # the locked account would not say or hand over how it ended: the attempt
                # stays open for the first run after a person has unlocked the account
                assert attempts[rid] in ("pending", "ready"), (rid, attempts[rid])
                continue
            if job.deliverable and job.completed_seq is not None:
                assert attempts[rid] == "done" and job.results_served, (rid, attempts[rid])
                ((url,),) = guide.query("SELECT video_url FROM jobs j JOIN attempts a "
                                        "USING (job_key) WHERE a.request_id = ?", rid)
                assert rid in url
                ((file,),) = guide.query("SELECT file FROM attempts WHERE request_id = ?", rid)
                assert job.downloads and Path(file).stat().st_size > 0, (rid, file)  # kept
        if fault == "a webhook with a bad signature":
            assert 401 in [d["status"] for d in fake_fal.deliveries]
        if fault == "a key set that is not JSON":
            assert 503 in [d["status"] for d in fake_fal.deliveries]
    finally:
        stop(guide)

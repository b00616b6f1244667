"""Every Python block in the guides runs, against the fake fal server.

For guide authors: what works inside a ```python block in posts/*.md

- The blocks of one post run in file order in one shared namespace, so a later
  block may use names an earlier one defined. Each post is one test; a failure
  names the post and the line of the block's opening fence.
- ``FAL_KEY`` is set to a dummy value and fal_client talks to the fake queue
  server (tests/fakes/fal_server.py) over HTTPS on 127.0.0.1. These calls work
  as they do against fal: ``fal_client.subscribe`` (with ``with_logs`` and
  ``on_queue_update``), ``submit`` (also with ``webhook_url=...``), the handle's
  ``.status()``, ``.get()``, ``.cancel()``, ``.request_id``, and
  ``fal_client.status/result/cancel(endpoint, request_id)``, plus the async
  twins (``submit_async`` ... inside ``asyncio.run``).
- Inputs are checked against the Seedance 2.0 schema: unknown fields (such as
  ``negative_prompt``), a duration outside "4".."15"/"auto", a resolution other
  than 480p/720p or a missing ``image_url`` answer 422 as fal would.
- Image, video and audio inputs may be any https:// URL (or a data: URI); the
  fake server checks their shape and never fetches them.
- The result's ``video.url`` is a real MP4 on the fake server, at the asked
  duration and frame size; downloading it with httpx or urllib works.
- A render is ``COMPLETED`` at its first status poll (the fake's "polls" pace:
  nothing waits on the clock). A webhook URL on another host is recorded, not
  called; nothing leaves the machine.
- The working directory is a fresh temporary folder; files a block writes go
  there.
- A block that cannot run here (a web handler, a snippet that needs a real
  credential or a long-lived server) gets this line directly above its fence:

      <!-- seedpress: compile-only -->

  It is then only compiled, so its syntax is still checked.
- Computed values (``{{ price(...) }}``) inside a block are rendered as the site
  renders them before the block runs. So is code shared by several guides,
  included with ``{{ snippet("fal_calls.py", "fetch") }}`` (see
  seedpress.pages.code_include): what runs is what the reader sees.
- tests/test_fault_matrix.py runs the same blocks again against every fault
  the fake can inject, and asserts what must hold whatever fal answers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from seedpress.content import read_text
from support import ROOT
from support.guide_code import (
    COMPILE_ONLY,
    FENCE,
    PYTHON,
    BlockFailed,
    python_blocks,
    run_blocks,
)

POSTS = sorted((ROOT / "posts").glob("*.md"))


def test_the_runner_finds_fences_markers_and_indented_tabs():
    text = (
        "Intro\n\n```python\nx = 1\n```\n\n"
        f"{COMPILE_ONLY}\n```py title=\"server.py\"\ndef handler(): ...\n```\n\n"
        "=== \"Python\"\n\n    ```python\n    y = x + 1\n    ```\n\n"
        "```bash\necho no\n```\n"
    )
    blocks = python_blocks(text)
    assert [(b.line, b.compile_only) for b in blocks] == [(3, False), (8, True), (14, False)]
    assert blocks[2].code == "y = x + 1\n"


SAMPLE = f"""# A guide

```python
import fal_client

result = fal_client.subscribe(
    "bytedance/seedance-2.0/fast/text-to-video",
    arguments={{"prompt": "A falcon at sunset", "duration": "4", "resolution": "480p"}},
    with_logs=True,
)
```

Later, the same namespace:

```python
url = result["video"]["url"]
handle = fal_client.submit("bytedance/seedance-2.0/image-to-video",
                           arguments={{"prompt": "It turns",
                                       "image_url": "https://example.com/a.png"}},
                           webhook_url="https://example.com/fal-webhook")
```

{COMPILE_ONLY}
```python
@app.post("/fal-webhook")
async def webhook(request): ...
```
"""


def test_the_runner_runs_blocks_in_one_namespace_against_the_fake_server(fake_fal, tmp_path,
                                                                           monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace = run_blocks(python_blocks(SAMPLE), "posts/sample.md")
    assert namespace["url"].startswith(fake_fal.base_url)
    assert fake_fal.submission_count() == 2
    assert [w["url"] for w in fake_fal.webhooks] == ["https://example.com/fal-webhook"]


def test_the_runner_names_the_failing_block(fake_fal, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bad = SAMPLE.replace('"duration": "4"', '"duration": "30"')
    with pytest.raises(BlockFailed, match=r"posts/sample.md:3: the block failed: "
                                          r"FalClientHTTPError"):
        run_blocks(python_blocks(bad), "posts/sample.md")
    broken = SAMPLE.replace("async def webhook(request): ...", "async def webhook(request)")
    with pytest.raises(BlockFailed,
                       match=r"posts/sample.md:26: the block at line 24 does not compile"):
        run_blocks(python_blocks(broken), "posts/sample.md")


def test_a_guide_that_starts_its_own_event_loop_runs_beside_a_running_one(tmp_path, monkeypatch):
    """A browser session (Playwright's sync API) leaves a loop running on the test's thread;
    a guide's asyncio.run still runs, as it does in the reader's script."""
    import asyncio

    monkeypatch.chdir(tmp_path)
    text = ("```python\nimport asyncio\n\nasync def answer():\n    return 42\n\n"
            "got = asyncio.run(answer())\n```\n")
    loop = asyncio.new_event_loop()
    asyncio.events._set_running_loop(loop)  # what the browser fixture's Playwright does
    try:
        waiting = asyncio.sleep(0)
        with pytest.raises(RuntimeError, match="running event loop"):
            asyncio.run(waiting)
        waiting.close()
        assert run_blocks(python_blocks(text), "posts/x.md")["got"] == 42
    finally:
        asyncio.events._set_running_loop(None)
        loop.close()


def test_shared_code_included_in_a_collapsed_note_runs_as_the_reader_sees_it(tmp_path,
                                                                             monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = ('Intro\n\n??? note "Shared"\n\n    ```python title="fal_calls.py"\n'
            '    {{ snippet("fal_calls.py", "backoff") | indent(4) }}\n    ```\n\n'
            '```python\nwaits = [backoff(n) for n in range(1, 4)]\n```\n')
    blocks = python_blocks(text)
    assert [(b.line, b.indent) for b in blocks] == [(5, "    "), (9, "")]
    assert blocks[0].rendered("x.md").startswith("import random\nimport time\n")
    namespace = run_blocks(blocks, "posts/x.md")
    assert len(namespace["waits"]) == 3 and namespace["PATIENCE"] >= 1


#: Posts with Python blocks; a post without any (a comparison, say) has no test.
CODE_POSTS = [p for p in POSTS if python_blocks(read_text(p))]


def test_most_guides_carry_python_that_runs():
    assert len(CODE_POSTS) >= len(POSTS) // 2, [p.name for p in CODE_POSTS]


@pytest.mark.parametrize("post", CODE_POSTS, ids=[p.stem for p in CODE_POSTS])
def test_guide_python_blocks_run(post: Path, fake_fal, tmp_path, monkeypatch):
    blocks = python_blocks(read_text(post))
    monkeypatch.chdir(tmp_path)
    fake_fal.pace, fake_fal.polls_to_finish = "polls", 1
    try:
        run_blocks(blocks, post.relative_to(ROOT).as_posix())
    except BlockFailed as err:
        pytest.fail(str(err), pytrace=False)


#: fenced languages that are code a reader might run, besides Python
OTHER_CODE = {"typescript", "ts", "javascript", "js", "bash", "sh", "shell"}
#: what the paragraph above such a block says of it: not run, or (the TypeScript webhook
#: verifier, which tests/test_typescript.py compiles and runs) run under Node
NOT_RUN = re.compile(r"\bnot run\b|\bdo not run\b|\bonly compile\b|\brun it under Node\b")


def unrun_samples(text: str) -> list[tuple[int, str]]:
    """(line, the paragraph above it) of every code block the test runner does not run:
    Python marked compile-only, and code in another language."""
    lines = text.splitlines()
    found = []
    for i, line in enumerate(lines):
        match = FENCE.match(line)
        if not match or not match["lang"]:
            continue
        lang = match["lang"].lower()
        j = i - 1
        while j >= 0 and (not lines[j].strip() or lines[j].strip() == COMPILE_ONLY):
            j -= 1
        marked = any(lines[k].strip() == COMPILE_ONLY for k in range(j + 1, i))
        if not ((lang in PYTHON and marked) or lang in OTHER_CODE):
            continue
        paragraph = []
        while j >= 0 and lines[j].strip() and not FENCE.match(lines[j]):
            paragraph.insert(0, lines[j].strip())
            j -= 1
        found.append((i + 1, " ".join(paragraph)))
    return found


def test_every_sample_the_tests_do_not_run_says_so_above_it():
    """C1: the home page says the Python samples run against the stand-in, except the few
    a guide marks as not run. So every block the runner skips or only compiles (and code in
    another language) carries that mark in the paragraph above it, or says how the tests
    run it instead."""
    seen = 0
    for post in POSTS:
        for line, paragraph in unrun_samples(read_text(post)):
            seen += 1
            assert NOT_RUN.search(paragraph), f"{post.name}:{line}: not run, and not said so"
    assert seen >= 3  # the FastAPI adapter, the upload call, the TypeScript verifier
    home = read_text(ROOT / "docs" / "index.md")
    assert "the Python samples run" in home and "a guide marks as shown but not run" in home
    assert "code samples run" not in home


# -- the home page's sample ---------------------------------------------------------

@pytest.mark.parametrize("new_lines_only", [False, True], ids=["whole-log", "new-lines"])
def test_home_page_python_sample_prints_each_log_line_once(fake_fal, tmp_path, monkeypatch,
                                                           capsys, new_lines_only):
    """Each status update carries the whole log so far, or (read 60B: fal does not say)
    only the lines not sent before; the home page's sample prints every line once, in
    order, either way."""
    fake_fal.new_lines_only = new_lines_only
    blocks = python_blocks(read_text(ROOT / "docs" / "index.md"))
    assert len(blocks) == 1
    # a render long enough for several IN_PROGRESS updates, each repeating the log
    fake_fal.inject("slow", seconds=1.2, match="lighthouse keeper")
    monkeypatch.chdir(tmp_path)
    run_blocks(blocks, "docs/index.md")
    printed = capsys.readouterr().out.splitlines()
    job = next(iter(fake_fal.jobs.values()))
    assert job.status_polls >= 3, "the render did not last long enough to repeat its log"
    messages = [entry["message"] for entry in job.logs(float("inf"))]
    assert printed[0] == job.request_id, printed  # the request id first, to keep
    assert printed[1:-1] == messages, printed
    assert printed[-1].startswith(fake_fal.base_url)  # the video's address comes last

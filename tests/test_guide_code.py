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
import sys
import traceback
import types
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT
from seedpress.content import read_text
from seedpress.pages.data import load_site_data
from seedpress.pages.page_names import page_names
from seedpress.pages.render import Origin, render_text

COMPILE_ONLY = "<!-- seedpress: compile-only -->"
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*\{?\.?(?P<lang>[\w+-]*)")
PYTHON = {"python", "py", "python3"}


@dataclass
class Block:
    line: int  # 1-based line of the opening fence in the post
    code: str
    compile_only: bool
    #: the fence's indentation (a block inside a collapsed note or a tab)
    indent: str = ""
    #: the lines as written, indentation kept: computed names are rendered on these, as
    #: the site renders the page before Markdown takes the indentation off
    raw: str = ""

    def rendered(self, where: str) -> str:
        """The code as the reader sees it: computed names rendered, then dedented."""
        text = _render(self.raw or self.code, where)
        if not self.indent:
            return text
        return "".join(_dedent(line, self.indent) for line in text.splitlines(keepends=True))


def _dedent(line: str, indent: str) -> str:
    return line[len(indent):] if line.startswith(indent) else line.lstrip(" \t") or line


def python_blocks(text: str) -> list[Block]:
    """The ```python blocks of a Markdown text, indented fences (tabs) included."""
    lines = text.splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        indent, fence = match["indent"], match["fence"]
        start = i
        body: list[str] = []
        raw: list[str] = []
        i += 1
        while i < len(lines):
            stripped = lines[i].strip()
            if stripped.startswith(fence[0] * len(fence)) and set(stripped) <= {fence[0]}:
                break
            line = lines[i]
            raw.append(line)
            body.append(line[len(indent):] if line.startswith(indent) else line.lstrip())
            i += 1
        i += 1
        if match["lang"].lower() not in PYTHON:
            continue
        above = next((lines[j].strip() for j in range(start - 1, -1, -1) if lines[j].strip()), "")
        blocks.append(Block(start + 1, "\n".join(body) + "\n", above == COMPILE_ONLY, indent,
                            "\n".join(raw) + "\n"))
    return blocks


POSTS = sorted((ROOT / "posts").glob("*.md"))


def _render(code: str, where: str) -> str:
    if "{{" not in code and "{%" not in code:
        return code
    return render_text(code, page_names(load_site_data(ROOT)), Origin(where))


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


class BlockFailed(Exception):
    """A guide block that does not compile or raises; the message names path:line.

    ``error`` is what the block raised (None when it did not compile) and
    ``namespace`` what the blocks had defined by then, so a test can ask what a
    failing sample kept.
    """

    def __init__(self, message: str, error: BaseException | None = None,
                 namespace: dict | None = None):
        super().__init__(message)
        self.error = error
        self.namespace = namespace if namespace is not None else {}


def run_blocks(blocks: list[Block], rel: str) -> dict:
    """Run (or compile) the blocks of one post in order, in one module namespace.

    Line numbers in errors and tracebacks are the post's own lines.
    """
    module = types.ModuleType("guide_" + re.sub(r"\W", "_", Path(rel).stem))
    sys.modules[module.__name__] = module  # dataclasses and pickling look the module up
    try:
        for block in blocks:
            source = "\n" * block.line + block.rendered(f"{rel}:{block.line}")
            try:
                code = compile(source, rel, "exec")
            except SyntaxError as err:
                raise BlockFailed(f"{rel}:{err.lineno}: the block at line {block.line} does "
                                  f"not compile: {err.msg}") from None
            if block.compile_only:
                continue
            try:
                exec(code, module.__dict__)  # noqa: S102 - the guides' code is what we test
            except (Exception, SystemExit) as err:
                tb = "".join(traceback.format_exception(err))
                raise BlockFailed(f"{rel}:{block.line}: the block failed: "
                                  f"{type(err).__name__}: {err}\n{tb}", err,
                                  module.__dict__) from None
    finally:
        sys.modules.pop(module.__name__, None)
    return module.__dict__


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


# -- the home page's sample ---------------------------------------------------------

def test_home_page_python_sample_prints_each_log_line_once(fake_fal, tmp_path, monkeypatch,
                                                           capsys):
    """Each status update carries the whole log so far; the home page's sample
    prints every line once, in order, however many updates repeat it."""
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
    assert printed[:-1] == messages, printed
    assert printed[-1].startswith(fake_fal.base_url)  # the video's address comes last

"""The guides' Python blocks: found in a post as the reader sees them, and run."""

from __future__ import annotations

import asyncio
import re
import sys
import threading
import traceback
import types
from dataclasses import dataclass
from pathlib import Path

from seedpress.pages.data import load_site_data
from seedpress.pages.page_names import page_names
from seedpress.pages.render import Origin, render_text

from . import ROOT

COMPILE_ONLY = "<!-- seedpress: compile-only -->"
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*\{?\.?(?P<lang>[\w+-]*)")
PYTHON = {"python", "py", "python3"}
TYPESCRIPT = {"typescript", "ts"}


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
    return code_blocks(text, PYTHON)


def code_blocks(text: str, languages: set[str]) -> list[Block]:
    """The fenced blocks of a Markdown text in one of ``languages``, indented fences
    (tabs) included."""
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
        if match["lang"].lower() not in languages:
            continue
        above = next((lines[j].strip() for j in range(start - 1, -1, -1) if lines[j].strip()), "")
        blocks.append(Block(start + 1, "\n".join(body) + "\n", above == COMPILE_ONLY, indent,
                            "\n".join(raw) + "\n"))
    return blocks


def _render(code: str, where: str) -> str:
    if "{{" not in code and "{%" not in code:
        return code
    return render_text(code, page_names(load_site_data(ROOT)), Origin(where))


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


def as_a_script(fn, *args):
    """``fn(*args)`` on a thread with no running event loop, as a reader's script has.

    A session's browser (Playwright's sync API) leaves its loop running on the main thread,
    where a guide's ``asyncio.run`` would refuse to start; a fresh thread has none.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args)
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = fn(*args)
        except BaseException as err:  # noqa: BLE001 - handed back to the caller's thread
            outcome["error"] = err

    worker = threading.Thread(target=run, name="guide-script")
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def run_blocks(blocks: list[Block], rel: str, overrides: dict | None = None) -> dict:
    """Run (or compile) the blocks of one post in order, in one module namespace.

    Line numbers in errors and tracebacks are the post's own lines. ``overrides`` sets
    names (a test's patience, such as RENDER_WITHIN) as soon as a block has defined them,
    so the blocks after it run with the test's figure.
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
                as_a_script(exec, code, module.__dict__)  # the guides' code is what we test
            except (Exception, SystemExit) as err:
                tb = "".join(traceback.format_exception(err))
                raise BlockFailed(f"{rel}:{block.line}: the block failed: "
                                  f"{type(err).__name__}: {err}\n{tb}", err,
                                  module.__dict__) from None
            for name, value in (overrides or {}).items():
                if name in module.__dict__:
                    module.__dict__[name] = value
    finally:
        sys.modules.pop(module.__name__, None)
    return module.__dict__

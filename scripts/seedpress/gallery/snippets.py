"""The "reproduce" snippets of a clip, in Python and TypeScript, from its inputs.

Generated, never hand-written, so a snippet always sends exactly what the
refresh sent. Long prompts are split over lines (adjacent string literals in
Python, ``+`` in TypeScript); the strings joined are the prompt itself.
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

from ..content.clips import Clip

WRAP = 64


def _chunks(text: str) -> list[str]:
    parts = textwrap.wrap(text, WRAP, drop_whitespace=False, break_long_words=False,
                          break_on_hyphens=False, replace_whitespace=False)
    return parts or [text]


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _py_value(value: Any) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_py_value(v) for v in value) + "]"
    return json.dumps(value)


def python(clip: Clip) -> str:
    lines = ["import fal_client", "", "result = fal_client.subscribe(",
             f"    {_string(clip.endpoint)},", "    arguments={"]
    for key, value in clip.arguments.items():
        if key == "prompt" and len(value) > WRAP:
            lines.append('        "prompt": (')
            lines += [f"            {_string(c)}" for c in _chunks(value)]
            lines.append("        ),")
        else:
            lines.append(f"        {_string(key)}: {_py_value(value)},")
    lines += ["    },", "    with_logs=True,", ")", 'print(result["video"]["url"], result["seed"])']
    return "\n".join(lines) + "\n"


def typescript(clip: Clip) -> str:
    lines = ['import { fal } from "@fal-ai/client";', "",
             "fal.config({ credentials: process.env.FAL_KEY });", "",
             f"const result = await fal.subscribe({_string(clip.endpoint)}, {{", "  input: {"]
    for key, value in clip.arguments.items():
        if key == "prompt" and len(value) > WRAP:
            chunks = _chunks(value)
            lines.append(f"    prompt: {_string(chunks[0])}")
            lines += [f"      + {_string(c)}" for c in chunks[1:]]
            lines[-1] += ","
        else:
            lines.append(f"    {key}: {json.dumps(value, ensure_ascii=False)},")
    lines += ["  },", "  logs: true,", "});",
              "console.log(result.data.video.url, result.data.seed);"]
    return "\n".join(lines) + "\n"

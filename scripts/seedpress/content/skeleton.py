"""What ``seedpress new-post`` writes for the writer to replace, and how the check
knows it is still there (SP310): the placeholder description, the skeleton's
instructions and the placeholder cover."""

from __future__ import annotations

import re

#: What a new post's description says until the writer replaces it (its length
#: is within the bounds a description must keep, so only SP310 names it).
DESCRIPTION_PLACEHOLDER = ("Replace this line with one sentence on what the reader "
                           "can do after reading this guide.")
#: The instructions the new-post skeleton gives the writer, one per paragraph
#: or step; SP310 reports any of them still in a post.
SKELETON_PROMPTS = (
    "Say in two or three sentences what the reader will be able to do after this",
    "List what the reader needs: an account on fal, a key in the `FAL_KEY`",
    "1. Write each step as one action and its visible result.",
    "Name the failure, how it shows up and what to try next.",
)
#: What the placeholder cover of `new-post --featured` carries (an SVG comment), so
#: SP310 names it until the writer puts the real cover in its place.
COVER_PLACEHOLDER_MARK = "seedpress:placeholder-cover"
#: The placeholder as new-post wrote it before it carried the mark: its backdrop
#: and its one line of text, nothing else.
_LEGACY_PLACEHOLDER = re.compile(
    r'\A<svg [^>]*>\n  <rect width="1200" height="630" fill="#1d2a3a"/>\n'
    r'  <text x="80" y="330" [^>]*>[^<]*</text>\n</svg>\n?\Z')


def is_placeholder_cover(svg: str) -> bool:
    """Whether an SVG cover is still the one `new-post --featured` wrote."""
    return COVER_PLACEHOLDER_MARK in svg or bool(_LEGACY_PLACEHOLDER.match(svg))

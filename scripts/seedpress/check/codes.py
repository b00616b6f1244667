"""Every ship check code, with what it means and how to fix it.

This registry is the one place codes are defined: the rules import their
codes from here, and the editors' page (docs/ship-check.md) renders its
table from it, so the documentation cannot drift from the check.

Families: SP0xx reading and parsing (the loader codes of seedpress.content),
SP1xx em dashes, SP2xx dates, SP3xx front matter, SP4xx prices, SP5xx
endpoints, SP6xx gallery clips.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    family: str
    title: str
    fix: str


_FAMILIES = {
    "SP0": "Reading", "SP1": "Em dash", "SP2": "Dates", "SP3": "Front matter",
    "SP4": "Prices", "SP5": "Endpoints", "SP6": "Gallery clips",
}

_TABLE: list[tuple[str, str, str]] = [
    ("SP001", "The file is not UTF-8.",
     "Save the file as UTF-8 (a BOM is fine). The column is the byte that failed."),
    ("SP002", "The file is empty.", "Write the content, or delete the file."),
    ("SP003", "YAML syntax error (in a data file or in front matter).",
     "Fix the YAML at the line given: indentation, an unclosed quote, a stray colon."),
    ("SP004", "The same key appears twice in one YAML mapping.",
     "Keep one of the two; the message names the line of the first."),
    ("SP005", "A post has no front matter, or its front matter is not closed.",
     "Start the file with a line of three hyphens, the fields, then another such line."),
    ("SP006", "The front matter is not a mapping of fields.",
     "Write `key: value` lines between the two fence lines."),
    ("SP007", "A data file breaks its schema (a field missing or of the wrong type).",
     "Compare the entry with its neighbours; the message names the field."),
    ("SP008", "A Jinja expression in a page does not parse.",
     "Close every `{{` with `}}` and every `{%` with `%}`; check the quotes inside."),
    ("SP101", "An em dash character (U+2014) in a source file.",
     "Use a comma, a colon, parentheses or a plain hyphen. "
     "`seedpress check --fix` puts the configured replacement in its place."),
    ("SP102", "An em dash written as an HTML entity (the named entity `mdash`, or the "
              "numeric 8212 or x2014).",
     "As for SP101; `--fix` rewrites these too."),
    ("SP103", "An em dash in the built HTML of the site's own pages.",
     "A Markdown extension or a template made it from plain text: find the source "
     "line that produced it (often `---` in prose) and reword it."),
    ("SP201", "A post has no creation date.",
     "Add `date:` with `created:` (and `updated:`) as YYYY-MM-DD."),
    ("SP202", "A date is not a real calendar date, or not a date at all.",
     "Write an existing day as YYYY-MM-DD, without quotes."),
    ("SP203", "A date lies in the future, and the post is not a draft.",
     "Use today's date or an earlier one, or mark the post `draft: true`."),
    ("SP204", "A post was updated before it was created.",
     "`date.updated` must be the same day as `date.created` or later."),
    ("SP205", "The newest date is older than the maximum age (a stale page or "
              "an unverified data file).",
     "Re-read the page or re-verify the figures, then move `updated` or `verified` "
     "to today. The age limit is `max_age_days` in data/publication.yml."),
    ("SP301", "A required front matter field is missing.",
     "Posts need title, slug, description, date, categories and authors."),
    ("SP302", "A front matter field has the wrong type or shape.",
     "Titles and descriptions are text, categories and authors are lists, "
     "featured and draft are true or false, a slug is lower-case words joined by hyphens."),
    ("SP303", "A category is not in the allow-list.",
     "Use one of the categories in data/publication.yml (the message suggests the nearest)."),
    ("SP304", "Two posts share a slug.", "Give each post its own slug; it is its address."),
    ("SP305", "Two posts share a title.", "Retitle one of them."),
    ("SP306", "The description is too short or too long for search results and cards.",
     "Write one sentence of 50 to 170 characters."),
    ("SP307", "An author is not listed in docs/blog/.authors.yml.",
     "Use an existing author id, or add the author to that file."),
    ("SP308", "The cover image named in front matter does not exist.",
     "Put the file at docs/<cover>, or fix the path."),
    ("SP309", "An SVG cover has no PNG twin (the same path ending in .png), or its twin "
              "was made from an older version of the SVG. Link previews do not show SVG, "
              "so the site shares the PNG.",
     "Run `seedpress covers` (it needs ffmpeg) and commit the PNG it writes."),
    ("SP310", "Text from the `seedpress new-post` skeleton is still in the post: its "
              "placeholder description or one of its instructions to the writer.",
     "Write the description and replace each instruction with the guide's own text."),
    ("SP401", "A dollar amount that the pricing model cannot produce at the precision "
              "written, and that is not a listed competitor figure.",
     "Write the price as `{{ price(...) }}` or `{{ price_per_second(...) }}` so it is "
     "computed, or correct the figure. Competitor figures belong in data/field.yml."),
    ("SP501", "A `bytedance/seedance...` id that is not a known endpoint.",
     "Use one of the endpoints listed in data/pricing.yml (check for a typo)."),
    ("SP601", "A gallery clip names an unknown endpoint.",
     "Use one of the six Seedance 2.0 endpoints."),
    ("SP602", "A gallery clip asks for a duration the endpoint does not offer.",
     "Use \"auto\" or a whole number of seconds from 4 to 15."),
    ("SP603", "A gallery clip asks for a resolution its tier does not offer.",
     "Use 480p or 720p."),
    ("SP604", "A gallery clip asks for an aspect ratio the endpoint does not offer.",
     "Use auto, 21:9, 16:9, 4:3, 1:1, 3:4 or 9:16."),
    ("SP605", "A gallery clip has too many references of one kind (9 images, 3 videos, "
              "3 audios at most).", "Drop references until each kind is within its limit."),
    ("SP606", "A gallery clip has more than 12 reference files in all.",
     "Drop references until there are 12 or fewer."),
    ("SP607", "A gallery clip has audio references but no image or video beside them.",
     "Add an image or video reference, or drop the audio."),
    ("SP608", "A gallery clip lacks an input its endpoint requires, or has one it does "
              "not accept.", "Compare the clip's inputs with the endpoint's schema."),
]

CODES: dict[str, Code] = {
    code: Code(code, _FAMILIES[code[:3]], title, fix) for code, title, fix in _TABLE
}


def registry() -> list[Code]:
    """Every code in order, for the documentation page."""
    return list(CODES.values())

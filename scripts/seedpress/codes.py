"""Every diagnostic code, with what it means, how to fix it and what the build does.

This registry is the one place codes are defined. Loaders, validators and
ship check rules import the constants below (never a string literal), the
editors' page (docs/ship-check.md) renders its table from :func:`registry`,
and a test keeps the registry, the code and the corpus in step.

``blocks_build`` says what the build does with a finding of that code: it
stops (the page would be wrong, lost or unreadable), or it builds and the
ship check alone reports it (a stale date, an em dash, a typed price), so
an editor can still preview a half-written post with ``make serve``.
``fixable`` says that ``seedpress check --fix`` repairs it.

Families: SP0xx reading and schemas, SP1xx em dashes, SP2xx dates, SP3xx
front matter, SP4xx figures (prices, limits), SP5xx endpoints and links,
SP6xx gallery clips, SP8xx drift (``seedpress drift``: fal's model pages against
the data; these are never reported by the ship check and never stop the build).
"""

from __future__ import annotations

from dataclasses import dataclass

_FAMILIES = {
    "SP0": "Reading", "SP1": "Em dash", "SP2": "Dates", "SP3": "Front matter",
    "SP4": "Figures", "SP5": "Endpoints and links", "SP6": "Gallery clips", "SP8": "Drift",
}
#: the family `seedpress drift` reports (fal's pages against the data), not the check
DRIFT_FAMILY = "Drift"


@dataclass(frozen=True)
class Code:
    code: str
    title: str
    fix: str
    blocks_build: bool = True
    fixable: bool = False

    @property
    def family(self) -> str:
        return _FAMILIES[self.code[:3]]

    @property
    def severity(self) -> str:
        """``error`` when the build stops on it, ``warning`` when only the check does."""
        return "error" if self.blocks_build else "warning"

    def __str__(self) -> str:
        return self.code


_ALL: dict[str, Code] = {}


def _code(code: str, title: str, fix: str, *, blocks_build: bool = True,
          fixable: bool = False) -> Code:
    if code in _ALL:
        raise ValueError(f"code {code} is registered twice")
    _ALL[code] = Code(code, title, fix, blocks_build, fixable)
    return _ALL[code]


# -- SP0: reading and schemas ------------------------------------------------

NOT_UTF8 = _code(
    "SP001", "The file is not UTF-8.",
    "Save the file as UTF-8 (a BOM is fine). The column is the byte that failed.")
EMPTY = _code("SP002", "The file is empty.", "Write the content, or delete the file.")
SYNTAX = _code(
    "SP003", "YAML or JSON syntax error (in a data file, front matter or the gallery manifest).",
    "Fix the syntax at the line given: indentation, an unclosed quote or bracket, a stray "
    "colon or comma.")
DUPLICATE_KEY = _code(
    "SP004", "The same key appears twice in one mapping.",
    "Keep one of the two; the message names the line of the first.")
NO_FRONT_MATTER = _code(
    "SP005", "A post has no front matter, or its front matter is not closed.",
    "Start the file with a line of three hyphens, the fields, then another such line.")
FRONT_MATTER_SHAPE = _code(
    "SP006", "The front matter is not a mapping of fields.",
    "Write `key: value` lines between the two fence lines.")
SCHEMA = _code(
    "SP007", "A data file breaks its schema: a field is missing, of the wrong type, out of "
    "range (numbers must be finite and sensible), or an id is used twice.",
    "Compare the entry with its neighbours; the message names the field and what it allows.")
TEMPLATE = _code(
    "SP008", "A computed expression in a page, a post or a FAQ answer fails: it does not "
    "parse, names something unknown, or its arguments are wrong.",
    "Close every `{{` with `}}` and every `{%` with `%}`, check the name and the arguments "
    "against the list in the editors' guide. The line and column are those of the expression.")
UNKNOWN_KEY = _code(
    "SP009", "A key that the file's schema does not know (front matter or a data file). It "
    "would be ignored silently, so `draftt: true` would publish a draft.",
    "Correct the spelling (the message suggests the nearest known key) or remove the key.")
NUL_BYTE = _code(
    "SP010", "A text file holds a NUL byte: it is binary, or was damaged in a copy.",
    "Restore the file from git, or save it again as plain UTF-8 text.")
UNCLOSED_FENCE = _code(
    "SP011", "A code block's fence (three or more backticks or tildes) is never closed, so "
    "the page would show the fence and the code as plain paragraphs.",
    "Close the block with a line of the same fence characters, at least as many as open "
    "it, after the last line of code. The line given is where the block opens.")

# -- SP1: em dashes ------------------------------------------------------------

EM_DASH = _code(
    "SP101", "An em dash character (U+2014) in a source file.",
    "Use a comma, a colon, parentheses or a plain hyphen. "
    "`seedpress check --fix` puts the configured replacement in its place.",
    blocks_build=False, fixable=True)
EM_DASH_ENTITY = _code(
    "SP102", "An em dash written as an HTML entity (the named entity `mdash`, or the "
    "numeric 8212 or x2014).",
    "As for SP101; `--fix` rewrites these too.", blocks_build=False, fixable=True)
EM_DASH_BUILT = _code(
    "SP103", "An em dash in a file of the built site that a reader can see: a page, a feed "
    "or its stylesheet, the search index, the sitemap, an SVG, our own scripts and styles "
    "(the character, an entity, or an escape in JSON, JavaScript or CSS). The theme's own "
    "scripts, which use the character as code, are left out.",
    "A Markdown extension, a template, a plugin or a file we ship made it: find the source "
    "that produced it (often `---` in prose, or a plugin's default file) and reword or "
    "override it.", blocks_build=False)
EM_DASH_LOOKALIKE = _code(
    "SP104", "A dash that reads as an em dash: the horizontal bar (U+2015), the two-em and "
    "three-em dashes (U+2E3A, U+2E3B), the small em dash (U+FE58) or the vertical em dash "
    "(U+FE31).",
    "As for SP101; `--fix` rewrites these too.", blocks_build=False, fixable=True)

# -- SP2: dates ------------------------------------------------------------------

NO_DATE = _code(
    "SP201", "A post has no creation date.",
    "Add `date:` with `created:` (and `updated:`) as YYYY-MM-DD.")
BAD_DATE = _code(
    "SP202", "A date is not a real calendar date, or not a date at all.",
    "Write an existing day as YYYY-MM-DD, without quotes.")
FUTURE_DATE = _code(
    "SP203", "A date lies in the future: a post that is not a draft, or a figure or a "
    "verification that claims to be from a day that has not come.",
    "Use today's date or an earlier one, or mark the post `draft: true`.", blocks_build=False)
UPDATED_FIRST = _code(
    "SP204", "A post was updated or reviewed before it was created.",
    "`date.updated` and `date.reviewed` must be the same day as `date.created` or later.",
    blocks_build=False)
STALE = _code(
    "SP205", "A post's last review (`date.reviewed`, else its newest date) or a data file's "
    "`verified` date is older than the maximum age.",
    "Re-read the page against the sources or re-verify the figures, then run `seedpress "
    "review` (it moves `reviewed`) or move `verified` to today. The age limit is "
    "`max_age_days` in data/publication.yml.", blocks_build=False)

REVIEWED_BEFORE_FACTS = _code(
    "SP206", "A post's review date is older than a fact it prints was verified: it uses a "
    "computed name (a price, a limit, a field figure) or includes a rule whose figure was "
    "checked after the day the post says it was reviewed.",
    "Read the post against the facts it prints (the message names each, with the day it was "
    "verified), correct what changed, then run `seedpress review` on it, which sets "
    "`date.reviewed` to today.", blocks_build=False)

# -- SP3: front matter -------------------------------------------------------------

MISSING_FIELD = _code(
    "SP301", "A required front matter field is missing.",
    "Posts need title, slug, description, date, categories and authors.")
FIELD_TYPE = _code(
    "SP302", "A front matter field has the wrong type or shape.",
    "Titles and descriptions are text, categories and authors are lists, "
    "featured and draft are true or false, a slug is lower-case words joined by hyphens.")
UNKNOWN_CATEGORY = _code(
    "SP303", "A category is not in the allow-list.",
    "Use one of the categories in data/publication.yml (the message suggests the nearest).")
DUPLICATE_SLUG = _code(
    "SP304", "Two posts share a slug, so one page would overwrite the other.",
    "Give each post its own slug; it is its address.")
DUPLICATE_TITLE = _code(
    "SP305", "Two posts share a title.", "Retitle one of them.", blocks_build=False)
DESCRIPTION_LENGTH = _code(
    "SP306", "The description is too short or too long for search results and cards.",
    "Write one sentence of 50 to 170 characters.", blocks_build=False)
UNKNOWN_AUTHOR = _code(
    "SP307", "An author is not listed in docs/blog/.authors.yml.",
    "Use an existing author id, or add the author to that file.")
MISSING_COVER = _code(
    "SP308", "The cover image named in front matter does not exist.",
    "Put the file at docs/<cover>, or fix the path.")
COVER_TWIN = _code(
    "SP309", "An SVG cover has no PNG twin (the same path ending in .png), or its twin "
    "was made from an older version of the SVG. Link previews do not show SVG, so the site "
    "shares the PNG.",
    "Run `seedpress covers` (it needs ffmpeg) and commit the PNG it writes.",
    blocks_build=False)
SKELETON_LEFT = _code(
    "SP310", "Text from the `seedpress new-post` skeleton is still in the post: its "
    "placeholder description, one of its instructions to the writer, or the placeholder "
    "cover it wrote for a featured post.",
    "Write the description and replace each instruction with the guide's own text; "
    "replace the placeholder cover file with the post's own cover (then run "
    "`seedpress covers`).",
    blocks_build=False)
TITLE_LENGTH = _code(
    "SP311", "A post's title is too long: search results, feed readers, browser tabs and "
    "link previews cut it short.",
    "Keep the title to 70 characters or fewer; put the rest in the description.",
    blocks_build=False)

# -- SP4: figures ------------------------------------------------------------------

PRICE = _code(
    "SP401", "A dollar amount that the pricing model cannot produce at the precision "
    "written, and that is not a listed competitor figure.",
    "Write the price as `{{ price(...) }}` or `{{ price_per_second(...) }}` so it is "
    "computed, or correct the figure. Competitor figures belong in data/field.yml.",
    blocks_build=False)

LIMIT_CLAIM = _code(
    "SP402", "A sentence gives Seedance 2.0 a count, duration or resolution that data/limits.yml "
    "contradicts (\"up to 10 reference images\", \"20-second shots\", \"renders 1080p\").",
    "Write the figure as a computed name (`{{ limit(\"images\") }}`, `{{ duration_range() }}`, "
    "`{{ resolutions() }}`) so it follows the data, or correct it. To quote another model's "
    "figure, name that model in the same sentence.", blocks_build=False)

# -- SP5: endpoints and links ---------------------------------------------------------

UNKNOWN_ENDPOINT = _code(
    "SP501", "A `bytedance/seedance...` id that is not a known endpoint.",
    "Use one of the endpoints listed in data/limits.yml (check for a typo).",
    blocks_build=False)
BROKEN_LINK = _code(
    "SP502", "A link to a page, a post or a file (an image, say) that the site does not "
    "have (the strict build stops on it), or a page's `scripts:` entry that is not a file "
    "under docs/.",
    "Link to an existing page: a post by its file name (`other-post.md`) from a post, a "
    "page by its path under docs/. An image goes beside the post (`posts/img/boat.jpg`, "
    "linked as `img/boat.jpg`) or under docs/assets/. The message suggests the nearest.")
BROKEN_ANCHOR = _code(
    "SP503", "A link to a `#heading` (on its own page or another) that the page does not "
    "have, in a page, a post or a FAQ answer (Zensical's strict build stops on it; MkDocs "
    "would build a link that lands at the top of the page).",
    "Link to an id the page has: a heading's slug as the table of contents writes it, or "
    "an id set with `{ #name }`. The message suggests the nearest.")
ABSOLUTE_LINK = _code(
    "SP504", "A link that starts with `/` (an address from the root of the host) to a page "
    "the site does not have there: the site is published under its own path "
    "(`site_url` in mkdocs.yml), so such a link is a 404 for readers, and neither engine "
    "checks it.",
    "Link to the page's Markdown file instead, relative to the page you write in (from a "
    "post: `other-post.md`, `../../rules.md`); the build checks such links and turns them "
    "into the right address. The message gives the link to write, or the nearest page.")

# -- SP6: gallery clips -----------------------------------------------------------------

CLIP_ENDPOINT = _code(
    "SP601", "A gallery clip names an unknown endpoint.",
    "Use one of the six Seedance 2.0 endpoints.")
CLIP_DURATION = _code(
    "SP602", "A gallery clip asks for a duration the endpoint does not offer.",
    "Use a whole number of seconds the endpoint renders (the message names the range); "
    "the gallery does not use \"auto\", so that cost and frame size are known before it "
    "renders.")
CLIP_RESOLUTION = _code(
    "SP603", "A gallery clip asks for a resolution its tier does not offer.",
    "Use a resolution the endpoint lists in data/pricing.yml; the message names them.")
CLIP_ASPECT = _code(
    "SP604", "A gallery clip asks for an aspect ratio the endpoint does not offer.",
    "Use an aspect ratio with a frame size in data/pricing.yml; the message names them.")
CLIP_REFERENCES = _code(
    "SP605", "A gallery clip has more references of one kind than the endpoint takes.",
    "Drop references until each kind is within its limit; the message names it.")
CLIP_TOTAL = _code(
    "SP606", "A gallery clip has more reference files in all than the endpoint takes.",
    "Drop references until the total is within the limit the message names.")
CLIP_AUDIO_ALONE = _code(
    "SP607", "A gallery clip has audio references but no image or video beside them.",
    "Add an image or video reference, or drop the audio.")
CLIP_INPUTS = _code(
    "SP608", "A gallery clip lacks an input its endpoint requires, or has one it does "
    "not accept.", "Compare the clip's inputs with the endpoint's schema.")


# -- SP8: drift (seedpress drift, fal's model pages against the data) -----------------

DRIFT_UNJUDGED = _code(
    "SP801", "`seedpress drift` could not judge an endpoint: its fal page was not found, "
    "was an HTML page, too large, cut short or laid out differently (a section or a figure "
    "the comparison needs is missing), or no fal page states a limit the data holds any more.",
    "Open the page the message names. If fal moved or renamed the endpoint, update "
    "data/limits.yml; if fal changed the page's layout, the parser in "
    "scripts/seedpress/drift/page.py needs the change. Nothing is stamped until every page "
    "is judged.", blocks_build=False)
DRIFT_INPUT = _code(
    "SP802", "fal lists an input the request builder does not offer, no longer lists one it "
    "sends, requires one it may leave out, or types one differently.",
    "Teach the builder (scripts/seedpress/request.py and docs/assets/seedance.js) the input, "
    "or, for an input readers do not need, add it to `inputs_not_offered` in "
    "data/limits.yml with the reason.", blocks_build=False)
DRIFT_OPTIONS = _code(
    "SP803", "fal's durations, resolutions or aspect ratios (or their defaults) for an "
    "endpoint differ from data/limits.yml (or from Seedance 1.5 Pro's in data/pricing.yml).",
    "Read the endpoint's page, then change the entry at the line given; every page that "
    "prints it follows.", blocks_build=False)
DRIFT_LIMIT = _code(
    "SP804", "A count, size, length or format that fal states in an input's description "
    "differs from data/limits.yml.",
    "Correct the limit at the line given after reading the page.", blocks_build=False)
DRIFT_PRICE = _code(
    "SP805", "fal's price for an endpoint (the rate per 1,000 or 1,000,000 tokens, the price "
    "per second at 720p, the reference-video multiplier or a worked figure) differs from "
    "data/pricing.yml.",
    "Change the rate at the line given (prices on every page follow), or, for a per-second "
    "figure fal prints that the formula does not give, add it to `accepted_quotes` in "
    "data/pricing.yml with the reason.", blocks_build=False)
DRIFT_FORMULA = _code(
    "SP806", "fal's token formula differs from data/pricing.yml: another frame rate, another "
    "divisor, or terms the data does not count.",
    "Change `frame_rate` or `tokens_divisor` at the line given; for a new term, the formula "
    "in scripts/seedpress/pricing.py changes too.", blocks_build=False)
DRIFT_STALE = _code(
    "SP807", "An accepted difference (`inputs_not_offered` in data/limits.yml, "
    "`accepted_quotes` in data/pricing.yml) that fal's pages no longer show.",
    "Remove the entry: what it excused is gone.", blocks_build=False)


CODES: dict[str, Code] = dict(_ALL)


def registry() -> list[Code]:
    """Every code in order, for the documentation page."""
    return list(CODES.values())

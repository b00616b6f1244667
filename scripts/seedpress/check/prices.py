"""SP401: dollar amounts in prose that the pricing model cannot produce.

An amount is fine when, rounded half up to the decimals it is written with,
some render of some endpoint gives it (``seedpress.pricing.is_producible``),
or when it is a competitor figure listed in data/field.yml. Code blocks,
inline code and template expressions (``{{ price(...) }}``) are not prose.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from .. import codes, pricing
from .source import Source

if TYPE_CHECKING:
    from .context import Context

# starts with the literal "$" so the scan is fast; the look-behind then
# rejects "$$", "\\$" and "US$"-like words
AMOUNT = re.compile(r"\$(?<![\w$\\]\$)[ \t]?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\d,]*\d)")
#: data files whose dollar figures are not ours to produce
COMPETITOR_FILES = ("field.yml",)


def amounts(text: str) -> list[tuple[int, Decimal, int, str]]:
    """(offset, amount, decimals, as written) of every dollar amount in ``text``."""
    if "$" not in text:
        return []
    found = []
    for m in AMOUNT.finditer(text):
        whole, frac = m.group(1).replace(",", ""), m.group(2) or ""
        found.append((m.start(), Decimal(f"{whole}.{frac}" if frac else whole), len(frac),
                      m.group()))
    return found


def check(src: Source, prose: str, ctx: Context) -> None:
    if ctx.pricing is None or src.path.name in COMPETITOR_FILES:
        return
    cache = ctx.price_verdicts
    for offset, amount, decimals, written in amounts(prose):
        key = (amount, decimals)
        if key not in cache:
            cache[key] = (pricing.is_producible(amount, decimals, ctx.pricing)
                          or amount in ctx.competitor_figures)
        if cache[key]:
            continue
        src.add_at(offset, codes.PRICE, f"{written} is not a price the pricing model gives at "
                   f"{decimals} decimal{'s' if decimals != 1 else ''}, nor a listed "
                   "competitor figure: compute it with {{ price(...) }}")

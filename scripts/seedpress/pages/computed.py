"""The computed names a page, a post or a FAQ answer may use for figures.

``{{ price("standard", "720p", 5) }}`` in Markdown becomes "$1.51": every
price a reader sees is worked out by :mod:`seedpress.pricing` from
data/pricing.yml, so no guide ever types one. Each name looks its model up
when it is called, so a page that does not use a broken file still renders
(the check reports the broken file itself).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from .. import pricing as P
from . import facts
from .data import SiteData
from .recorded import recorded_on
from .render import Unavailable


def model(data: SiteData, name: str) -> Any:
    """``data.models[name]``, or :class:`Unavailable` when its file did not load."""
    found = data.models.get(name)
    if found is None:
        raise Unavailable(f"{name} data did not load")
    facts.note_model(name, found)
    return found


def pro15_figures(found: Any) -> Any:
    """Seedance 1.5 Pro's section, noted as a fact of its own (it is dated on its own)."""
    facts.note_model("Seedance 1.5 Pro figures", found)
    return found


def computed_names(data: SiteData) -> dict[str, Callable[..., Any]]:
    def pricing():
        return model(data, "pricing")

    def tier_endpoint(tier: str, reference_video: bool) -> str:
        P.rate(pricing(), tier)
        return pricing().endpoint_for(tier, "reference" if reference_video else "text").id

    def price_per_second(tier: str, resolution: str, aspect_ratio: str = "16:9",
                         reference_video: bool = False) -> str:
        endpoint = tier_endpoint(tier, reference_video)
        q = P.quote(pricing(), endpoint, pricing().durations[0], resolution, aspect_ratio,
                    reference_video=reference_video)
        return P.format_per_second(P.per_second(pricing(), tier, q.resolution, q.aspect_ratio,
                                                reference_video))

    def price(tier: str, resolution: str, duration: int, aspect_ratio: str = "16:9",
              reference_video: bool = False, video_input_seconds: float = 0) -> str:
        endpoint = tier_endpoint(tier, reference_video)
        q = P.quote(pricing(), endpoint, duration, resolution, aspect_ratio, video_input_seconds,
                    reference_video=reference_video)
        return P.format_total(q.exact_cost)

    def tokens(resolution: str, duration: int, aspect_ratio: str = "16:9") -> str:
        q = P.quote(pricing(), tier_endpoint("standard", False), duration, resolution,
                    aspect_ratio)
        return P.format_tokens(q.exact_tokens)

    def tokens_per_second(resolution: str, aspect_ratio: str = "16:9") -> str:
        P.frame_size(pricing(), resolution, aspect_ratio)
        return P.format_tokens(P.tokens_per_second(pricing(), resolution, aspect_ratio))

    def rate(tier: str) -> str:
        return P.format_rate(pricing(), tier)

    def fast_saving_percent() -> str:
        return P.format_percent(P.fast_saving(pricing()))

    def reference_multiplier() -> str:
        return format(pricing().reference_video_multiplier.normalize(), "f")

    def reference_percent() -> str:
        return P.format_percent(Fraction(pricing().reference_video_multiplier))

    def field(model_id: str, key: str) -> str:
        field_data = model(data, "field")
        found = field_data.model(model_id)
        figure = found.figure(key)
        facts.note_figure(found.name, key, figure, field_data.path)
        return figure.display()

    def field_date(model_id: str, key: str) -> str:
        """When a figure was recorded; past the maximum age, how old it is too."""
        figure = model(data, "field").model(model_id).figure(key)
        age = (data.today - figure.date).days
        if age > data.publication.max_age_days:
            return f"{figure.date.isoformat()}, {age} days ago and not checked since"
        return figure.date.isoformat()

    def field_source(model_id: str, key: str) -> str:
        return model(data, "field").model(model_id).figure(key).source

    def pricing_recorded() -> str:
        rates = pricing()
        return recorded_on(rates.values_since, rates.verified)

    # Seedance 1.5 Pro, the fallback: its own rates (audio on or off) and formula
    def pro15():
        return pro15_figures(P.pro15_model(pricing()))

    def pro15_recorded() -> str:
        """When 1.5 Pro's figures came from its fal page (and were last found unchanged)."""
        found = pro15()
        return recorded_on(found.values_since, found.verified)

    def pro15_price(resolution: str, duration: int, aspect_ratio: str = "16:9",
                    audio: bool = True) -> str:
        return P.format_total(P.pro15_quote(pro15(), resolution, duration, aspect_ratio,
                                            audio).exact_cost)

    def pro15_price_per_second(resolution: str, aspect_ratio: str = "16:9",
                               audio: bool = True) -> str:
        return P.format_per_second(P.pro15_per_second(pro15(), resolution, aspect_ratio, audio))

    def pro15_tokens_per_second(resolution: str, aspect_ratio: str = "16:9") -> str:
        return P.format_tokens(P.pro15_tokens_per_second(pro15(), resolution, aspect_ratio))

    def pro15_rate(audio: bool = True) -> str:
        """USD per 1,000,000 tokens, as written in the rate table."""
        rate = pro15().rate_audio if audio else pro15().rate_silent
        return f"${format(rate.normalize(), 'f')}"

    def pro15_duration_range() -> str:
        return f"{pro15().duration_min} to {pro15().duration_max} seconds"

    def pro15_resolutions(last: str = "and") -> str:
        names = list(pro15().resolutions)
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {last} {names[-1]}"

    def pro15_default_value(name: str) -> str:
        """The value 1.5 Pro takes when a request leaves the input out."""
        defaults = {"duration": str(pro15().duration_default),
                    "resolution": pro15().default_resolution,
                    "aspect_ratio": pro15().default_aspect_ratio}
        if name not in defaults:
            raise KeyError(f"no 1.5 Pro default {name!r} (one of {', '.join(defaults)})")
        return defaults[name]

    def price_total(*lines) -> str:
        """A batch, summed exactly and rounded once: each line is (renders, tier,
        resolution, seconds[, aspect ratio[, reference_video[, video input seconds]]])."""
        if not lines:
            raise ValueError("price_total needs at least one line: (renders, tier, resolution, "
                             "seconds[, aspect ratio])")
        total = Fraction(0)
        for line in lines:
            if not isinstance(line, (tuple, list)) or not 4 <= len(line) <= 7:
                raise ValueError(f"each line of price_total is (renders, tier, resolution, "
                                 f"seconds[, aspect ratio, reference_video, video input "
                                 f"seconds]), got {line!r}")
            count, tier, resolution, seconds, *rest = line
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise ValueError(f"the number of renders must be a whole number, got {count!r}")
            ratio = rest[0] if rest else "16:9"
            reference = bool(rest[1]) if len(rest) > 1 else False
            extra = rest[2] if len(rest) > 2 else 0
            endpoint = tier_endpoint(tier, reference)
            q = P.quote(pricing(), endpoint, seconds, resolution, ratio, extra,
                        reference_video=reference)
            total += q.exact_cost * count
        return P.format_total(total)

    return {
        "price_per_second": price_per_second,
        "price": price,
        "tokens": tokens,
        "tokens_per_second": tokens_per_second,
        "rate": rate,
        "fast_saving_percent": fast_saving_percent,
        "reference_multiplier": reference_multiplier,
        "reference_percent": reference_percent,
        "field": field,
        "field_date": field_date,
        "field_source": field_source,
        "pricing_recorded": pricing_recorded,
        "price_total": price_total,
        "pro15_price": pro15_price,
        "pro15_price_per_second": pro15_price_per_second,
        "pro15_tokens_per_second": pro15_tokens_per_second,
        "pro15_rate": pro15_rate,
        "pro15_duration_range": pro15_duration_range,
        "pro15_resolutions": pro15_resolutions,
        "pro15_default_value": pro15_default_value,
        "pro15_recorded": pro15_recorded,
    }

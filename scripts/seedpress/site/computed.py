"""The computed names a page, a post or a FAQ answer may use.

``{{ price("standard", "720p", 5) }}`` in Markdown becomes "$1.51": every
price a reader sees is worked out by :mod:`seedpress.pricing` from
data/pricing.yml, so no guide ever types one.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from .. import pricing as P
from ..content.field import Field
from ..content.pricing import PricingModel


def _tier_endpoint(model: PricingModel, tier: str, reference_video: bool) -> str:
    P.rate(model, tier)
    return model.endpoint_for(tier, "reference" if reference_video else "text").id


def computed_names(pricing: PricingModel,
                   field_data: Field | None) -> dict[str, Callable[..., Any] | str]:
    def price_per_second(tier: str, resolution: str, aspect_ratio: str = "16:9",
                         reference_video: bool = False) -> str:
        return P.format_per_second(P.per_second(pricing, tier, resolution, aspect_ratio,
                                                reference_video))

    def price(tier: str, resolution: str, duration: int, aspect_ratio: str = "16:9",
              reference_video: bool = False, video_input_seconds: float = 0) -> str:
        endpoint = _tier_endpoint(pricing, tier, reference_video)
        q = P.quote(pricing, endpoint, duration, resolution, aspect_ratio, video_input_seconds,
                    reference_video=reference_video)
        return P.format_total(q.exact_cost)

    def tokens(resolution: str, duration: int, aspect_ratio: str = "16:9") -> str:
        return P.format_tokens(P.tokens_per_second(pricing, resolution, aspect_ratio) * duration)

    def tokens_per_second(resolution: str, aspect_ratio: str = "16:9") -> str:
        return P.format_tokens(P.tokens_per_second(pricing, resolution, aspect_ratio))

    def rate(tier: str) -> str:
        return P.format_rate(pricing, tier)

    def fast_saving_percent() -> str:
        return P.format_percent(P.fast_saving(pricing))

    def reference_multiplier() -> str:
        return format(pricing.reference_video_multiplier.normalize(), "f")

    def reference_percent() -> str:
        return P.format_percent(Fraction(pricing.reference_video_multiplier))

    def field(model_id: str, key: str) -> str:
        if field_data is None:
            raise KeyError("data/field.yml is not loaded")
        return field_data.model(model_id).figure(key).display()

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
        "pricing_verified": pricing.verified.isoformat(),
    }

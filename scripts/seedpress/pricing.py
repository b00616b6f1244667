"""The token formula: what one render costs. Pure functions, no I/O.

    tokens = width x height x (output seconds + input video seconds) x frame_rate / divisor
    cost   = tokens / 1000 x rate  (x the reference-video multiplier with video inputs)

Arithmetic is exact (fractions); ``Quote.tokens`` and ``Quote.cost_usd``
are floats of the exact values. The display rule is stated once, here:

- a price per second is shown with 4 decimals, a total with 2;
- tokens are shown as whole tokens with thousands separators;
- rounding is half up, applied to the exact value.

The site's JavaScript (docs/assets/seedance.js, which the estimator and
the request builder share) does the same arithmetic on the JSON that
:mod:`seedpress.pages.pricing_markup` writes, and the tests hold the two to
the same results.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .content.call import Call, refuses, tiers_of, validate_call
from .content.limits import Limits
from .content.pricing import PricingModel, Pro15

PER_SECOND_DECIMALS = 4
TOTAL_DECIMALS = 2

Number = int | float | Fraction | Decimal


@dataclass(frozen=True)
class Quote:
    endpoint: str
    tier: str
    duration_s: int
    resolution: str
    aspect_ratio: str
    width: int
    height: int
    reference_video: bool
    video_input_seconds: Fraction
    exact_tokens: Fraction
    exact_cost: Fraction

    @property
    def tokens(self) -> float:
        return float(self.exact_tokens)

    @property
    def cost_usd(self) -> float:
        return float(self.exact_cost)

    @property
    def exact_per_second(self) -> Fraction:
        """Cost per output second (input video seconds included in the cost)."""
        return self.exact_cost / self.duration_s

    @property
    def per_second_usd(self) -> float:
        return float(self.exact_per_second)

    def as_dict(self) -> dict:
        return {
            "endpoint": self.endpoint, "tier": self.tier, "duration_s": self.duration_s,
            "resolution": self.resolution, "aspect_ratio": self.aspect_ratio,
            "width": self.width, "height": self.height,
            "reference_video": self.reference_video,
            "video_input_seconds": float(self.video_input_seconds),
            "tokens": self.tokens, "cost_usd": self.cost_usd,
            "per_second_usd": self.per_second_usd,
            "display": {"tokens": format_tokens(self.exact_tokens),
                        "cost": format_total(self.exact_cost),
                        "per_second": format_per_second(self.exact_per_second)},
        }


def _exact(value: Number) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        return Fraction(Decimal(repr(value)))
    return Fraction(value)


def frame_size(model: PricingModel, resolution: str, aspect_ratio: str) -> tuple[int, int]:
    try:
        table = model.sizes[resolution]
    except KeyError:
        raise ValueError(f"unknown resolution {resolution!r} "
                         f"(one of {', '.join(model.resolutions)})") from None
    try:
        return table[aspect_ratio]
    except KeyError:
        raise ValueError(f"unknown aspect ratio {aspect_ratio!r} "
                         f"(one of {', '.join(table)})") from None


def tokens_per_second(model: PricingModel, resolution: str, aspect_ratio: str) -> Fraction:
    width, height = frame_size(model, resolution, aspect_ratio)
    return Fraction(width * height * model.frame_rate, model.tokens_divisor)


def rate(model: PricingModel, tier: str) -> Fraction:
    try:
        return Fraction(model.tiers[tier].rate)
    except KeyError:
        raise ValueError(f"unknown tier {tier!r} (one of {', '.join(model.tiers)})") from None


def cost_of_tokens(model: PricingModel, tier: str, tokens: Fraction,
                   reference_video: bool = False) -> Fraction:
    cost = tokens / 1000 * rate(model, tier)
    if reference_video:
        cost *= Fraction(model.reference_video_multiplier)
    return cost


def quote_problem(limits: Limits, endpoint: str, duration_s: object, resolution: str,
                  aspect_ratio: str, video_input_seconds: object = 0,
                  reference_video: bool | None = None) -> str | None:
    """Why one render cannot be priced (None when it can): the first reason the
    one validator (:func:`seedpress.content.call.validate_call`) gives for a
    priced call, used by :func:`quote`. ``video_input_seconds`` of 0 with
    video inputs is the short reading of fal's rule (the input seconds left out
    of the count)."""
    seconds = video_input_seconds
    if isinstance(seconds, Decimal):
        seconds = Fraction(seconds) if seconds.is_finite() else float(seconds)
    counted = not (reference_video and isinstance(seconds, (int, float, Fraction))
                   and not isinstance(seconds, bool) and seconds == 0)
    call = Call(endpoint=endpoint, duration=duration_s, resolution=resolution,
                aspect_ratio=aspect_ratio, video_seconds=seconds,
                reference_video=reference_video, video_counted=counted)
    for reason in validate_call(limits, tiers_of(limits), call, priced=True):
        if refuses(reason, priced=True):
            return reason.message
    return None


def quote(model: PricingModel, endpoint: str, duration_s: int, resolution: str,
          aspect_ratio: str, video_input_seconds: Number = 0.0, *,
          reference_video: bool | None = None) -> Quote:
    """Tokens and cost of one render on ``endpoint``.

    ``reference_video`` says the call carries video inputs (reference
    endpoints only); it defaults to ``video_input_seconds > 0``. With video
    inputs, ``video_input_seconds`` is counted with the output seconds and
    the multiplier applies; 0 is the simple reading that ignores them.
    Raises ValueError (with :func:`quote_problem`'s reason) for a render fal
    would not make or the site does not price.
    """
    problem = quote_problem(model.limits, endpoint, duration_s, resolution, aspect_ratio,
                            video_input_seconds, reference_video)
    if problem:
        raise ValueError(problem)
    ep = model.endpoints[endpoint]
    duration_s = int(duration_s)
    width, height = frame_size(model, resolution, aspect_ratio)
    extra = _exact(video_input_seconds)
    if reference_video is None:
        reference_video = extra > 0
    per_s = Fraction(width * height * model.frame_rate, model.tokens_divisor)
    tokens = per_s * (duration_s + extra)
    cost = cost_of_tokens(model, ep.tier, tokens, reference_video)
    return Quote(endpoint, ep.tier, duration_s, resolution, aspect_ratio, width, height,
                 reference_video, extra, tokens, cost)


def per_second(model: PricingModel, tier: str, resolution: str, aspect_ratio: str = "16:9",
               reference_video: bool = False) -> Fraction:
    """Cost of one output second (input video seconds not counted)."""
    return cost_of_tokens(model, tier, tokens_per_second(model, resolution, aspect_ratio),
                          reference_video)


def fast_saving(model: PricingModel) -> Fraction:
    """How much cheaper the fast tier is than standard, as a fraction of standard."""
    return 1 - rate(model, "fast") / rate(model, "standard")


# -- Seedance 1.5 Pro: the fallback's own formula --------------------------

@dataclass(frozen=True)
class Pro15Quote:
    resolution: str
    aspect_ratio: str
    duration_s: int
    audio: bool
    width: int
    height: int
    exact_tokens: Fraction
    exact_cost: Fraction

    @property
    def exact_per_second(self) -> Fraction:
        return self.exact_cost / self.duration_s


def pro15_model(model: PricingModel) -> Pro15:
    if model.pro15 is None:
        raise ValueError("data/pricing.yml has no seedance_1_5_pro section")
    return model.pro15


def _finite(value: object) -> bool:
    return (not isinstance(value, bool) and isinstance(value, int | float | Fraction | Decimal)
            and math.isfinite(value))


def pro15_problem(pro: Pro15, resolution: str, duration_s: object,
                  aspect_ratio: str = "16:9") -> str | None:
    """Why Seedance 1.5 Pro cannot be priced for this render (None when it can)."""
    if resolution not in pro.resolutions:
        return (f"Seedance 1.5 Pro does not render {resolution!r} "
                f"(one of {', '.join(pro.resolutions)})")
    if aspect_ratio not in pro.aspect_ratios:
        return (f"unknown aspect ratio {aspect_ratio!r} for Seedance 1.5 Pro "
                f"(one of {', '.join(pro.aspect_ratios)})")
    if not _finite(duration_s) or int(duration_s) != duration_s \
            or not pro.duration_min <= int(duration_s) <= pro.duration_max:
        return (f"Seedance 1.5 Pro does not render {duration_s} s ({pro.duration_min} to "
                f"{pro.duration_max} whole seconds)")
    return None


def pro15_tokens_per_second(pro: Pro15, resolution: str, aspect_ratio: str = "16:9"
                            ) -> Fraction:
    problem = pro15_problem(pro, resolution, pro.duration_min, aspect_ratio)
    if problem:
        raise ValueError(problem)
    width, height = pro.frame_sizes[resolution][aspect_ratio]
    return Fraction(width * height * pro.frame_rate, pro.tokens_divisor)


def pro15_rate(pro: Pro15, audio: bool = True) -> Fraction:
    """USD per 1,000,000 tokens, with audio or without."""
    return Fraction(pro.rate_audio if audio else pro.rate_silent)


def pro15_per_second(pro: Pro15, resolution: str, aspect_ratio: str = "16:9",
                     audio: bool = True) -> Fraction:
    return pro15_tokens_per_second(pro, resolution, aspect_ratio) / 1_000_000 \
        * pro15_rate(pro, audio)


def pro15_quote(pro: Pro15, resolution: str, duration_s: int, aspect_ratio: str = "16:9",
                audio: bool = True) -> Pro15Quote:
    """Tokens and cost of one Seedance 1.5 Pro render (ValueError for one it does not make)."""
    problem = pro15_problem(pro, resolution, duration_s, aspect_ratio)
    if problem:
        raise ValueError(problem)
    width, height = pro.frame_sizes[resolution][aspect_ratio]
    tokens = Fraction(width * height * pro.frame_rate, pro.tokens_divisor) * int(duration_s)
    return Pro15Quote(resolution, aspect_ratio, int(duration_s), bool(audio), width, height,
                      tokens, tokens / 1_000_000 * pro15_rate(pro, audio))


# -- display: the one rounding rule ---------------------------------------

def round_half_up(value: Number, decimals: int) -> Decimal:
    exact = _exact(value)
    scaled = exact * 10**decimals
    whole = (scaled.numerator * 2 + scaled.denominator) // (2 * scaled.denominator) \
        if scaled >= 0 else -((-scaled.numerator * 2 + scaled.denominator)
                              // (2 * scaled.denominator))
    return Decimal(whole).scaleb(-decimals).quantize(Decimal(1).scaleb(-decimals),
                                                     rounding=ROUND_HALF_UP)


def _money(value: Number, decimals: int) -> str:
    return f"${round_half_up(value, decimals):,.{decimals}f}"


def format_per_second(usd: Number) -> str:
    return _money(usd, PER_SECOND_DECIMALS)


def format_total(usd: Number) -> str:
    return _money(usd, TOTAL_DECIMALS)


def format_tokens(tokens: Number) -> str:
    return f"{round_half_up(tokens, 0):,.0f}"


def format_rate(model: PricingModel, tier: str) -> str:
    """A tier's rate per 1,000 tokens as written in the rate table."""
    return f"${format(rate_decimal(model, tier), 'f')}"


def rate_decimal(model: PricingModel, tier: str) -> Decimal:
    rate(model, tier)
    return model.tiers[tier].rate.normalize()


def format_percent(value: Fraction) -> str:
    percent = value * 100
    if percent.denominator == 1:
        return str(percent.numerator)
    return f"{round_half_up(percent, 1)}"


# -- which dollar figures the model can produce ---------------------------

def candidate_prices(model: PricingModel) -> set[Fraction]:
    """Every exact dollar figure the site may print: rates, per-second prices
    and totals for each endpoint, resolution, aspect ratio and duration, with
    and without video inputs (input seconds 0 and each whole second fal
    allows), and the difference between the tiers for the same render."""
    found: set[Fraction] = {rate(model, t) for t in model.tiers}
    low, high = model.video_input_seconds
    extras = [0, *range(low, high + 1)]
    for res in model.resolutions:
        for ratio in model.aspect_ratios:
            tps = tokens_per_second(model, res, ratio)
            for ref in (False, True):
                by_tier = {t: cost_of_tokens(model, t, tps, ref) for t in model.tiers}
                found.update(by_tier.values())
                diff = by_tier["standard"] - by_tier["fast"]
                found.add(diff)
                for d in model.durations:
                    for extra in (extras if ref else [0]):
                        found.update(v * (d + extra) for v in by_tier.values())
                        found.add(diff * (d + extra))
    return found


def is_producible(amount: Decimal | str | float, decimals: int, model: PricingModel) -> bool:
    """Could ``amount``, written with ``decimals`` decimals, come from ``model``?"""
    target = Decimal(str(amount)).quantize(Decimal(1).scaleb(-decimals))
    return target in {round_half_up(c, decimals) for c in candidate_prices(model)}

"""Comparing what fal's pages say now with what the data says: one finding per difference.

A :class:`Judge` holds the data (data/limits.yml and data/pricing.yml as
validated models, and as line-marked YAML for positions) and the inputs the
request builder offers. Each page is judged on its own
(:meth:`Judge.judge_seedance2`, :meth:`Judge.judge_pro15`); then
:meth:`Judge.finish` adds what only the whole run can tell (a limit no page
states any more, an accepted difference that no page shows).

Each finding (:mod:`seedpress.drift.findings`) sits at the line of the data
entry fal now contradicts and names the fact it concerns, so
:mod:`seedpress.drift.pages` can say which pages print it. The same
difference on several endpoints becomes one finding. A page that cannot be
judged, wholly or on one fact, is an SP801 finding at its endpoint's line:
never read as "in sync".
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import codes
from .. import pricing as P
from ..codes import Code
from ..content.limits import Endpoint, Limits
from ..content.pricing import PricingModel
from ..content.source import LineDict
from . import statements as S
from .builder import BuilderInputs
from .findings import LIMITS, PRICING, Doc, Finding
from .page import FalPage, Field


class Judge:
    def __init__(self, root: Path, limits: Limits, model: PricingModel,
                 builder: dict[str, BuilderInputs]):
        self.limits, self.model, self.builder = limits, model, builder
        self.lim = Doc(root, LIMITS)
        self.pri = Doc(root, PRICING)
        self.findings: list[Finding] = []
        #: limit id -> stated on some page
        self.stated: set[str] = set()
        #: every input name listed on a Seedance 2.0 page, and the per-second quotes by tier
        self.fal_inputs: set[str] = set()
        self.quotes: dict[str, set[Decimal]] = {}
        #: endpoints whose page could not be judged at all
        self.unjudged: set[str] = set()
        self.judged: set[str] = set()

    # -- positions -----------------------------------------------------------------

    def endpoint_pos(self, endpoint: str) -> tuple[Path, int, int]:
        if endpoint in self.limits.endpoints:
            return (LIMITS, *self.lim.item("endpoints", "id", endpoint))
        return (PRICING, *self.pri.pos("seedance_1_5_pro", "endpoint"))

    def add(self, code: Code, doc: Doc, pos: tuple[int, int], fact: str, message: str,
            endpoint: str, list_pos: tuple[int, int] | None = None) -> None:
        self.findings.append(Finding(code, doc.rel, pos[0], pos[1], fact, message,
                                     (endpoint,), list_pos))

    def cannot_judge(self, endpoint: str, reason: str, *, whole_page: bool = True) -> None:
        path, line, col = self.endpoint_pos(endpoint)
        doc = self.lim if path == LIMITS else self.pri
        list_pos = self.lim.pos("endpoints") if path == LIMITS else None
        self.add(codes.DRIFT_UNJUDGED, doc, (line, col), "", f"could not judge {{where}}: "
                 f"{reason}", endpoint, list_pos)
        if whole_page:
            self.unjudged.add(endpoint)

    # -- Seedance 2.0 ----------------------------------------------------------------

    def judge_seedance2(self, ep: Endpoint, page: FalPage) -> None:
        before = len([f for f in self.findings if f.code == codes.DRIFT_UNJUDGED])
        if page.model_id and page.model_id != ep.id:
            self.cannot_judge(ep.id, f"the page describes {page.model_id}, not this endpoint")
            return
        self.judged.add(ep.id)
        self.fal_inputs.update(page.fields)
        self._inputs(ep, page)
        self._durations(ep.id, page.fields.get("duration"))
        self._resolutions(ep, page.fields.get("resolution"))
        self._aspect_ratios(ep.id, page.fields.get("aspect_ratio"))
        for f in page.fields.values():
            self._limits(ep.id, f)
        self._price(ep, page)
        if len([f for f in self.findings if f.code == codes.DRIFT_UNJUDGED]) > before:
            self.unjudged.add(ep.id)

    def _inputs(self, ep: Endpoint, page: FalPage) -> None:
        offered = self.builder[ep.mode]
        ep_pos = self.lim.item("endpoints", "id", ep.id)
        list_pos = self.lim.pos("endpoints")
        accept_pos = self.lim.pos("inputs_not_offered") \
            if "inputs_not_offered" in self.lim.data else list_pos
        for name, f in page.fields.items():
            if name in offered.offered:
                continue
            if name in self.limits.inputs_not_offered:
                continue
            kind = "a required" if f.required else "an optional"
            self.add(codes.DRIFT_INPUT, self.lim, accept_pos, "inputs",
                     f"fal lists {kind} input `{name}` ({f.type}) for {{where}} that the "
                     "request builder does not offer: offer it, or list it in "
                     "inputs_not_offered with the reason", ep.id)
        for name, sent in offered.offered.items():
            f = page.fields.get(name)
            if f is None:
                self.add(codes.DRIFT_INPUT, self.lim, ep_pos, "inputs",
                         f"fal no longer lists the input `{name}` for {{where}}; the request "
                         "builder sends it", ep.id, list_pos)
                continue
            if f.required and name not in offered.always:
                self.add(codes.DRIFT_INPUT, self.lim, ep_pos, "inputs",
                         f"fal now requires `{name}` for {{where}}; the request builder may "
                         "leave it out", ep.id, list_pos)
            fal_type = S.fal_type(f)
            if fal_type is not None and fal_type is not sent and not (
                    fal_type is float and sent is int):
                self.add(codes.DRIFT_INPUT, self.lim, ep_pos, "inputs",
                         f"fal now takes `{name}` as {S.TYPE_WORDS.get(fal_type, fal_type)} "
                         f"({f.type}) for {{where}}; the request builder sends "
                         f"{S.TYPE_WORDS.get(sent, sent)}", ep.id, list_pos)

    def _no_options(self, endpoint: str, f: Field | None, what: str) -> bool:
        if f is None:
            return True  # the input comparison reports a missing field
        if not f.options:
            self.cannot_judge(endpoint, f"fal's `{f.name}` field lists no options to compare "
                              f"with the {what}", whole_page=False)
            return True
        return False

    def _durations(self, endpoint: str, f: Field | None, *, doc: Doc | None = None,
                   keys: tuple = ("duration",), lo: int | None = None, hi: int | None = None,
                   auto: bool | None = None, default: Any = None, fact: str = "duration"
                   ) -> None:
        if self._no_options(endpoint, f, "durations"):
            return
        doc = doc or self.lim
        if lo is None:
            lo, hi = self.limits.duration_min, self.limits.duration_max
            auto = self.limits.duration_auto
            default = self.lim.data["duration"].get("default")
        nums, other, fal_auto = S.ints(f.options)
        if other:
            self.add(codes.DRIFT_OPTIONS, doc, doc.pos(*keys), fact,
                     f"fal lists duration options the data cannot hold for {{where}}: "
                     f"{S.words(other)}", endpoint)
        if nums and nums != list(range(lo, hi + 1)):
            if nums == list(range(nums[0], nums[-1] + 1)):
                if nums[0] == lo:
                    pos = doc.pos(*keys, "max")
                elif nums[-1] == hi:
                    pos = doc.pos(*keys, "min")
                else:
                    pos = doc.pos(*keys)
                said = f"fal now lists durations of {nums[0]} to {nums[-1]} s"
            else:
                pos = doc.pos(*keys)
                said = f"fal lists durations of {S.words(nums)} s"
            self.add(codes.DRIFT_OPTIONS, doc, pos, fact, f"{said} for {{where}}; the data "
                     f"says every whole second from {lo} to {hi}", endpoint)
        if auto is not None and fal_auto != auto:
            self.add(codes.DRIFT_OPTIONS, doc, doc.pos(*keys, "auto"), fact,
                     f"fal {'now' if fal_auto else 'no longer'} lists auto as a duration for "
                     f"{{where}}; the data says it {'does' if auto else 'does not'}", endpoint)
        if f.has_default and default is not None and str(f.default) != str(default):
            self.add(codes.DRIFT_OPTIONS, doc, doc.pos(*keys, "default"), fact,
                     f"fal's default duration for {{where}} is now {f.default}; the data says "
                     f"{default}", endpoint)

    def _resolutions(self, ep: Endpoint, f: Field | None) -> None:
        if self._no_options(ep.id, f, "resolutions"):
            return
        listed = [str(o) for o in f.options]
        for name in listed:
            res = self.limits.resolution(name)
            if res is None:
                self.add(codes.DRIFT_OPTIONS, self.lim, self.lim.pos("resolutions"),
                         "resolutions", f"fal now lists {name} for {{where}}; data/limits.yml "
                         "does not list it", ep.id)
            elif not res.on_tier(ep.tier):
                self.add(codes.DRIFT_OPTIONS, self.lim,
                         self.lim.item("resolutions", "name", name, "tiers"), "resolutions",
                         f"fal now lists {name} for {{where}}; the data says "
                         f"{' and '.join(res.tiers)} only", ep.id)
            elif not res.confirmed:
                self.add(codes.DRIFT_OPTIONS, self.lim,
                         self.lim.item("resolutions", "name", name, "status"), "resolutions",
                         f"fal lists {name} for {{where}}; the data marks it {res.status}",
                         ep.id)
        for res in self.limits.resolutions:
            if res.confirmed and res.on_tier(ep.tier) and res.name not in listed:
                self.add(codes.DRIFT_OPTIONS, self.lim,
                         self.lim.item("resolutions", "name", res.name), "resolutions",
                         f"fal no longer lists {res.name} for {{where}}", ep.id)
        ours = next((r.name for r in self.limits.resolutions if r.default), None)
        if f.has_default and ours is not None and str(f.default) != ours:
            self.add(codes.DRIFT_OPTIONS, self.lim,
                     self.lim.item("resolutions", "name", ours, "default"), "resolutions",
                     f"fal's default resolution for {{where}} is now {f.default}; the data "
                     f"says {ours}", ep.id)

    def _aspect_ratios(self, endpoint: str, f: Field | None, *, doc: Doc | None = None,
                       keys: tuple = ("aspect_ratios",), values: tuple[str, ...] | None = None,
                       auto: bool | None = None, default: Any = None,
                       values_key: str = "values", auto_key: str = "auto",
                       default_key: str = "default", fact: str = "aspect_ratios") -> None:
        if self._no_options(endpoint, f, "aspect ratios"):
            return
        doc = doc or self.lim
        if values is None:
            values, auto = self.limits.aspect_ratios, self.limits.aspect_auto
            default = self.lim.data["aspect_ratios"].get("default")
        listed = [str(o) for o in f.options]
        fal_auto = "auto" in listed
        fal_values = [v for v in listed if v != "auto"]
        added = [v for v in fal_values if v not in values]
        gone = [v for v in values if v not in fal_values]
        if added:
            self.add(codes.DRIFT_OPTIONS, doc, doc.pos(*keys, values_key), fact,
                     f"fal now lists the aspect ratio{'s' if len(added) > 1 else ''} "
                     f"{S.words(added)} for {{where}}; the data does not", endpoint)
        if gone:
            self.add(codes.DRIFT_OPTIONS, doc, doc.pos(*keys, values_key), fact,
                     f"fal no longer lists the aspect ratio{'s' if len(gone) > 1 else ''} "
                     f"{S.words(gone)} for {{where}}", endpoint)
        if auto is not None and fal_auto != bool(auto):
            self.add(codes.DRIFT_OPTIONS, doc, doc.pos(*keys, auto_key), fact,
                     f"fal {'now' if fal_auto else 'no longer'} lists auto as an aspect ratio "
                     f"for {{where}}", endpoint)
        if f.has_default and default is not None and str(f.default) != str(default):
            self.add(codes.DRIFT_OPTIONS, doc, doc.pos(*keys, default_key), fact,
                     f"fal's default aspect ratio for {{where}} is now {f.default}; the data "
                     f"says {default}", endpoint)

    def _limits(self, endpoint: str, f: Field) -> None:
        for limit_id, fal in S.limit_statements(f):
            data = S.limit_data(self.limits, limit_id)
            if data is None:
                continue
            self.stated.add(limit_id)
            if S.same_limit(fal, data):
                continue
            self.add(codes.DRIFT_LIMIT, self.lim, self.lim.pos(*limit_id.split(".")),
                     "references" if limit_id.startswith("references") else "files",
                     f"fal now states {S.limit_label(limit_id)} as {S.shown(fal)} for {{where}} "
                     f"(`{f.name}`); the data says {S.shown(data)}", endpoint)

    def _price(self, ep: Endpoint, page: FalPage) -> None:
        p, model = page.pricing, self.model
        tier = model.tiers[ep.tier]
        rate_pos = self.pri.pos("tiers", ep.tier, "rate_per_1k_tokens")
        fact = f"rate:{ep.tier}"
        ours_ps = P.per_second(model, ep.tier, "720p", "16:9")
        rate_differs = False
        if p.rate_per_1k is None:
            self.cannot_judge(ep.id, "its pricing paragraph states no rate per 1,000 tokens",
                              whole_page=False)
        elif p.rate_per_1k.value != tier.rate:
            rate_differs = True
            self.add(codes.DRIFT_PRICE, self.pri, rate_pos, fact,
                     f"fal now charges ${p.rate_per_1k.written} per 1,000 tokens for "
                     f"{{where}}; the data says ${S.plain(tier.rate)} "
                     f"({P.format_per_second(ours_ps)} per second at 720p 16:9)", ep.id)
        if p.per_second_720p is not None:
            quoted = p.per_second_720p
            self.quotes.setdefault(ep.tier, set()).add(quoted.value)
            accepted = any(q.tier == ep.tier and q.per_second_720p == quoted.value
                           for q in model.accepted_quotes)
            if not rate_differs and not accepted and \
                    P.round_half_up(ours_ps, quoted.decimals) != quoted.value:
                self.add(codes.DRIFT_PRICE, self.pri, rate_pos, fact,
                         f"fal prints ${quoted.written} per second at 720p for {{where}}; the "
                         f"formula gives {S.money(ours_ps, quoted.decimals)} (720p 16:9)",
                         ep.id)
        formula_differs = self._formula(ep.id, p.formula, self.pri, (), model.frame_rate,
                                        model.tokens_divisor, "formula",
                                        reference=ep.accepts_video)
        if not ep.accepts_video:
            return
        m_pos = self.pri.pos("reference_video_multiplier")
        if p.reference_multiplier is None:
            self.cannot_judge(ep.id, "its pricing paragraph no longer says what video inputs "
                              "multiply the price by (dropped, or reworded)", whole_page=False)
            return
        if p.reference_multiplier.value != model.reference_video_multiplier:
            self.add(codes.DRIFT_PRICE, self.pri, m_pos, "reference",
                     f"fal now multiplies the price with video inputs by "
                     f"{p.reference_multiplier.written} for {{where}}; the data says "
                     f"{S.plain(model.reference_video_multiplier)}", ep.id)
            return
        if p.reference_per_second_720p is not None and not rate_differs and not formula_differs:
            ours = P.per_second(model, ep.tier, "720p", "16:9", reference_video=True)
            q = p.reference_per_second_720p
            if P.round_half_up(ours, q.decimals) != q.value:
                self.add(codes.DRIFT_PRICE, self.pri, m_pos, "reference",
                         f"fal prints ${q.written} per second at 720p with video inputs for "
                         f"{{where}}; the formula gives {S.money(ours, q.decimals)} (720p 16:9)",
                         ep.id)

    def _formula(self, endpoint: str, formula, doc: Doc, keys: tuple, frame_rate: int,
                 divisor: int, fact: str, *, reference: bool | None = None,
                 named_rate_ok: bool = False) -> bool:
        """Compare fal's token formula; True when it differs from the data's."""
        if formula is None:
            self.cannot_judge(endpoint, "its pricing paragraph gives no token formula that "
                              "can be read (height x width x ... / divisor)", whole_page=False)
            return True
        differs = False
        if formula.frame_rate is None and not named_rate_ok:
            self.cannot_judge(endpoint, f"its token formula ({formula.text}) gives no frame "
                              "rate as a number", whole_page=False)
            differs = True
        elif formula.frame_rate is not None and formula.frame_rate != frame_rate:
            differs = True
            self.add(codes.DRIFT_FORMULA, doc, doc.pos(*keys, "frame_rate"), fact,
                     f"fal's token formula for {{where}} now counts {formula.frame_rate} frames "
                     f"per second; the data says {frame_rate}", endpoint)
        if formula.divisor != divisor:
            differs = True
            self.add(codes.DRIFT_FORMULA, doc, doc.pos(*keys, "tokens_divisor"), fact,
                     f"fal's token formula for {{where}} now divides by {formula.divisor}; "
                     f"the data says {divisor}", endpoint)
        if formula.unknown_terms:
            differs = True
            self.add(codes.DRIFT_FORMULA, doc, doc.pos(*keys, "frame_rate"), fact,
                     f"fal's token formula for {{where}} now reads {formula.text}: the data's "
                     f"formula has no term {S.words(formula.unknown_terms)}", endpoint)
        if reference is not None and formula.counts_input_seconds != reference:
            differs = True
            if reference:
                said = (f"no longer counts the input video seconds ({formula.text}); the "
                        "data counts them with the output seconds")
            else:
                said = (f"now counts input video seconds ({formula.text}); the data counts "
                        "them on reference-to-video endpoints only")
            self.add(codes.DRIFT_FORMULA, doc, doc.pos("reference_video_multiplier"),
                     "reference", f"fal's token formula for {{where}} {said}", endpoint)
        return differs

    # -- Seedance 1.5 Pro ---------------------------------------------------------------

    def judge_pro15(self, page: FalPage) -> None:
        pro = self.model.pro15
        before = len([f for f in self.findings if f.code == codes.DRIFT_UNJUDGED])
        if page.model_id and page.model_id != pro.endpoint:
            self.cannot_judge(pro.endpoint, f"the page describes {page.model_id}, not this "
                              "endpoint")
            return
        self.judged.add(pro.endpoint)
        key = ("seedance_1_5_pro",)
        for name, what in (("duration", "durations"), ("resolution", "resolutions"),
                           ("aspect_ratio", "aspect ratios")):
            if name not in page.fields:
                self.add(codes.DRIFT_INPUT, self.pri, self.pri.pos(*key), "pro15",
                         f"fal no longer lists the input `{name}` for {{where}}; the data "
                         f"prices Seedance 1.5 Pro by its {what}", pro.endpoint)
        self._durations(pro.endpoint, page.fields.get("duration"), doc=self.pri,
                        keys=(*key, "duration"), lo=pro.duration_min, hi=pro.duration_max,
                        auto=None, default=pro.duration_default, fact="pro15")
        f = page.fields.get("resolution")
        if not self._no_options(pro.endpoint, f, "resolutions"):
            listed = [str(o) for o in f.options]
            added = [r for r in listed if r not in pro.resolutions]
            gone = [r for r in pro.resolutions if r not in listed]
            pos = self.pri.pos(*key, "resolutions")
            if added:
                self.add(codes.DRIFT_OPTIONS, self.pri, pos, "pro15",
                         f"fal now lists {S.words(added)} for {{where}}; the data does not",
                         pro.endpoint)
            if gone:
                self.add(codes.DRIFT_OPTIONS, self.pri, pos, "pro15",
                         f"fal no longer lists {S.words(gone)} for {{where}}", pro.endpoint)
            if f.has_default and str(f.default) != pro.default_resolution:
                self.add(codes.DRIFT_OPTIONS, self.pri, self.pri.pos(*key, "default_resolution"),
                         "pro15", f"fal's default resolution for {{where}} is now {f.default}; "
                         f"the data says {pro.default_resolution}", pro.endpoint)
        self._aspect_ratios(pro.endpoint, page.fields.get("aspect_ratio"), doc=self.pri,
                            keys=key, values=pro.aspect_ratios, auto=pro.aspect_auto,
                            default=pro.default_aspect_ratio, values_key="aspect_ratios",
                            auto_key="aspect_auto", default_key="default_aspect_ratio",
                            fact="pro15")
        self._pro15_price(page)
        if len([f for f in self.findings if f.code == codes.DRIFT_UNJUDGED]) > before:
            self.unjudged.add(pro.endpoint)

    def _pro15_price(self, page: FalPage) -> None:
        pro, p = self.model.pro15, page.pricing
        key = ("seedance_1_5_pro",)
        differs = False
        for amount, ours, name, words in (
                (p.rate_per_1m_audio, pro.rate_audio, "audio", "with audio"),
                (p.rate_per_1m_silent, pro.rate_silent, "silent", "without audio")):
            if amount is None:
                self.cannot_judge(pro.endpoint, f"its pricing paragraph states no rate per "
                                  f"million tokens {words}", whole_page=False)
                differs = True
            elif amount.value != ours:
                differs = True
                self.add(codes.DRIFT_PRICE, self.pri,
                         self.pri.pos(*key, "rate_per_1m_tokens", name), "pro15",
                         f"fal now charges ${amount.written} per million tokens {words} for "
                         f"{{where}}; the data says ${S.plain(ours)}", pro.endpoint)
        differs = self._formula(pro.endpoint, p.formula, self.pri, key, pro.frame_rate,
                                pro.tokens_divisor, "pro15", named_rate_ok=True) or differs
        if p.example is None or differs:
            return
        resolution, seconds, audio, amount = p.example
        try:
            quote = P.pro15_quote(pro, resolution, seconds, "16:9", audio)
        except ValueError as err:
            self.add(codes.DRIFT_PRICE, self.pri, self.pri.pos(*key), "pro15",
                     f"fal's worked figure for {{where}} ({resolution}, {seconds} s) cannot be "
                     f"priced from the data: {err}", pro.endpoint)
            return
        if P.round_half_up(quote.exact_cost, amount.decimals) != amount.value:
            self.add(codes.DRIFT_PRICE, self.pri,
                     self.pri.pos(*key, "rate_per_1m_tokens", "audio" if audio else "silent"),
                     "pro15", f"fal says a {seconds} s {resolution} render "
                     f"{'with' if audio else 'without'} audio costs ${amount.written} for "
                     f"{{where}}; the data gives {S.money(quote.exact_cost, amount.decimals)} "
                     "(16:9)", pro.endpoint)

    # -- the whole run ---------------------------------------------------------------------

    def finish(self) -> None:
        """What only every page together can tell."""
        seedance2 = set(self.limits.endpoints)
        if seedance2 & self.unjudged:
            return  # a page could not be judged: absence proves nothing
        for limit_id in sorted(self._held_limits()):
            if limit_id not in self.stated:
                self.add(codes.DRIFT_UNJUDGED, self.lim, self.lim.pos(*limit_id.split(".")),
                         "references" if limit_id.startswith("references") else "files",
                         f"no fal page states {S.limit_label(limit_id)} any more (the data says "
                         f"{S.shown(S.limit_data(self.limits, limit_id))}): dropped, or "
                         "reworded beyond reading", "")
        raw = self.lim.data.get("inputs_not_offered") or []
        for i, body in enumerate(raw):
            name = body.get("name") if isinstance(body, LineDict) else None
            if name in self.limits.inputs_not_offered and name not in self.fal_inputs:
                self.add(codes.DRIFT_STALE, self.lim, self.lim.pos("inputs_not_offered", i),
                         "inputs", f"fal's pages no longer list the input `{name}`: remove "
                         "this entry", "")
        raw = self.pri.data.get("accepted_quotes") or []
        for i, quote in enumerate(self.model.accepted_quotes):
            if quote.per_second_720p not in self.quotes.get(quote.tier, set()):
                self.add(codes.DRIFT_STALE, self.pri, self.pri.pos("accepted_quotes", i),
                         f"rate:{quote.tier}", f"no {quote.tier} page of fal prints "
                         f"${S.plain(quote.per_second_720p)} per second at 720p any more: remove "
                         "this entry", "")

    def _held_limits(self) -> set[str]:
        held = {f"references.{k}" for k in self.limits.references}
        if self.limits.audio_needs_visual:
            held.add("references.audio_needs_visual")
        for kind, files in self.limits.files.items():
            held.add(f"files.{kind}.formats")
            held.update(f"files.{kind}.{name}" for name in files.limits)
        return held

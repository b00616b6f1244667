"""The token formula, the display rule, the rate table's loader and `seedpress price`.

The expected figures are the worked figures of the facts sheet (720p 16:9),
worked out by hand from the formula, not by the code under test.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from seedpress import pricing as P
from seedpress.cli import main as cli
from seedpress.content.pricing import load_pricing
from seedpress.errors import ContentError
from support import ROOT

T2V = "bytedance/seedance-2.0/text-to-video"
R2V = "bytedance/seedance-2.0/reference-to-video"
FAST_R2V = "bytedance/seedance-2.0/fast/reference-to-video"


@pytest.fixture(scope="module")
def model():
    return load_pricing(ROOT)


def test_720p_16_9_worked_figures(model):
    q = P.quote(model, T2V, 5, "720p", "16:9")
    assert q.tokens == 108_000
    assert q.cost_usd == pytest.approx(1.512, abs=1e-12)
    assert P.tokens_per_second(model, "720p", "16:9") == 21_600
    assert P.per_second(model, "standard", "720p") == Fraction("0.3024")
    assert P.per_second(model, "fast", "720p") == Fraction("0.24192")
    assert P.per_second(model, "standard", "720p", reference_video=True) == Fraction("0.18144")
    assert P.per_second(model, "fast", "720p", reference_video=True) == Fraction("0.145152")


def test_display_rule(model):
    assert P.format_per_second(P.per_second(model, "standard", "720p")) == "$0.3024"
    assert P.format_total(P.quote(model, T2V, 5, "720p", "16:9").exact_cost) == "$1.51"
    assert P.format_per_second(P.per_second(model, "fast", "720p")) == "$0.2419"
    assert P.format_per_second(
        P.per_second(model, "standard", "720p", reference_video=True)) == "$0.1814"
    # half up from the exact value, where binary floats would round 0.125 down
    assert P.format_total(Fraction(1, 8)) == "$0.13"
    assert P.format_total(0.125) == "$0.13"
    assert P.format_total(1234.5) == "$1,234.50"
    assert P.format_tokens(Fraction(43411, 2)) == "21,706"
    assert P.format_percent(P.fast_saving(model)) == "20"


def test_fal_reference_rule_counts_input_seconds(model):
    simple = P.quote(model, R2V, 5, "720p", "16:9", reference_video=True)
    counted = P.quote(model, R2V, 5, "720p", "16:9", 6)
    assert simple.tokens == 108_000
    assert simple.cost_usd == pytest.approx(0.9072)
    assert counted.reference_video
    assert counted.tokens == 21_600 * 11
    assert counted.cost_usd == pytest.approx(21_600 * 11 / 1000 * 0.014 * 0.6)
    fast = P.quote(model, FAST_R2V, 5, "720p", "16:9", 6)
    assert fast.cost_usd == pytest.approx(21_600 * 11 / 1000 * 0.0112 * 0.6)


def test_images_only_reference_costs_what_text_costs(model):
    assert P.quote(model, R2V, 5, "720p", "16:9").exact_cost == \
        P.quote(model, T2V, 5, "720p", "16:9").exact_cost


@pytest.mark.parametrize("args, message", [
    ((T2V, 20, "720p", "16:9"), "duration 20 is not whole seconds from 4 to 15"),
    ((T2V, 5, "1080p", "16:9"), "1080p is unconfirmed on fal"),
    ((T2V, 5, "2160p", "16:9"), "does not render '2160p'"),
    ((T2V, 5, "720p", "2:1"), "aspect ratio '2:1' is not one of"),
    (("bytedance/seedance-2.0/nope", 5, "720p", "16:9"), "unknown endpoint"),
    ((T2V, 5, "720p", "16:9", 4), "takes no video inputs"),
    ((R2V, 5, "720p", "16:9", 1), "2 to 15 s"),
    ((R2V, 5, "720p", "16:9", 16), "2 to 15 s"),
])
def test_quote_refuses_what_fal_refuses(model, args, message):
    with pytest.raises(ValueError, match=message):
        P.quote(model, *args)


def test_is_producible_at_the_precision_written(model):
    assert P.is_producible(Decimal("0.3024"), 4, model)
    assert P.is_producible(Decimal("1.51"), 2, model)
    assert P.is_producible(Decimal("0.014"), 3, model)
    assert not P.is_producible(Decimal("0.3034"), 4, model)
    assert not P.is_producible(Decimal("0.3025"), 4, model)
    assert P.is_producible("0.3024", 4, model)  # the repository's own table


# -- the loader ---------------------------------------------------------------

def _project(tmp_path: Path, edit, name: str = "pricing.yml") -> Path:
    """data/pricing.yml and data/limits.yml in a folder, ``name`` edited."""
    (tmp_path / "data").mkdir()
    for each in ("pricing.yml", "limits.yml"):
        text = (ROOT / "data" / each).read_text(encoding="utf-8")
        (tmp_path / "data" / each).write_text(edit(text) if each == name else text,
                                              encoding="utf-8")
    return tmp_path


def _line_of(text: str, needle: str) -> int:
    return text.splitlines().index(needle) + 1


def test_loader_names_file_and_line_of_a_bad_rate(tmp_path):
    root = _project(tmp_path, lambda t: t.replace("rate_per_1k_tokens: 0.0112",
                                                  "rate_per_1k_tokens: cheap"))
    text = (root / "data" / "pricing.yml").read_text()
    with pytest.raises(ContentError) as err:
        load_pricing(root)
    d = err.value.diagnostics[0]
    assert d.path.endswith("data/pricing.yml")
    assert d.line == _line_of(text, "    rate_per_1k_tokens: cheap")
    assert d.code == "SP007" and "rate_per_1k_tokens" in d.message


def test_loader_catches_an_unquoted_aspect_ratio(tmp_path):
    # YAML 1.1 reads 16:9 unquoted as the number 969 (base 60)
    root = _project(tmp_path, lambda t: t.replace('"16:9": [1280, 720]', "16:9: [1280, 720]"),
                    "limits.yml")
    text = (root / "data" / "limits.yml").read_text()
    with pytest.raises(ContentError) as err:
        load_pricing(root)
    d = err.value.diagnostics[0]
    assert "in quotes" in d.message
    assert d.line == _line_of(text, "    16:9: [1280, 720]")


def test_loader_reports_yaml_syntax_with_line(tmp_path):
    root = _project(tmp_path, lambda t: t.replace("frame_rate: 24", "frame_rate: [24"))
    with pytest.raises(ContentError) as err:
        load_pricing(root)
    assert err.value.diagnostics[0].code == "SP003"
    assert err.value.diagnostics[0].line > 1


# -- seedpress price ------------------------------------------------------------

def test_price_command_text(capsys):
    code = cli(["price", "--endpoint", T2V, "--duration", "5", "--resolution", "720p",
                "--aspect-ratio", "16:9"])
    out = capsys.readouterr().out
    assert code == 0
    assert "108,000" in out and "$1.51" in out and "$0.3024" in out


def test_price_command_json_full_precision(capsys):
    code = cli(["price", "--endpoint", FAST_R2V, "--duration", "5", "--resolution", "720p",
                "--aspect-ratio", "16:9", "--reference-video", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["tokens"] == 108_000
    assert data["cost_usd"] == pytest.approx(0.72576, abs=1e-12)
    assert data["display"]["per_second"] == "$0.1452"


def test_price_command_bad_arguments_exit_2_without_traceback(capsys):
    code = cli(["price", "--endpoint", T2V, "--duration", "30", "--resolution", "720p",
                "--aspect-ratio", "16:9"])
    err = capsys.readouterr().err
    assert code == 2
    assert "duration 30 is not whole seconds from 4 to 15" in err and "Traceback" not in err


def test_price_command_broken_table_names_file_and_line(tmp_path, capsys):
    root = _project(tmp_path, lambda t: t.replace("tokens_divisor: 1024", "tokens_divisor: -1"))
    shutil.copy(ROOT / "data" / "publication.yml", root / "data")
    code = cli(["price", "--root", str(root), "--endpoint", T2V, "--duration", "5",
                "--resolution", "720p", "--aspect-ratio", "16:9"])
    err = capsys.readouterr().err
    line = _line_of((root / "data" / "pricing.yml").read_text(), "tokens_divisor: -1")
    assert code == 2
    assert f"pricing.yml:{line}:" in err and "tokens_divisor" in err


@pytest.mark.parametrize("seconds", ["nan", "inf", "-inf", "-3", "1e300"])
def test_price_command_refuses_non_finite_and_absurd_input_seconds(seconds, capsys):
    code = cli(["price", "--endpoint", "bytedance/seedance-2.0/reference-to-video",
                "--duration", "5", "--resolution", "720p", "--aspect-ratio", "16:9",
                f"--video-input-seconds={seconds}"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "video input" in err


# -- Seedance 1.5 Pro, the fallback: its own rates and formula ---------------------------

def test_seedance_1_5_pro_worked_figures(model):
    pro = model.pro15
    q = P.pro15_quote(pro, "720p", 5, "16:9", audio=True)
    assert q.exact_tokens == 108_000 and q.exact_cost == Fraction("0.2592")
    assert P.format_total(q.exact_cost) == "$0.26"  # fal: "roughly $0.26"
    assert P.pro15_tokens_per_second(pro, "1080p") == 48_600
    assert P.pro15_per_second(pro, "1080p") == Fraction("0.11664")
    assert P.pro15_per_second(pro, "1080p", audio=False) == Fraction("0.05832")
    # the fallback's point: 1080p on 1.5 Pro costs less a second than 720p on 2.0
    assert P.pro15_per_second(pro, "1080p") < P.per_second(model, "standard", "720p")


@pytest.mark.parametrize("args, fragment", [
    (("1440p", 5), "does not render '1440p'"),
    (("1080p", 13), "does not render 13 s (4 to 12 whole seconds)"),
    (("1080p", 5, "2:1"), "unknown aspect ratio '2:1'"),
])
def test_seedance_1_5_pro_refuses_what_it_does_not_render(model, args, fragment):
    with pytest.raises(ValueError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        P.pro15_quote(model.pro15, *args)


def test_seedance_1_5_pro_computed_names_for_pages():
    import datetime as dt

    from seedpress.pages.data import gather
    from seedpress.pages.page_names import page_names
    from seedpress.pages.render import Origin, render_text

    names = page_names(gather(ROOT, dt.date(2026, 11, 24)).data)
    text = ('{{ pro15_price("720p", 5) }} {{ pro15_price_per_second("1080p") }} '
            '{{ pro15_price_per_second("1080p", audio=False) }} '
            '{{ pro15_tokens_per_second("1080p") }} {{ pro15_rate() }} '
            '{{ pro15_rate(audio=False) }} {{ pro15_duration_range() }}')
    assert render_text(text, names, Origin("x.md")) == \
        "$0.26 $0.1166 $0.0583 48,600 $2.4 $1.2 4 to 12 seconds"


def test_seedance_1_5_pro_inputs_for_pages():
    """The fallback guide sets 1.5 Pro's inputs beside 2.0's: its resolutions and its
    defaults come from data/pricing.yml, never typed."""
    import datetime as dt

    from seedpress.pages.data import gather
    from seedpress.pages.page_names import page_names
    from seedpress.pages.render import Origin, render_text

    names = page_names(gather(ROOT, dt.date(2026, 11, 24)).data)
    text = ('{{ pro15_resolutions("or") }} | {{ pro15_resolutions() }} | '
            '{{ pro15_default_value("duration") }} {{ pro15_default_value("resolution") }} '
            '{{ pro15_default_value("aspect_ratio") }}')
    assert render_text(text, names, Origin("x.md")) == \
        "480p, 720p or 1080p | 480p, 720p and 1080p | 5 720p 16:9"
    with pytest.raises(Exception, match="no 1.5 Pro default 'seed'"):
        render_text('{{ pro15_default_value("seed") }}', names, Origin("x.md"))


@pytest.mark.parametrize("old, new, fragment", [
    ("    audio: 2.4", "    audio: .inf", "must be a finite number"),
    ("  duration: {min: 4, max: 12, default: 5}", "  duration: {min: 4, max: 12, default: 20}",
     "the default is not from min to max"),
    ("  default_resolution: 720p", "  default_resolution: 2160p", "is not one of its resolutions"),
    ("  resolutions: [480p, 720p, 1080p]", "  resolutions: [480p, 720p, 1440p]",
     "no frame size for 1440p"),
    ("  aspect_auto: true", "  aspect_auto: true\n  fps: 24", "unknown key 'fps'"),
    ("  - tier: standard", "  - tier: turbo", "tier 'turbo' is not one of fast, standard"),
])
def test_seedance_1_5_pro_and_accepted_quotes_are_validated_at_their_line(tmp_path, old, new,
                                                                          fragment):
    root = _project(tmp_path, lambda t: t.replace(old, new))
    text = (root / "data" / "pricing.yml").read_text()
    with pytest.raises(ContentError) as err:
        load_pricing(root)
    found = [d for d in err.value.diagnostics if fragment in d.message]
    assert found, [d.message for d in err.value.diagnostics]
    first_new_line = text.splitlines().index(new.split("\n")[-1]) + 1
    assert all(d.path.endswith("data/pricing.yml") for d in found)
    assert abs(found[0].line - first_new_line) <= 1

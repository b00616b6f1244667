"""axe-core, vendored (tests/browser/vendor/axe.min.js, MPL-2.0), run in a page."""

from __future__ import annotations

from pathlib import Path

AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"


def preload(page) -> None:
    """Load axe-core into every page this tab opens from now on, as the page starts
    (cheaper than adding it to each page after it loaded, when a test audits many)."""
    page.context.add_init_script(path=str(AXE_JS))


def audit(page) -> list[dict]:
    """The violations axe-core finds in the page as it is now (all default rules),
    once the page's CSS transitions have finished: a reader sees the colours a
    transition ends on, and axe measuring one halfway (the header's tabs fading
    as a click scrolls the page) reports a contrast no reader gets."""
    page.wait_for_function(
        "() => document.getAnimations().every(a => a.playState !== 'running')",
        timeout=5000)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))})); }"
    )
    return result


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {(node['summary'] or '').splitlines()[-1:]}")
    return "\n".join(lines)

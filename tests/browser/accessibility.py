"""axe-core (npm, installed into tools/ by `make setup`) run inside the page a journey shows: no violation of impact
"serious" or "critical" may remain. The script goes in through Playwright's script tag; the page keeps its own
Content-Security-Policy, so the checked page is the one a customer gets."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "tools" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def axe_violations(page) -> list[dict]:
    """Every axe-core violation of the page as it is now (WCAG 2.x A and AA rules and best practices)."""
    if not AXE_SCRIPT.is_file():
        raise AssertionError(f"axe-core is missing at {AXE_SCRIPT}: run `make setup` (npm ci in tools/)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    return page.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)")


def describe(violations: list[dict]) -> str:
    """The violations as a reader fixes them: rule id, impact, help and its link; each node's target, its HTML and
    what axe-core asks to fix."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"][:10]:
            summary = " ".join(line.strip() for line in node.get("failureSummary", "").splitlines())
            lines.append(f"    {json.dumps(node['target'])} {node.get('html', '')[:160]}\n      {summary}")
    return "\n".join(lines)


def assert_accessible(page, step: str) -> None:
    """No serious or critical axe-core violation on the page shown at this step."""
    blocking = [v for v in axe_violations(page) if v.get("impact") in BLOCKING]
    assert not blocking, f"axe-core at step {step!r} ({page.url}):\n{describe(blocking)}"

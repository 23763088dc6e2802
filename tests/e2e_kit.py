"""What the browser journeys share: headless Chromium (Debian's, driven by Playwright),
axe-core checks, and screenshots in test-artifacts/ for a person to look at."""

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Every journey module: `pytestmark = E2E`.
E2E = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed"),
    pytest.mark.skipif(not AXE_JS.exists(), reason="node_modules/axe-core is not installed"),
]


def check_accessibility(page, name: str) -> None:
    """Inject axe-core, run it, and fail on any serious or critical violation."""
    page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run()")
    bad = [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} @ {[n['target'] for n in v['nodes']][:3]}"
        for v in bad
    ]
    assert not bad, f"{name}: " + "; ".join(details)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def visit(page, name: str) -> None:
    """Every main page: axe, then a screenshot."""
    page.wait_for_load_state("load")
    check_accessibility(page, name)
    shot(page, name)

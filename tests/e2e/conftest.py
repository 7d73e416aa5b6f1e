"""Playwright on Debian's chromium against pytest-django's live_server, with axe-core on every page visited."""

from pathlib import Path

import pytest

from tests.conftest import chromium_path

ROOT = Path(__file__).resolve().parent.parent.parent
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
SHOTS = ROOT / "test-artifacts" / "screenshots"
WIDTHS = {"phone": 390, "desktop": 1280}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path(),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture
def problems(page):
    """Console errors (CSP violations, failed static files, script errors) collected while the test runs."""
    seen: list[str] = []
    page.on("console", lambda msg: seen.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: seen.append(str(exc)))
    page.on(
        "response", lambda r: seen.append(f"{r.status} {r.url}") if r.status >= 400 and "/static/" in r.url else None
    )
    return seen


def axe_violations(page) -> list[dict]:
    # page.evaluate runs through the DevTools protocol, which the page's Content-Security-Policy does not block,
    # so the real CSP stays on while axe runs.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text())
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
               .map(v => ({id: v.id, impact: v.impact, help: v.help,
                           nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
    )


@pytest.fixture
def check_page(page, problems):
    """Screenshot the current page at phone and desktop widths, run axe at each, and fail on any violation or
    console error."""

    def check(name: str):
        SHOTS.mkdir(parents=True, exist_ok=True)
        original = page.viewport_size
        for label, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
            violations = axe_violations(page)
            assert violations == [], f"axe on {name} at {width}px: {violations}"
        page.set_viewport_size(original)
        assert problems == [], f"console errors on {name}: {problems}"

    return check

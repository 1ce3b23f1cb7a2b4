"""dbt's documentation site: `make docs` (which `make test` runs before pytest) writes
one static file that opens from the file system, with the project's overview, and
leaves the last build's run_results.json (and so the next publication) alone."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT
from test_report import CHROMIUM, CHROMIUM_ARGS

DOCS = ROOT / "target" / "docs" / "static_index.html"


def test_docs_open_from_the_file_system_with_the_overview():
    from playwright.sync_api import sync_playwright

    if not DOCS.exists():
        pytest.fail(f"{DOCS} is missing: run `make docs` first")
    errors = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(DOCS.as_uri(), wait_until="load", timeout=60_000)
            # the overview doc block is the landing page (rendered by the page's own
            # scripts from the embedded manifest: no fetch, so no hang from file://)
            heading = page.get_by_text("cpc_tor: commune-level estimates", exact=False)
            heading.first.wait_for(timeout=60_000)
            assert page.get_by_text("Ecological fallacy", exact=False).first.is_visible()
        finally:
            browser.close()
    assert not errors, errors


def test_docs_leave_the_build_publishable():
    """`make docs` ran after the build in `make test`: the build's record is intact."""
    results = json.loads((ROOT / "target" / "run_results.json").read_text())
    assert results["args"]["which"] == "build"
    docs_results = json.loads((ROOT / "target" / "docs" / "run_results.json").read_text())
    assert docs_results["args"]["which"] == "generate"

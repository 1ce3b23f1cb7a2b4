"""The HTML report: self-contained, deterministic, faithful to the published marts, and
rendered by a real browser (Debian's chromium, headless, driven by Playwright) with
every figure and table present and no console error.

The sample report reads `publish/current` (made by `make publish`, which `make test`
runs first). The published-mode report builds the authors' commune totals into a
throw-away database, publishes and renders them: the tile-level figures must be marked
unavailable, not broken.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, real_file, run_dbt

from analysis_py import publish as pub
from analysis_py import report

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FIGURES = [f"figure-{i}" for i in range(1, 6)] + ["figure-lisa"]
TABLES = [f"table-{i}" for i in range(1, 8)] + [
    "table-sensitivity",
    "table-robustness",
    "table-moran",
]
SPATIAL = {"figure-lisa", "table-moran"}
TILE_LEVEL = {"figure-3", "figure-4", "table-4"}


@pytest.fixture(scope="module")
def sample_publication() -> Path:
    current = ROOT / "publish" / "current"
    if not (current / "publication.json").exists():
        pytest.fail("no publication: run `make publish` (or `make run`) first")
    return current.resolve()


@pytest.fixture(scope="module")
def published_mode_publication(tmp_path_factory) -> Path:
    """The authors' cpc_com.csv with the sample's other sources. Their commune codes
    are real, the sample's are synthetic: the join-rate thresholds are lowered (vars) so
    that the build passes and can be published."""
    work = tmp_path_factory.mktemp("published_mode")
    run_dbt(
        ["build"],
        work,
        {
            "traffic_source": "published",
            "published_commune_totals_path": str(real_file("netmob_tor", "cpc_com.csv")),
            **{
                f"min_join_rate_{s}": 0
                for s in ("populations", "ssmsi", "elections", "insee_communes")
            },
        },
    )
    return pub.publish(work / "cpc_tor.duckdb", work / "target", work / "publish", 500, 3)


def test_same_publication_same_bytes_and_nothing_fetched(sample_publication):
    first = report.render(report.load(sample_publication))
    assert first == report.render(report.load(sample_publication))
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", first)
    assert "<script" not in first and "<link" not in first and "@import" not in first


def test_tables_show_the_published_values(sample_publication):
    html = report.render(report.load(sample_publication))
    with duckdb.connect() as con:
        cpc = str(sample_publication / "fct_commune_cpc.parquet")
        mean_rho, max_c = con.execute(
            f"select avg(rho), max(c) from read_parquet('{cpc}')"
        ).fetchone()
        corr = str(sample_publication / "fct_validation_correlations.parquet")
        rho_cpc = con.execute(
            f"""select spearman_rho from read_parquet('{corr}')
            where indicator = 'log_cpc_per_1000'"""
        ).fetchone()[0]
    table1 = html[html.index("id='table-1'") : html.index("id='table-sensitivity'")]
    assert f">{mean_rho:.4f}<" in table1 and f">{max_c:.4f}<" in table1
    table2 = html[html.index("id='table-2'") : html.index("id='table-3'")]
    assert f">{rho_cpc:.4f}<" in table2
    # suppressed communes are drawn as suppressed on the maps, never with a value
    assert "url(#suppressed)" in html


def _open_in_chromium(html_path: Path, screenshot: Path) -> dict:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium")
    messages, errors = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: messages.append((m.type, m.text)))
            page.on("pageerror", lambda e: errors.append(str(e)))
            failed = []
            page.on("requestfailed", lambda r: failed.append(r.url))
            page.goto(html_path.as_uri(), wait_until="load")
            found = {}
            for element_id in FIGURES + TABLES:
                node = page.locator(f"#{element_id}")
                assert node.count() == 1, f"{element_id} missing from the report"
                status = node.get_attribute("data-status")
                content = node.locator("svg, table").count()
                reason = node.locator(".reason").all_inner_texts()
                assert node.is_visible(), element_id
                found[element_id] = (status, content, reason)
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    assert not errors, errors
    assert not [m for m in messages if m[0] in ("error", "warning")], messages
    assert not failed, failed
    return found


def test_lisa_map_shows_the_published_clusters(sample_publication):
    """Each significant LISA commune of the publication (with a boundary) is one path
    filled with its quadrant's colour in the LISA figure; the others are grey or
    hatched."""
    html = report.render(report.load(sample_publication))
    figure = re.search(r"<figure id='figure-lisa'.*?</figure>", html, re.S).group(0)
    with duckdb.connect() as con:
        lisa = con.execute(
            f"""select l.variable, l.quadrant, count(*) from
            read_parquet('{sample_publication / "fct_commune_lisa.parquet"}') as l
            inner join read_parquet('{sample_publication / "dim_commune_boundaries.parquet"}')
                as b on l.code_com = b.code_com
            where l.is_significant group by all"""
        ).fetchall()
    expected = {}
    for _, quadrant, n in lisa:
        expected[quadrant] = expected.get(quadrant, 0) + n
    assert expected.get("HH", 0) > 0
    for quadrant, colour in report.LISA_COLOURS.items():
        assert figure.count(f"fill='{colour}'") == expected.get(quadrant, 0), quadrant


def test_sample_report_in_chromium(sample_publication, tmp_path):
    out = ROOT / "reports"
    out.mkdir(exist_ok=True)
    html_path = tmp_path / "index.html"
    html_path.write_text(report.render(report.load(sample_publication)), encoding="utf-8")
    found = _open_in_chromium(html_path, out / "screenshot-sample.png")
    for element_id, (status, content, _) in found.items():
        assert status == "available", element_id
        if element_id != "table-4":  # the sample's top tiles may hold no category n >= 3
            assert content > 0, element_id
    assert (out / "screenshot-sample.png").stat().st_size > 50_000


def test_published_mode_report_marks_tile_level_views_unavailable(
    published_mode_publication, tmp_path
):
    html_path = tmp_path / "index.html"
    html = report.render(report.load(published_mode_publication))
    html_path.write_text(html, encoding="utf-8")
    screenshot = tmp_path / "screenshot-published.png"
    found = _open_in_chromium(html_path, screenshot)
    shutil.copy(screenshot, ROOT / "reports" / "screenshot-published.png")
    for element_id in TILE_LEVEL:
        status, content, reason = found[element_id]
        assert status == "unavailable" and content == 0, element_id
        assert "tile-level NetMob traffic" in reason[0] and "traffic_source: published" in reason[0]
    for element_id in SPATIAL:
        status, content, reason = found[element_id]
        assert status == "unavailable" and content == 0, element_id
        assert "polygons" in reason[0], element_id
    for element_id in (
        "figure-1",
        "figure-2",
        "table-1",
        "table-2",
        "table-sensitivity",
        "table-robustness",
    ):
        status, content, _ = found[element_id]
        assert status == "available" and content > 0, element_id
    # the sample's controls carry synthetic commune codes: few real communes join, and
    # the regression tables say why they could not be estimated
    for element_id in ("table-3", "table-5", "table-6", "table-7"):
        status, content, reason = found[element_id]
        assert status == "available" or "not_estimable" in reason[0], element_id
    # the published totals: 1,341 communes in Table 1's caption
    assert "1,341 communes" in html

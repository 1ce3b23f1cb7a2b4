"""The HTML report: self-contained, deterministic, faithful to the published marts, and
rendered by a real browser (Debian's chromium, headless, driven by Playwright) with
every figure and table present and no console error.

The sample report reads `publish/current` (made by `make publish`, which `make test`
runs first); the published mode's report is tested with that mode's build
(test_published_mode).
"""

from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path

import duckdb
import numpy as np
import pytest
from conftest import ROOT

from analysis_py.report.data import load
from analysis_py.report.render import render
from analysis_py.report.sections import LISA_COLOURS

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
FIGURES = [f"figure-{i}" for i in range(1, 6)] + ["figure-lisa", "figure-funnel"]
TABLES = [f"table-{i}" for i in range(1, 8)] + [
    "table-communes",
    "table-sensitivity",
    "table-robustness",
    "table-moran",
    "table-filter",
    "table-sources",
]
# colour scales each figure must show: one per heatmap, one per map panel set
COLOUR_SCALES = {"figure-3": 6, "figure-4": 1, "figure-5": 2, "figure-lisa": 2}
# the smallest text a reader meets on a 600 px screen, in CSS pixels
MIN_TEXT_PX = 9
# every text of the page and of its figures (SVG text scaled with its figure), with the
# size it is drawn at, in CSS pixels: [size, text, where]
TEXT_SIZES_JS = """() => {
  const out = [];
  for (const t of document.querySelectorAll('svg.chart text')) {
    const m = t.getScreenCTM();
    const size = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
    const box = t.getBoundingClientRect();
    if (t.textContent.trim() && box.width > 0)
      out.push([size, t.textContent.trim().slice(0, 40), t.closest('figure,section')?.id]);
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || el.closest('svg')) continue;
    if (el.getClientRects().length === 0) continue;
    out.push([parseFloat(getComputedStyle(el).fontSize), node.textContent.trim().slice(0, 40),
              el.closest('figure,section')?.id]);
  }
  return out;
}"""
SPATIAL = {"figure-lisa", "table-moran"}
TILE_LEVEL = {"figure-3", "figure-4", "table-4"}


@pytest.fixture(scope="module")
def sample_publication() -> Path:
    current = ROOT / "publish" / "current"
    if not (current / "publication.json").exists():
        pytest.fail("no publication: run `make publish` (or `make run`) first")
    return current.resolve()


def test_same_publication_same_bytes_and_nothing_fetched(sample_publication):
    first = render(load(sample_publication))
    assert first == render(load(sample_publication))
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", first)
    assert "<script" not in first and "<link" not in first and "@import" not in first
    # matplotlib's SVG: no date, and ids unique on the page (one hash salt per figure)
    assert "<dc:date>" not in first
    ids = re.findall(r"""\sid=["']([^"']+)["']""", first)
    assert len(ids) == len(set(ids)), [i for i in set(ids) if ids.count(i) > 1][:5]


def test_banner_says_where_the_data_come_from(sample_publication):
    """The default build's report says first that its data are synthetic, with the
    generator's seed (read from the sample's manifest here, independently)."""
    html = render(load(sample_publication))
    manifest = json.loads((ROOT / "data/raw_sample/_truth/manifest.json").read_text())
    seed = manifest["options"]["seed"]
    banner = re.search(r"<div id=\"data-origin\".*?</div>", html, re.S).group(0)
    assert html.index('id="data-origin"') < html.index("<h1>")
    assert "Synthetic data" in banner and f"seed {seed}" in banner
    record = json.loads((sample_publication / "publication.json").read_text())
    assert record["data_origin"]["kind"] == "synthetic_sample"
    assert record["data_origin"]["synthetic_seed"] == seed


def test_tables_show_the_published_values(sample_publication):
    html = render(load(sample_publication))
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
    table1 = html[html.index('id="table-1"') : html.index('id="table-sensitivity"')]
    assert f">{mean_rho:.4f}<" in table1 and f">{max_c:.4f}<" in table1
    table2 = html[html.index('id="table-2"') : html.index('id="table-3"')]
    assert f">{rho_cpc:.4f}<" in table2
    # each commune with a boundary is drawn once on Figure 5: hatched exactly where the
    # publication suppressed its rate, in its quintile class otherwise
    with duckdb.connect() as con:
        rates = dict(
            con.execute(
                f"""select c.code_com, c.cpc_per_1000 from read_parquet('{cpc}') as c
                inner join read_parquet('{sample_publication / "dim_commune_boundaries.parquet"}')
                    as b on c.code_com = b.code_com"""
            ).fetchall()
        )
    drawn = dict(re.findall(r'id="figure-5-commune-(\w+)-(suppressed|class\d)"', html))
    assert drawn.keys() == rates.keys()
    assert {c for c, k in drawn.items() if k == "suppressed"} == {
        c for c, v in rates.items() if v is None
    }
    assert any(v is None for v in rates.values())


def open_in_chromium(html_path: Path, screenshot: Path, figures_to: Path | None = None) -> dict:
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
            banner = page.locator("#data-origin")
            box = banner.bounding_box()
            assert banner.is_visible() and box["y"] + box["height"] <= 900  # first screen
            found = {"data-origin": banner.inner_text()}
            for element_id in FIGURES + TABLES:
                node = page.locator(f"#{element_id}")
                assert node.count() == 1, f"{element_id} missing from the report"
                status = node.get_attribute("data-status")
                content = node.locator("svg, table").count()
                reason = node.locator(".reason").all_inner_texts()
                assert node.is_visible(), element_id
                scales = node.locator("[id^='colour-scale-']")
                if status == "available" and element_id in COLOUR_SCALES:
                    assert scales.count() >= COLOUR_SCALES[element_id], element_id
                    assert all(scales.nth(i).is_visible() for i in range(scales.count()))
                found[element_id] = (status, content, reason)
                if figures_to is not None and status == "available" and element_id in COLOUR_SCALES:
                    node.screenshot(path=str(figures_to / f"screenshot-{element_id}.png"))
            page.screenshot(path=str(screenshot), full_page=True)
            # readable from 600 px: the page itself never scrolls sideways (wide tables
            # scroll in their box), every chart fits its column
            page.set_viewport_size({"width": 600, "height": 900})
            assert page.evaluate("document.documentElement.scrollWidth") <= 600
            sizes = page.evaluate(TEXT_SIZES_JS)
            assert len(sizes) > 500
            small = sorted(
                {(round(px, 1), text, where) for px, text, where in sizes if px < MIN_TEXT_PX}
            )
            assert small == [], small[:10]
            found["text-sizes"] = sizes
            too_wide = page.evaluate(
                "[...document.querySelectorAll('svg.chart')].filter("
                "s => s.getBoundingClientRect().right > 600).length"
            )
            assert too_wide == 0
            page.screenshot(path=str(screenshot.with_name(screenshot.stem + "-600px.png")))
        finally:
            browser.close()
    assert not errors, errors
    assert not [m for m in messages if m[0] in ("error", "warning")], messages
    assert not failed, failed
    return found


def test_lisa_map_shows_the_published_clusters(sample_publication):
    """Each LISA commune of the publication with a boundary is one path of each LISA
    map, in its quadrant's colour exactly when significant, hatched when suppressed."""
    html = render(load(sample_publication))
    figure = re.search(r'<figure id="figure-lisa".*?</figure>', html, re.S).group(0)
    with duckdb.connect() as con:
        lisa = con.execute(
            f"""select l.variable, l.code_com, l.quadrant, l.is_significant from
            read_parquet('{sample_publication / "fct_commune_lisa.parquet"}') as l
            inner join read_parquet('{sample_publication / "dim_commune_boundaries.parquet"}')
                as b on l.code_com = b.code_com"""
        ).fetchall()
    variables = ["log_cpc_per_1000", "sexual_violence_per_1000"]
    # every commune of the LISA mart is drawn on both maps; one without a value for a
    # variable (no row, or suppressed) is hatched there
    expected = {(i, code): "suppressed" for i in range(2) for _, code, _, _ in lisa}
    expected.update(
        {
            (variables.index(v), code): (
                "suppressed" if q is None else f"{q}-{'significant' if s else 'not-significant'}"
            )
            for v, code, q, s in lisa
        }
    )
    drawn = {
        (int(i), code): kind
        for i, code, kind in re.findall(r'id="figure-lisa-(\d)-commune-(\w+)-([\w-]+)"', figure)
    }
    assert drawn == expected
    assert any(k == "HH-significant" for k in drawn.values())
    # the significant ones in their quadrant's colour
    for quadrant, colour in LISA_COLOURS.items():
        n = sum(k == f"{quadrant}-significant" for k in drawn.values())
        pattern = rf'-{quadrant}-significant">\s*<path[^>]*fill: {colour}'
        assert len(re.findall(pattern, figure)) == n, quadrant


def test_sample_report_in_chromium(sample_publication, tmp_path):
    out = ROOT / "reports"
    out.mkdir(exist_ok=True)
    html_path = tmp_path / "index.html"
    html_path.write_text(render(load(sample_publication)), encoding="utf-8")
    found = open_in_chromium(html_path, out / "screenshot-sample.png", figures_to=out)
    assert "Synthetic data" in found.pop("data-origin")
    assert min(px for px, _, _ in found.pop("text-sizes")) >= MIN_TEXT_PX
    for element_id, (status, content, _) in found.items():
        assert status == "available", element_id
        if element_id != "table-4":  # the sample's top tiles may hold no category n >= 3
            assert content > 0, element_id
    assert (out / "screenshot-sample.png").stat().st_size > 50_000


def test_every_figure_carries_the_origin_in_its_own_image(sample_publication):
    """A figure copied out of the report still says its data are synthetic: each SVG
    holds the banner as text of its own."""
    html = render(load(sample_publication))
    record = json.loads((sample_publication / "publication.json").read_text())
    banner = record["data_origin"]["figure_banner"]
    assert banner.startswith("SYNTHETIC DATA (seed ")
    svgs = re.findall(r"<svg .*?</svg>", html, re.S)
    assert len(svgs) >= 10
    for svg in svgs:
        assert re.search(r'<g id="[\w-]+-origin-banner">', svg), svg[:200]
        assert html_lib.escape(banner, quote=False) in svg, svg[:200]


def test_commune_table_funnel_and_interval_map_show_the_published_communes(sample_publication):
    """The commune table lists every published commune with a rate, by rate, with the
    publication's interval and rank range; the funnel plot draws each of them once, and
    the points outside its 99.8 % limits are those the limits computed here from the
    published file exclude; Figure 5 has the map of interval widths, and Figure 1 an
    interval for each of France's three bars."""
    from analysis_py.stats.funnel import funnel

    html = render(load(sample_publication))
    with duckdb.connect() as con:
        rows = con.execute(
            f"""select commune_name, code_com, pop, cpc_per_1000, cpc_per_1000_ci_low,
            cpc_per_1000_ci_high, cpc_rank, cpc_rank_ci_low, cpc_rank_ci_high
            from read_parquet('{sample_publication / "fct_commune_cpc.parquet"}')
            where cpc_per_1000 is not null and pop > 0
            order by cpc_per_1000 desc, code_com"""
        ).fetchall()
    table = _table_rows(html, "table-communes-data")
    assert len(table) == len(rows) > 50
    for shown, (name, code, pop, value, _low, _high, rank, rank_low, rank_high) in zip(
        table, rows, strict=True
    ):
        assert shown[0] == str(rank) and shown[1] == f"{name} ({code})"
        assert shown[3] == f"{pop:,}"
        assert shown[6] == f"{rank_low}–{rank_high}"
        assert float(shown[4].replace(",", "")) == pytest.approx(value, rel=2e-3)
    figure = re.search(r'<figure id="figure-funnel".*?</figure>', html, re.S).group(0)
    points = re.findall(r'id="figure-funnel-area-(\d+)-(inside|outside)"', figure)
    assert len(points) == len(rows)
    population = np.array([r[2] for r in rows], float)
    values = np.array([r[3] for r in rows], float)
    f = funnel(values, population)
    low, high = f.limits(population, 0.998)
    expected_outside = int(((values < low) | (values > high)).sum())
    assert sum(kind == "outside" for _, kind in points) == expected_outside
    figure5 = re.search(r'<figure id="figure-5".*?</figure>', html, re.S).group(0)
    assert "figure-5-width-commune-" in figure5
    figure1 = re.search(r'<figure id="figure-1".*?</figure>', html, re.S).group(0)
    assert len(re.findall(r'id="figure-1-interval-\d+"', figure1)) == 3


def _table_rows(html: str, table_id: str) -> list[list[str]]:
    table = re.search(rf"<table id='{table_id}'.*?</table>", html, re.S).group(0)
    body = table[table.index("<tbody>") :]
    return [
        [
            html_lib.unescape(re.sub(r"<[^>]+>", "", cell))
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_filter_and_source_sections_show_the_published_counts(sample_publication):
    """The keyword-filter and source-audit tables hold the counts DuckDB computes from
    the same Parquet files (a second implementation of the report's aggregation)."""
    html = render(load(sample_publication))
    with duckdb.connect() as con:
        export = str(sample_publication / "fct_query_export_anonymised.parquet")
        by_rule = dict(
            (code or "none", (n, occ))
            for code, n, occ in con.execute(
                f"select rule_code, count(*), sum(n_occurrences) from read_parquet('{export}') "
                "group by all"
            ).fetchall()
        )
        rates = con.execute(
            "select rate, source, numerator, denominator, estimate from read_parquet("
            f"'{sample_publication / 'fct_filter_error_rates.parquet'}')"
        ).fetchall()
        audit = con.execute(
            "select check_name, count(*), sum(n_expected), sum(n_found), bool_and(passed) "
            f"from read_parquet('{sample_publication / 'fct_source_audit.parquet'}') "
            "group by all order by check_name"
        ).fetchall()
    rules = {row[0]: row for row in _table_rows(html, "table-filter-rules")}
    assert set(rules) == {"00", "01", "02", "03", "04", "05", "none"}
    for code, (n, occurrences) in by_rule.items():
        assert rules[code][2:4] == [f"{n:,}", f"{int(occurrences):,}"], code
    shown = _table_rows(html, "table-filter-rates")
    assert len(shown) == len(rates)
    cells = {(r[1].split()[0], r[2]) for r in shown}
    for rate, _, numerator, denominator, estimate in rates:
        label = "f'+" if rate == "f_prime_plus" else "f-"
        assert (label, f"{numerator:,} of {denominator:,}") in cells
        assert any(r[3] == f"{100 * estimate:,.2f} %" for r in shown), rate
    sources = _table_rows(html, "table-sources-data")
    assert [(r[0], r[1], r[2], r[3], r[6]) for r in sources] == [
        (name, str(n), f"{expected:,}", f"{found:,}", "yes" if ok else "NO")
        for name, n, expected, found, ok in audit
    ]

"""Exports of the regression tables as Markdown and HTML (paper style).

    cpc-tor export --db target/cpc_tor.duckdb --out reports/tables

reads the tidy mart fct_regressions (read-only), makes the side-by-side tables with the
report's function (analysis_py.report.tables.side_by_side) for the covariance type of
the build's tables (var regression_cov_type), and writes regression_tables.md and
regression_tables.html, one table per paper table, robust SE type stated.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis_py.engines.duck import connect
from analysis_py.publication.manifest import read_settings
from analysis_py.report.tables import cov_note, render_html, render_markdown, side_by_side


def regression_tables(con) -> dict[str, tuple[str, pd.DataFrame, str]]:
    """Paper table -> (title, side-by-side table, note), from the tidy mart."""
    cov_type = read_settings(con)["regression_cov_type"]
    tidy = con.execute("select * from marts.fct_regressions where cov_type = ?", [cov_type]).df()
    note = cov_note(tidy)
    return {k: (title, t, note) for k, (title, t) in side_by_side(tidy).items()}


def export(db: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    with connect(str(db), read_only=True) as con:
        tables = regression_tables(con)
    if not tables:
        raise SystemExit(f"{db}: marts.fct_regressions holds no estimated model")
    md = "\n".join(
        render_markdown(t, title, note) for _, (title, t, note) in sorted(tables.items())
    )
    body = "\n".join(render_html(t, title, note) for _, (title, t, note) in sorted(tables.items()))
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Regression tables</title></head><body>" + body + "</body></html>\n"
    )
    paths = [out / "regression_tables.md", out / "regression_tables.html"]
    paths[0].write_text(md)
    paths[1].write_text(html)
    return paths

"""Exports of the regression tables as Markdown and HTML (paper style).

    python -m analysis_py.export --db target/cpc_tor.duckdb --out reports/tables

reads the mart fct_regression_table_wide (read-only) and writes regression_tables.md and
regression_tables.html, one table per paper table, robust SE type stated.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from analysis_py.duck import connect
from analysis_py.validation import render_html, render_markdown, tables_from_wide


def cov_note(regressions: pd.DataFrame) -> str:
    """The tables' footnote: the covariance type of the estimated models, stars, caution."""
    estimated = regressions[regressions["status"] == "estimated"]
    cov_text = ", ".join(sorted(set(estimated["cov_type"].dropna()))) or "n/a"
    return (
        f"Heteroscedasticity-robust SE ({cov_text}) in parentheses; * p<0.1; ** p<0.05; "
        "*** p<0.01. Area-level associations from exploratory estimates, not causal effects."
    )


def regression_tables(con) -> dict[str, tuple[str, pd.DataFrame, str]]:
    """Paper table -> (title, side-by-side table, note), read from the wide mart."""
    wide = con.execute("select * from marts.fct_regression_table_wide").df()
    regressions = con.execute("select status, cov_type from marts.fct_regressions").df()
    note = cov_note(regressions[regressions["cov_type"].isin(set(wide["cov_type"]))])
    wide = wide.drop(columns="cov_type")
    return {k: (title, t, note) for k, (title, t) in tables_from_wide(wide).items()}


def export(db: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    with connect(str(db), read_only=True) as con:
        tables = regression_tables(con)
    if not tables:
        raise SystemExit(f"{db}: marts.fct_regression_table_wide holds no estimated model")
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Export the paper-style regression tables.")
    parser.add_argument("--db", type=Path, required=True, help="DuckDB file with the marts")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    args = parser.parse_args(argv)
    for path in export(args.db, args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

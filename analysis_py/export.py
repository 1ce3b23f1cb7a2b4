"""Exports of the regression tables as Markdown and HTML (paper style).

    python -m analysis_py.export --db target/cpc_tor.duckdb --out reports/tables

reads the mart fct_regression_table (read-only) and writes regression_tables.md and
regression_tables.html, one table per paper table, robust SE type stated.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from analysis_py.duck import connect
from analysis_py.validation import render_html, render_markdown

TITLES = {
    "Table 3": "Table 3: cpc estimates and victims of sexual violence (mean 2017-21), by commune",
    "Table 5": "Table 5: cpc estimates controlling for the drug-use rate",
    "Table 6": "Table 6: communes with at least one reported case of sexual violence",
    "Table 7": "Table 7: cpc estimates without and with a two-hour Tor lag",
}


def regression_tables(con) -> dict[str, tuple[pd.DataFrame, str]]:
    """Paper table -> (side-by-side table, note) from the marts."""
    cells = con.execute(
        "select paper_table, term, line_order, column_label, cell from marts.fct_regression_table"
    ).df()
    cov = con.execute(
        "select distinct cov_type from marts.fct_regressions where status = 'estimated'"
    ).fetchall()
    cov_text = ", ".join(sorted(c[0] for c in cov)) or "n/a"
    note = (
        f"Heteroscedasticity-robust SE ({cov_text}) in parentheses; * p<0.1; ** p<0.05; "
        "*** p<0.01. Area-level associations from exploratory estimates, not causal effects."
    )
    out = {}
    for paper_table, part in cells.groupby("paper_table", sort=True):
        order = part.groupby("term")["line_order"].min().sort_values().index
        table = part.pivot(index="term", columns="column_label", values="cell").loc[order]
        columns = list(dict.fromkeys(part["column_label"]))
        out[paper_table] = (table[columns].rename_axis("term"), note)
    return out


def export(db: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    with connect(str(db), read_only=True) as con:
        tables = regression_tables(con)
    if not tables:
        raise SystemExit(f"{db}: marts.fct_regression_table holds no estimated model")
    md = "\n".join(
        render_markdown(t, TITLES.get(k, k), note) for k, (t, note) in sorted(tables.items())
    )
    body = "\n".join(
        render_html(t, TITLES.get(k, k), note) for k, (t, note) in sorted(tables.items())
    )
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

"""The paper-style regression tables (Tables 3, 5, 6, 7), derived from the one tidy
shape of the regressions (fct_regressions: one row per model x term x covariance type,
with the model's order, the term's paper label and the table's title). The one
reshape: :func:`side_by_side` gives each paper table with one column per model, and the
report, the Markdown/HTML export and the mart fct_regression_table_wide all use it.

Formatted here rather than with statsmodels' ``summary_col``, which needs the fitted
results objects: the tables are rebuilt from the published tidy rows, and a model
reported as not estimable has no results object.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

WIDE_KEYS = ["paper_table", "table_title", "line_order", "term"]
INTERCEPT = "(Intercept)"


def fmt_estimate(x: float) -> str:
    """Two decimals as the paper, more for small values (0.003, -0.0001)."""
    if x == 0 or abs(x) >= 0.01:
        return f"{x:.2f}"
    digits = int(np.ceil(-np.log10(abs(x))))
    return f"{x:.{digits}f}"


def side_by_side(tidy: pd.DataFrame) -> dict[str, tuple[str, pd.DataFrame]]:
    """Paper table -> (title, table): one column per estimated model (label
    ``column_label``, in ``model_order``), a row per term in the models' order, labelled
    by ``term_label``, with the cell "estimate stars (SE)", the constant last, then
    Observations, R² and Adjusted R². ``tidy`` holds the rows of one covariance type."""
    out = {}
    estimated = tidy[tidy["status"] == "estimated"]
    for paper_table, part in estimated.groupby("paper_table", sort=True):
        part = part.sort_values(["model_order", "term_order"])
        models = list(dict.fromkeys(part["model_id"]))
        labels = dict(zip(part["term"], part["term_label"], strict=False))
        # terms by their place in the models (a term's first place), the constant last
        order = [t for t in dict.fromkeys(part.sort_values("term_order")["term"]) if t != INTERCEPT]
        order.append(INTERCEPT)
        columns = {}
        for model in models:
            m = part[part["model_id"] == model].set_index("term")
            cells = [
                f"{fmt_estimate(m.at[t, 'estimate'])}{m.at[t, 'stars']} "
                f"({fmt_estimate(m.at[t, 'std_error'])})"
                if t in m.index
                else ""
                for t in order
            ]
            first = m.iloc[0]
            cells += [str(int(first["n"])), f"{first['r2']:.2f}", f"{first['adj_r2']:.2f}"]
            columns[str(first["column_label"])] = cells
        index = [labels.get(t) or t for t in order] + ["Observations", "R²", "Adjusted R²"]
        table = pd.DataFrame(columns, index=pd.Index(index, name="term"))
        out[str(paper_table)] = (str(part["table_title"].iloc[0]), table)
    return out


def wide_frame(tables: dict[str, tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    """The tables of :func:`side_by_side` stacked for a mart (fct_regression_table_wide):
    one row per paper table and line, and for the k-th model of the table
    ``model_k_label`` and ``model_k`` (its cells). Tables with fewer models leave the
    higher columns NULL."""
    frames = []
    for paper_table, (title, table) in sorted(tables.items()):
        frame = pd.DataFrame(
            {
                "paper_table": paper_table,
                "table_title": title,
                "line_order": range(len(table)),
                "term": table.index,
            }
        )
        for k, label in enumerate(table.columns, start=1):
            frame[f"model_{k}_label"] = label
            frame[f"model_{k}"] = table[label].to_numpy()
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=[*WIDE_KEYS, "model_1_label", "model_1"])
    wide = pd.concat(frames, ignore_index=True)
    wide["line_order"] = wide["line_order"].astype("int64")
    return wide


def cov_note(regressions: pd.DataFrame) -> str:
    """The tables' footnote: the covariance type of the estimated models, stars, caution."""
    estimated = regressions[regressions["status"] == "estimated"]
    cov_text = ", ".join(sorted(set(estimated["cov_type"].dropna()))) or "n/a"
    return (
        f"Heteroscedasticity-robust SE ({cov_text}) in parentheses; * p<0.1; ** p<0.05; "
        "*** p<0.01. Area-level associations from exploratory estimates, not causal effects."
    )


def _md(text: object) -> str:
    """Escape Markdown's emphasis and table characters, so stars stay literal."""
    return str(text).replace("\\", "\\\\").replace("*", "\\*").replace("|", "\\|")


def render_markdown(table: pd.DataFrame, title: str, note: str) -> str:
    header = "| " + " | ".join(_md(c) for c in [table.index.name or "", *table.columns]) + " |"
    rule = "|" + "|".join(["---"] * (len(table.columns) + 1)) + "|"
    body = [
        "| " + " | ".join(_md(v) for v in [i, *row]) + " |"
        for i, row in zip(table.index, table.to_numpy(), strict=True)
    ]
    return "\n".join([f"### {_md(title)}", "", header, rule, *body, "", f"Note: {_md(note)}", ""])


def render_html(table: pd.DataFrame, title: str, note: str) -> str:
    esc = html.escape
    head = "".join(f"<th>{esc(str(c))}</th>" for c in [table.index.name or "", *table.columns])
    rows = "".join(
        '<tr><th scope="row">'
        + esc(str(i))
        + "</th>"
        + "".join(f"<td>{esc(str(v))}</td>" for v in row)
        + "</tr>"
        for i, row in zip(table.index, table.to_numpy(), strict=True)
    )
    return (
        f'<table class="regression"><caption>{esc(title)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody>"
        f'<tfoot><tr><td colspan="{len(table.columns) + 1}">{esc(note)}</td></tr></tfoot></table>'
    )

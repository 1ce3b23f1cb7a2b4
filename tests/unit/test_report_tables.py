"""The report's presentation on small hand-made frames: number formats, the one
side-by-side regression table (cells, order, labels, the wide shape of its mart), the
Markdown and HTML renderings, deterministic SVG with unique ids, quantile classes and
the commune maps' per-commune ids."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analysis_py.report import charts, maps
from analysis_py.report.data import fmt, interval
from analysis_py.report.sections.common import html_table
from analysis_py.report.tables import (
    fmt_estimate,
    render_html,
    render_markdown,
    side_by_side,
    wide_frame,
)


@pytest.mark.parametrize(
    "value, digits, text",
    [
        (None, 3, "–"),
        (float("nan"), 3, "–"),
        (True, 3, "yes"),
        (12345, 3, "12,345"),
        (np.int64(7), 3, "7"),
        (0.5, 3, "0.500"),
        (1234.5678, 2, "1,234.57"),
        (0.0001, 3, "1.000e-04"),
        (2.5e7, 1, "2.5e+07"),
        (0.0, 3, "0.000"),
    ],
)
def test_fmt(value, digits, text):
    assert fmt(value, digits) == text


def test_interval_text():
    assert interval(0.1, 0.25, 2) == "[0.10, 0.25]"
    assert interval(None, 0.2) == "–"


@pytest.mark.parametrize(
    "x, text", [(0.0, "0.00"), (1.234, "1.23"), (-0.004, "-0.004"), (0.00012, "0.0001")]
)
def test_estimates_are_printed_as_the_paper(x, text):
    assert fmt_estimate(x) == text


def _tidy() -> pd.DataFrame:
    """Two models of one table, the second with an extra term, one not estimable."""
    rows = []
    for model, order, terms in (("m_a", 1, ["a"]), ("m_b", 2, ["a", "b"])):
        for k, term in enumerate(["(Intercept)", *terms]):
            rows.append(
                {
                    "model_id": model,
                    "model_order": order,
                    "paper_table": "Table 3",
                    "table_title": "Table 3. Hand-made",
                    "column_label": model.upper(),
                    "term": term,
                    "term_order": k,
                    "term_label": {"(Intercept)": "Constant", "a": "A", "b": "B"}[term],
                    "estimate": 0.123 * (k + 1) * order,
                    "std_error": 0.01,
                    "stars": "**" if k else "",
                    "n": 100 * order,
                    "r2": 0.5,
                    "adj_r2": 0.45,
                    "status": "estimated",
                }
            )
    rows.append(
        {
            "model_id": "m_c",
            "model_order": 3,
            "paper_table": "Table 3",
            "status": "not_estimable: x",
        }
    )
    return pd.DataFrame(rows)


def test_side_by_side_cells_order_and_labels():
    tables = side_by_side(_tidy())
    title, table = tables["Table 3"]
    assert title == "Table 3. Hand-made"
    assert list(table.columns) == ["M_A", "M_B"]
    assert list(table.index) == ["A", "B", "Constant", "Observations", "R²", "Adjusted R²"]
    assert table.loc["A", "M_A"] == "0.25** (0.01)"
    assert table.loc["B", "M_A"] == ""
    assert table.loc["B", "M_B"] == "0.74** (0.01)"
    assert table.loc["Observations", "M_B"] == "200"


def test_the_wide_mart_is_the_side_by_side_table():
    tables = side_by_side(_tidy())
    wide = wide_frame(tables)
    assert list(wide.columns) == [
        "paper_table",
        "table_title",
        "line_order",
        "term",
        "model_1_label",
        "model_1",
        "model_2_label",
        "model_2",
    ]
    back = wide.set_index("term")[["model_1", "model_2"]]
    back.columns = ["M_A", "M_B"]
    assert back.to_numpy().tolist() == tables["Table 3"][1].to_numpy().tolist()


def test_markdown_keeps_stars_literal_and_html_escapes():
    _, table = side_by_side(_tidy())["Table 3"]
    md = render_markdown(table, "T | 3", "note*")
    assert "0.25\\*\\* (0.01)" in md and "T \\| 3" in md and "Note: note\\*" in md
    html = render_html(table.rename(columns={"M_A": "<a>"}), "t", "n")
    assert "&lt;a&gt;" in html and "<a>" not in html


def test_html_table_right_aligns_numbers_and_escapes_text():
    frame = pd.DataFrame({"name": ["<b>"], "value": [1234.5]})
    html = str(html_table(frame, "t1", "caption"))
    assert "<td>&lt;b&gt;</td>" in html
    assert "<td class='num'>1,234.500</td>" in html
    assert "<caption>caption</caption>" in html


def test_svg_is_deterministic_and_its_ids_are_prefixed():
    a = charts.bar_chart(["x", "y"], [1.0, -2.0], "fig-a", "unit")
    b = charts.bar_chart(["x", "y"], [1.0, -2.0], "fig-a", "unit")
    assert a == b
    ids = [i for i in __import__("re").findall(r'\sid="([^"]+)"', a)]
    assert ids and all(i.startswith("fig-a-") for i in ids)
    assert 'width="' not in a.split(">", 1)[0]


def test_quantile_breaks_equal_numpy():
    values = pd.Series([5.0, 1, 3, 2, 4, None, 9, 7, 8, 6])
    assert maps.quantile_breaks(values, 5) == pytest.approx(
        list(np.quantile(values.dropna(), [0.2, 0.4, 0.6, 0.8]))
    )


def _square(x0: float, y0: float, d: float = 0.01) -> str:
    ring = [[x0, y0], [x0 + d, y0], [x0 + d, y0 + d], [x0, y0 + d], [x0, y0]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def test_class_maps_draw_each_commune_with_its_class_or_hatched():
    communes = pd.DataFrame(
        {
            "code_com": ["06001", "06002", "06003", "35001"],
            "city": ["Nice", "Nice", "Nice", "Rennes"],
            "commune_boundary_geojson": [
                _square(7.2, 43.7),
                _square(7.21, 43.7),
                _square(7.22, 43.7),
                _square(-1.6, 48.1),
            ],
            "value": [1.0, 2.0, None, 3.0],
        }
    )
    svg = maps.class_maps(communes, "value", [1.5, 2.5], "per 1000", "fig-m")
    drawn = dict(__import__("re").findall(r'id="fig-m-commune-(\w+)-(suppressed|class\d)"', svg))
    assert drawn == {"06001": "class0", "06002": "class1", "06003": "suppressed", "35001": "class2"}
    assert 'id="colour-scale-fig-m-0"' in svg

"""The paper's figures and tables as one self-contained HTML page, from the published
marts only (the Parquet files of a publication, see analysis_py.publish).

    python -m analysis_py.report --publication publish/current --out reports/index.html

No script, no font, no image and no style sheet is fetched: the charts are inline SVG
and the page works offline. The same publication gives the same bytes. Figures and
tables whose marts are absent from the publication (the tile-level views when the
traffic comes from the authors' published commune totals) are marked unavailable,
with the reason; values suppressed by the publication's small-area rules are shown as
suppressed, never estimated.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from html import escape
from pathlib import Path

import duckdb
import pandas as pd

from analysis_py.export import cov_note
from analysis_py.validation import tables_from_wide

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# viridis, 9 stops (sequential, colour-blind safe)
PALETTE = [
    "#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c",
    "#28ae80", "#5ec962", "#addc30", "#fde725",
]  # fmt: skip
MAP_CLASSES = 5
TILE_LEVEL = "needs the tile-level NetMob traffic"
SPATIAL_NEED = "needs the study communes' polygons of a NetMob build"


@dataclass
class Publication:
    folder: Path
    record: dict
    tables: dict[str, pd.DataFrame]

    def get(self, name: str) -> pd.DataFrame | None:
        return self.tables.get(name)

    @property
    def settings(self) -> dict:
        return self.record.get("settings", {})


def load(folder: Path) -> Publication:
    """Read every Parquet file of a publication folder (``current`` or a version)."""
    folder = folder.resolve()
    record_path = folder / "publication.json"
    if not record_path.exists():
        raise FileNotFoundError(
            f"{record_path}: not a publication (run `make publish` or analysis_py.publish first)"
        )
    record = json.loads(record_path.read_text())
    tables = {}
    with duckdb.connect() as con:
        for name in sorted(record["tables"]):
            path = folder / f"{name}.parquet"
            tables[name] = con.execute(f"select * from read_parquet('{path}')").df()
    return Publication(folder, record, tables)


# ------------------------------------------------------------------ formatting


def fmt(value, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "–"
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return f"{value:,}"
    value = float(value)
    if value != 0 and (abs(value) < 10 ** (-digits) or abs(value) >= 1e6):
        return f"{value:.{digits}e}"
    return f"{value:,.{digits}f}"


def interval(low, high, digits: int = 3) -> str:
    """'[low, high]' for reading, '–' when there is no interval."""
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return "–"
    return f"[{fmt(float(low), digits)}, {fmt(float(high), digits)}]"


def colour(t: float) -> str:
    """Viridis colour for t in [0, 1]."""
    t = min(max(t, 0.0), 1.0) * (len(PALETTE) - 1)
    i = min(int(t), len(PALETTE) - 2)
    f = t - i
    a, b = PALETTE[i], PALETTE[i + 1]
    mix = [round(int(a[k : k + 2], 16) * (1 - f) + int(b[k : k + 2], 16) * f) for k in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in mix)


def html_table(frame: pd.DataFrame, table_id: str, caption: str, digits: int = 3) -> str:
    head = "".join(f"<th scope='col'>{escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for value in record:
            if isinstance(value, str):
                cells.append(f"<td>{escape(value)}</td>")
            else:
                cells.append(f"<td class='num'>{escape(fmt(value, digits))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f"<table id='{table_id}' class='data'><caption>{caption}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def unavailable(kind: str, element_id: str, title: str, reason: str) -> str:
    tag = "figure" if kind == "figure" else "section"
    return (
        f"<{tag} id='{element_id}' class='unavailable' data-status='unavailable'>"
        f"<h3>{title}</h3><p class='reason'>Unavailable: {escape(reason)}.</p></{tag}>"
    )


def figure(element_id: str, title: str, body: str, caption: str) -> str:
    return (
        f"<figure id='{element_id}' data-status='available'><h3>{title}</h3>{body}"
        f"<figcaption>{caption}</figcaption></figure>"
    )


def table_section(element_id: str, title: str, body: str, note: str = "") -> str:
    note_html = f"<p class='note'>{note}</p>" if note else ""
    return (
        f"<section id='{element_id}' class='table' data-status='available'><h3>{title}</h3>"
        f"{body}{note_html}</section>"
    )


def _missing_reason(pub: Publication, mart: str, need: str = TILE_LEVEL) -> str:
    source = pub.settings.get("traffic_source", "netmob")
    if source == "published":
        return (
            f"{need}; this publication was built from the authors' published commune "
            f"totals (traffic_source: published), so {mart} does not exist"
        )
    return f"the mart {mart} is not in this publication"


# ------------------------------------------------------------------ charts


def _suppressed(title: str) -> str:
    return (
        f"<p class='suppressed'>{escape(title)}: suppressed by the publication's small-area "
        "rule.</p>"
    )


def bar_chart(labels: list[str], values: list[float], width=640, bar=18, unit="") -> str:
    """Horizontal bars (negative values to the left of a zero line)."""
    label_w, pad = 190, 8
    lo, hi = min(0.0, *values), max(0.0, *values)
    span = (hi - lo) or 1.0
    plot_w = width - label_w - 90
    height = pad * 2 + bar * len(values) * 1.4
    x0 = label_w + (0 - lo) / span * plot_w
    parts = [
        f"<svg role='img' viewBox='0 0 {width} {height:.0f}' width='{width}' "
        f"height='{height:.0f}' class='chart'>"
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = pad + i * bar * 1.4
        x = label_w + (min(value, 0) - lo) / span * plot_w
        w = abs(value) / span * plot_w
        fill = PALETTE[2] if value >= 0 else PALETTE[6]
        parts.append(
            f"<text x='{label_w - 6}' y='{y + bar * 0.75:.1f}' text-anchor='end'>"
            f"{escape(label)}</text>"
            f"<rect x='{x:.1f}' y='{y:.1f}' width='{max(w, 0.5):.1f}' height='{bar}' fill='{fill}'>"
            f"<title>{escape(label)}: {escape(fmt(value, 4))}{unit}</title></rect>"
            f"<text x='{label_w + plot_w + 6}' y='{y + bar * 0.75:.1f}'>"
            f"{escape(fmt(value, 4))}{unit}</text>"
        )
    parts.append(
        f"<line x1='{x0:.1f}' x2='{x0:.1f}' y1='0' y2='{height:.0f}' stroke='#333' "
        "stroke-width='1'/>"
    )
    parts.append("</svg>")
    return "".join(parts)


def heatmap(frame: pd.DataFrame, value: str, title: str) -> str:
    """Day-of-week x hour heatmap (rows Monday..Sunday, columns 0..23)."""
    cell_w, cell_h, left, top = 22, 18, 80, 30
    grid = {(r.day_of_week, int(r.hour_of_day)): r for r in frame.itertuples(index=False)}
    values = [getattr(r, value) for r in grid.values()]
    finite = [v for v in values if v is not None and not pd.isna(v)]
    if not finite:
        return _suppressed(title)
    lo, hi = min(finite), max(finite)
    width, height = left + 24 * cell_w + 10, top + 7 * cell_h + 24
    parts = [
        f"<svg role='img' viewBox='0 0 {width} {height}' width='{width}' height='{height}' "
        f"class='chart heatmap'><text x='{left}' y='16' class='title'>{escape(title)}</text>"
    ]
    for d, day in enumerate(DAYS):
        y = top + d * cell_h
        parts.append(f"<text x='{left - 6}' y='{y + 13}' text-anchor='end'>{day[:3]}</text>")
        for h in range(24):
            row = grid.get((day, h))
            v = None if row is None else getattr(row, value)
            x = left + h * cell_w
            if v is None or pd.isna(v):
                fill, label = "#dddddd", "no value"
            else:
                fill, label = colour((v - lo) / ((hi - lo) or 1.0)), fmt(v, 1)
            parts.append(
                f"<rect x='{x}' y='{y}' width='{cell_w - 1}' height='{cell_h - 1}' fill='{fill}'>"
                f"<title>{day} {h:02d}:00 {escape(label)}</title></rect>"
            )
    for h in range(0, 24, 3):
        parts.append(
            f"<text x='{left + h * cell_w + 2}' y='{top + 7 * cell_h + 14}'>{h:02d}h</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(times: list, values: list[float], title: str, width=900, height=220) -> str:
    left, bottom, top = 70, 30, 24
    finite = [v for v in values if v is not None and not pd.isna(v)]
    if not finite:
        return _suppressed(title)
    hi = max(finite) or 1.0
    n = len(values)
    plot_w, plot_h = width - left - 10, height - top - bottom
    points = " ".join(
        f"{left + i / max(n - 1, 1) * plot_w:.1f},{top + plot_h - (v / hi) * plot_h:.1f}"
        for i, v in enumerate(values)
        if v is not None and not pd.isna(v)
    )
    parts = [
        f"<svg role='img' viewBox='0 0 {width} {height}' width='{width}' height='{height}' "
        f"class='chart line'><text x='{left}' y='16' class='title'>{escape(title)}</text>",
        f"<polyline fill='none' stroke='{PALETTE[2]}' stroke-width='1' points='{points}'/>",
        f"<line x1='{left}' x2='{left}' y1='{top}' y2='{top + plot_h}' stroke='#333'/>",
        f"<line x1='{left}' x2='{left + plot_w}' y1='{top + plot_h}' y2='{top + plot_h}' "
        "stroke='#333'/>",
        f"<text x='{left - 4}' y='{top + 8}' text-anchor='end'>{escape(fmt(hi, 1))}</text>",
        f"<text x='{left - 4}' y='{top + plot_h}' text-anchor='end'>0</text>",
    ]
    for frac in (0.0, 0.5, 1.0):
        i = min(int(frac * (n - 1)), n - 1)
        label = pd.Timestamp(times[i]).strftime("%Y-%m-%d")
        anchor = {0.0: "start", 0.5: "middle", 1.0: "end"}[frac]
        parts.append(
            f"<text x='{left + frac * plot_w:.1f}' y='{height - 8}' text-anchor='{anchor}'>"
            f"{label}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def choropleth(
    communes: pd.DataFrame, breaks: list[float], title: str, size: int = 260, fill_of=None
) -> str:
    """Commune polygons of one metropolitan area, filled by class of cpc_per_1000, or by
    ``fill_of(row) -> (fill, label)``."""
    shapes = [(r, _rings(json.loads(r.commune_boundary_geojson))) for r in communes.itertuples()]
    points = [p for _, rings in shapes for ring in rings for p in ring]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    lat0 = (min(lats) + max(lats)) / 2
    k = math.cos(math.radians(lat0))
    w, h = (max(lons) - min(lons)) * k or 1e-6, (max(lats) - min(lats)) or 1e-6
    scale = (size - 10) / max(w, h)
    parts = [
        f"<svg role='img' viewBox='0 0 {size} {size + 20}' width='{size}' height='{size + 20}' "
        f"class='chart map'><text x='4' y='14' class='title'>{escape(title)}</text>"
    ]
    for r, rings in shapes:
        path = " ".join(
            "M"
            + " L".join(
                f"{5 + (x - min(lons)) * k * scale:.1f},{20 + (max(lats) - y) * scale:.1f}"
                for x, y in ring
            )
            + " Z"
            for ring in rings
        )
        value = getattr(r, "cpc_per_1000", None)
        if fill_of is not None:
            fill, label = fill_of(r)
        elif value is None or pd.isna(value):
            fill, label = "url(#suppressed)", "suppressed"
        else:
            cls = sum(value > b for b in breaks)
            fill, label = colour(cls / (MAP_CLASSES - 1)), fmt(value, 2)
        name = r.commune_name if isinstance(r.commune_name, str) else r.code_com
        parts.append(
            f"<path d='{path}' fill='{fill}' stroke='#ffffff' stroke-width='0.6' "
            f"fill-rule='evenodd'><title>{escape(name)} ({r.code_com}): {escape(label)}</title>"
            "</path>"
        )
    parts.append("</svg>")
    return "".join(parts)


# ------------------------------------------------------------------ sections


def section_cautions(pub: Publication) -> str:
    cpc = pub.get("fct_commune_cpc")
    n_small = int(cpc["is_small_population"].sum()) if cpc is not None else 0
    n_few = int(cpc["is_few_tiles"].sum()) if cpc is not None and "is_few_tiles" in cpc else 0
    return f"""
<section id='cautions' class='cautions'>
<h2>Read this first</h2>
<ul>
<li><strong>Exploratory estimates.</strong> The cpc figures rest on assumptions (a global
share of onion traffic, the share of pornographic onion pages linked to child sexual abuse
material, a correction factor from the co-movement of Tor and adult-site traffic) that may
not hold locally, where few Tor users can make the traffic. Uncertainty from these
assumptions and from the under-reporting of sexual violence is not in the standard errors.</li>
<li><strong>Ecological fallacy.</strong> Relations are between areas. They say nothing
about individuals, and nothing about people of any demographic group; traffic is counted
where it is made, by residents and visitors alike.</li>
<li><strong>Mobile traffic only.</strong> One operator's mobile network: Wi-Fi, fixed lines
and other operators are not seen. The volumes are normalised by the operator and have no
unit.</li>
<li><strong>Privacy.</strong> No tile location or tile value is published. Per-1000 rates of
communes under {pub.record.get("min_population")} inhabitants are suppressed ({n_small}
communes), and traffic values drawn from fewer than {pub.record.get("min_tiles")} tiles
carrying traffic are suppressed ({n_few} communes).</li>
</ul>
</section>"""


def section_figure1(pub: Publication) -> str:
    comp = pub.get("fct_global_composition")
    if comp is None or comp.empty:
        return unavailable(
            "figure", "figure-1", "Figure 1", _missing_reason(pub, "fct_global_composition")
        )
    comp = comp.sort_values(["scope", "onion_share"])
    labels = [
        f"{r.scope}, {r.onion_share_bound} ({fmt(r.onion_share, 3)})" for r in comp.itertuples()
    ]
    body = bar_chart(labels, [float(v) for v in comp["share_pct"]], unit=" %")
    chain = html_table(
        comp[
            [
                "scope",
                "onion_share_bound",
                "onion_share",
                "porn_component",
                "cp_share_of_porn",
                "share_pct",
            ]
        ],
        "figure-1-chain",
        "onion share x porn component x child-pornography share of porn = share (%)",
        digits=4,
    )
    return figure(
        "figure-1",
        "Figure 1. Composition of the CSAM estimate, global and France",
        body + chain,
        "Share of Tor traffic estimated to be CSAM-related for the three onion-share bounds "
        "(lower: Tor metrics, middle: Tor blog, upper: PNAS). Global: porn share of onion "
        "pages; France: mean commune correlation of log hourly Web_Adult and Tor.",
    )


def section_table1(pub: Publication) -> str:
    summary = pub.get("fct_correction_factor_summary")
    if summary is None or summary.empty:
        return unavailable(
            "table", "table-1", "Table 1", _missing_reason(pub, "fct_correction_factor_summary")
        )
    summary = summary.sort_values("variable_order")
    labels = {"rho": "ρ_j", "c": "c_j"}
    frame = pd.DataFrame(
        {
            "": [labels.get(v, v) for v in summary["variable_name"]],
            "n": [
                f"{int(n):,}" + (f" + {int(k):,} below the floor" if k else "")
                for n, k in zip(summary["n_communes"], summary["n_censored"].fillna(0), strict=True)
            ],
            "mean": summary["mean"],
            "std": summary["std"],
            "min": summary["min"],
            "25%": summary["q25"],
            "50%": summary["median"],
            "75%": summary["q75"],
            "max": summary["max"],
        }
    )
    first = summary.iloc[0]
    n_c = int(summary.loc[summary["variable_name"] == "c", "n_communes"].max())
    return table_section(
        "table-1",
        "Table 1. Summary statistics of the correction factors",
        html_table(
            frame,
            "table-1-data",
            f"{n_c:,} communes; method {first['correction_method']}, "
            f"lag {int(first['tor_lag_hours'])} h",
            4,
        ),
        _headline_sentence(pub)
        + "Negative correlations are floored (c = 1e-5) as in the authors' notebook. "
        "Where a floored commune's correlation is unknown (the authors' published c), it "
        "ranks below every other: quartiles and maximum stay exact, mean, std and minimum "
        "are not given.",
    )


def _headline_sentence(pub: Publication) -> str:
    """The abstract's mean c and the traffic-weighted share, with their bootstrap
    intervals (fct_global_composition, France, the selected onion-share bound)."""
    composition = pub.get("fct_global_composition")
    bound = pub.settings.get("onion_share_bound", "lower")
    if composition is None or "mean_c_ci_low" not in composition:
        return ""
    row = composition[
        (composition["scope"] == "france") & (composition["onion_share_bound"] == bound)
    ]
    if row.empty:
        return ""
    r = row.iloc[0]
    text = (
        f"Mean c {fmt(100 * r['mean_c'], 3)} % {interval_pct(r, 'mean_c')}; share of Tor "
        f"traffic weighted by traffic {fmt(100 * r['traffic_weighted_share'], 3)} % "
        f"{interval_pct(r, 'traffic_weighted_share')}"
    )
    return text + " (95 % bootstrap over days, where given). "


def interval_pct(row, name: str) -> str:
    low, high = row.get(f"{name}_ci_low"), row.get(f"{name}_ci_high")
    if low is None or pd.isna(low):
        return ""
    return "[" + fmt(100 * float(low), 3) + ", " + fmt(100 * float(high), 3) + "]"


def section_figure2(pub: Publication) -> str:
    pca = pub.get("fct_trends_pca")
    if pca is None or pca.empty:
        return unavailable("figure", "figure-2", "Figure 2", _missing_reason(pub, "fct_trends_pca"))
    loadings = pca[pca["record_type"] == "loading"]
    variance = pca[pca["record_type"] == "explained_variance"].set_index("component")["value"]
    charts = []
    for component in sorted(loadings["component"].unique()):
        part = loadings[loadings["component"] == component].sort_values("item")
        share = variance.get(component)
        charts.append(
            f"<h4>{component} ({fmt(100 * share, 1) if share is not None else '–'} % of "
            "variance)</h4>"
            + bar_chart(list(part["item"]), [float(v) for v in part["value"]], width=560, bar=14)
        )
    status = pca[pca["record_type"] == "term_status"]
    dropped = sorted(status.loc[status["note"] != "used", "item"])
    return figure(
        "figure-2",
        "Figure 2. Google Trends search terms and their principal components",
        "<div class='grid'>" + "".join(f"<div>{c}</div>" for c in charts) + "</div>",
        f"Loadings of the {len(status) - len(dropped)} terms kept (of {len(status)}), regions "
        "pooled 2017-2021, Corsica excluded. Terms dropped: "
        f"{escape(', '.join(dropped)) or 'none'}. "
        "Signs fixed so that each component's largest absolute loading is positive.",
    )


def section_table2(pub: Publication) -> str:
    corr = pub.get("fct_validation_correlations")
    if corr is None or corr.empty:
        return unavailable(
            "table", "table-2", "Table 2", _missing_reason(pub, "fct_validation_correlations")
        )
    estimated = corr[corr["status"] == "estimated"]
    frame = estimated[["paper_label", "spearman_rho", "p_value", "n"]].rename(
        columns={"paper_label": "indicator", "spearman_rho": "Spearman ρ", "p_value": "p"}
    )
    level = int(round(100 * float(estimated["ci_level"].iloc[0]))) if len(estimated) else 95
    for column, low, high in (
        (f"{level} % CI (Bonett-Wright)", "ci_low", "ci_high"),
        (f"{level} % CI (commune bootstrap)", "bootstrap_ci_low", "bootstrap_ci_high"),
        ("range over the replicates of c", "c_replicates_ci_low", "c_replicates_ci_high"),
    ):
        if low in estimated:
            frame[column] = [
                interval(a, b) for a, b in zip(estimated[low], estimated[high], strict=True)
            ]
    body = html_table(
        frame,
        "table-2-data",
        "Correlation with victims of sexual violence per 1000 (commune values 2017-21)",
        4,
    )
    comp = pub.get("fct_correlation_comparisons")
    if comp is not None and not comp.empty:
        shown = comp[
            ["indicator", "target", "n", "williams_t", "williams_p", "steiger_z", "steiger_p"]
        ].copy()
        if "zou_ci_low" in comp:
            shown["difference (cpc - indicator)"] = comp["difference"]
            shown["Zou's interval"] = [
                interval(a, b) for a, b in zip(comp["zou_ci_low"], comp["zou_ci_high"], strict=True)
            ]
        shown["notebook_adhoc_t"] = comp["notebook_adhoc_t"]
        body += html_table(
            shown,
            "table-2-comparisons",
            "Is cpc's correlation stronger? Tests for dependent correlations (Williams' t, "
            "Steiger's Z, Zou's interval of the difference; the notebook's ad-hoc t for "
            "parity)",
            4,
        )
    return table_section(
        "table-2",
        "Table 2. Validation against reported sexual violence",
        body,
        "Intervals: Fisher's z with the Bonett-Wright variance, a seeded bootstrap of the "
        "communes, and the range of the cpc correlation over the bootstrap replicates of c "
        "(c's own uncertainty; none without hourly series).",
    )


def section_robustness(pub: Publication) -> str:
    robust = pub.get("fct_validation_robustness")
    if robust is None or robust.empty:
        return unavailable(
            "table",
            "table-robustness",
            "Is the validation robust?",
            _missing_reason(pub, "fct_validation_robustness"),
        )
    order = list(dict.fromkeys(robust["specification"]))
    frame = robust.assign(_order=robust["specification"].map(order.index)).sort_values(
        ["_order", "indicator"]
    )
    shown = pd.DataFrame(
        {
            "specification": frame["specification_description"],
            "indicator": frame["paper_label"].fillna(frame["indicator"]),
            "Spearman ρ": frame["spearman_rho"],
            "interval": [
                interval(a, b) for a, b in zip(frame["ci_low"], frame["ci_high"], strict=True)
            ],
            "n": frame["n"].astype(int),
            "status": frame["status"],
        }
    )
    cpc = frame[(frame["indicator"] == "log_cpc_per_1000") & (frame["status"] == "estimated")]
    by_spec = dict(zip(cpc["specification"], cpc["spearman_rho"], strict=True))
    words = (
        "The correlation the paper reads as validation is largely carried by commune size "
        "and the publisher's disclosure rule: commune rates are published only above a "
        "count over three years, so small communes read as zero or are missing."
    )
    if "as_published" in by_spec and "partial_log_population" in by_spec:
        words += (
            f" Here cpc's correlation is {fmt(by_spec['as_published'], 3)} as published, "
            f"{fmt(by_spec['partial_log_population'], 3)} once population is partialled out"
            + (
                f" and {fmt(by_spec['nonzero_only'], 3)} among non-zero values."
                if "nonzero_only" in by_spec
                else "."
            )
        )
    words += " Area-level associations say nothing about individuals."
    return table_section(
        "table-robustness",
        "Is the validation robust? Table 2 under its confounders",
        html_table(
            shown,
            "table-robustness-data",
            "Spearman correlation with the sexual-violence rate under each specification",
            4,
        ),
        escape(words),
    )


def section_figure3(pub: Publication) -> str:
    heat = pub.get("fct_heatmap_day_hour")
    if heat is None:
        return unavailable(
            "figure", "figure-3", "Figure 3", _missing_reason(pub, "fct_heatmap_day_hour")
        )
    blocks = []
    for scope, label in (
        ("all", "all communes"),
        ("top_n", "the communes with the highest cpc per 1000"),
    ):
        part = heat[heat["scope"] == scope]
        blocks.append(f"<h4>{escape(label.capitalize())}</h4><div class='grid'>")
        for value, title in (
            ("tor_scaled", "Tor x c (cpc)"),
            ("web_adult", "Web_Adult"),
            ("youtube", "YouTube"),
        ):
            blocks.append(f"<div>{heatmap(part, value, title)}</div>")
        blocks.append("</div>")
    return figure(
        "figure-3",
        "Figure 3. Download traffic by day of week and hour",
        "".join(blocks),
        "Sums over the study's weeks of hourly download traffic (normalised, no unit), "
        "after the outage filter. Each heatmap has its own colour scale.",
    )


def section_table3to7(pub: Publication, number: int) -> str:
    wide = pub.get("fct_regression_table_wide")
    regressions = pub.get("fct_regressions")
    element = f"table-{number}"
    paper_table = f"Table {number}"
    if wide is None or regressions is None:
        return unavailable(
            "table", element, paper_table, _missing_reason(pub, "fct_regression_table_wide")
        )
    shown = set(wide["cov_type"]) if "cov_type" in wide else set(regressions["cov_type"])
    models = regressions[
        (regressions["paper_table"] == paper_table) & regressions["cov_type"].isin(shown)
    ]
    wide = wide.drop(columns="cov_type", errors="ignore")
    tables = tables_from_wide(wide[wide["paper_table"] == paper_table])
    if paper_table not in tables:
        statuses = "; ".join(
            f"{m.model_id}: {m.status}"
            for m in models.drop_duplicates("model_id").sort_values("model_id").itertuples()
        )
        return unavailable(
            "table",
            element,
            paper_table,
            f"no model of {paper_table} could be estimated ({statuses or 'no model'})",
        )
    title, table = tables[paper_table]
    frame = table.reset_index().rename(columns={"term": ""}).fillna("")
    statuses = sorted(set(models["status"]))
    note = escape(cov_note(models))
    if statuses != ["estimated"]:
        note += f" Model status: {escape(', '.join(statuses))}."
    return table_section(
        element,
        escape(title),
        html_table(
            frame.astype(str),
            f"{element}-data",
            f"Dependent variables in columns ({', '.join(table.columns)})",
        ),
        note,
    )


def section_table4(pub: Publication) -> str:
    pois = pub.get("fct_top_tile_pois")
    if pois is None:
        return unavailable("table", "table-4", "Table 4", _missing_reason(pub, "fct_top_tile_pois"))
    if pois.empty:
        body = (
            "<p class='empty'>No POI category has enough places (var top_tile_min_places) "
            "in the top tiles of this publication.</p>"
        )
    else:
        frame = pois[["service", "category_rank", "category", "n_places", "mean_traffic_per_poi"]]
        body = html_table(
            frame, "table-4-data", "Top categories per service, by mean download traffic per POI", 2
        )
    return table_section(
        "table-4",
        "Table 4. Points of interest in the 0.1 % of tiles with the highest traffic",
        body,
        "Categories and aggregates only: no tile location. Mean traffic per POI drawn from "
        "fewer top tiles than the publication's threshold is suppressed.",
    )


def section_figure4(pub: Publication) -> str:
    hourly = pub.get("fct_top_commune_hourly")
    heat = pub.get("fct_heatmap_day_hour")
    if hourly is None or heat is None:
        return unavailable(
            "figure", "figure-4", "Figure 4", _missing_reason(pub, "fct_top_commune_hourly")
        )
    if hourly.empty:
        return unavailable("figure", "figure-4", "Figure 4", "the top commune has no hourly series")
    hourly = hourly.sort_values("hour_start")
    name = hourly["commune_name"].iloc[0]
    title = f"{name} ({hourly['code_com'].iloc[0]}), {hourly['city'].iloc[0]}"
    body = line_chart(
        list(hourly["hour_start"]), list(hourly["cpc"]), f"Hourly cpc (Tor x c), {title}"
    )
    body += heatmap(heat[heat["scope"] == "top_1"], "tor_scaled", "cpc by day of week and hour")
    return figure(
        "figure-4",
        "Figure 4. The commune with the highest cpc per 1000 inhabitants",
        body,
        "Commune totals only: the paper's per-tile lines and tile locations are not published.",
    )


def section_figure5(pub: Publication) -> str:
    cpc = pub.get("fct_commune_cpc")
    shapes = pub.get("dim_commune_boundaries")
    if cpc is None or shapes is None:
        return unavailable(
            "figure", "figure-5", "Figure 5", _missing_reason(pub, "dim_commune_boundaries")
        )
    merged = shapes.merge(cpc[["code_com", "cpc_per_1000"]], on="code_com", how="inner")
    if merged.empty:
        return unavailable(
            "figure",
            "figure-5",
            "Figure 5",
            "no study commune has a boundary in the ADMIN EXPRESS edition of this build",
        )
    values = cpc["cpc_per_1000"].dropna().astype(float)
    breaks = [float(values.quantile(i / MAP_CLASSES)) for i in range(1, MAP_CLASSES)]
    maps = [
        "<div>"
        + choropleth(merged[merged["city"] == city].sort_values("code_com"), breaks, city)
        + "</div>"
        for city in sorted(merged["city"].unique())
    ]
    legend = (
        "".join(
            f"<span class='key'><i style='background:{colour(i / (MAP_CLASSES - 1))}'></i>"
            + escape(f"≤ {fmt(breaks[0], 2)}" if i == 0 else f"> {fmt(breaks[i - 1], 2)}")
            + "</span>"
            for i in range(MAP_CLASSES)
        )
        + "<span class='key'><i class='hatched'></i>suppressed</span>"
    )
    missing = len(cpc) - len(merged)
    note = (
        f" {missing} study communes have no boundary in this build's ADMIN EXPRESS edition."
        if missing
        else ""
    )
    defs = (
        "<svg width='0' height='0' aria-hidden='true'><defs><pattern id='suppressed' "
        "width='4' height='4' patternUnits='userSpaceOnUse' patternTransform='rotate(45)'>"
        "<rect width='4' height='4' fill='#eeeeee'/><line x1='0' y1='0' x2='0' y2='4' "
        "stroke='#999999' stroke-width='1.5'/></pattern></defs></svg>"
    )
    return figure(
        "figure-5",
        "Figure 5. Estimated cpc per 1000 inhabitants by commune",
        defs + f"<p class='legend'>{legend}</p><div class='grid maps'>{''.join(maps)}</div>",
        f"Quintiles of cpc per 1000 over all published communes.{note}",
    )


LISA_COLOURS = {"HH": "#b2182b", "LL": "#2166ac", "HL": "#f4a582", "LH": "#92c5de"}
SUPPRESSED_PATTERN = (
    "<svg width='0' height='0' aria-hidden='true'><defs><pattern id='suppressed' "
    "width='4' height='4' patternUnits='userSpaceOnUse' patternTransform='rotate(45)'>"
    "<rect width='4' height='4' fill='#eeeeee'/><line x1='0' y1='0' x2='0' y2='4' "
    "stroke='#999999' stroke-width='1.5'/></pattern></defs></svg>"
)


def section_moran(pub: Publication) -> str:
    moran = pub.get("fct_spatial_autocorrelation")
    if moran is None or moran.empty:
        return unavailable(
            "table",
            "table-moran",
            "Spatial autocorrelation",
            _missing_reason(pub, "fct_spatial_autocorrelation", SPATIAL_NEED),
        )
    pooled = moran[moran["scope"] == "pooled"].sort_values("variable")
    frame = pd.DataFrame(
        {
            "variable": pooled["variable"],
            "n": pooled["n"].astype(int),
            "Moran's I": pooled["moran_i"],
            "E[I]": pooled["expected_i"],
            "z": pooled["z"],
            "permutation p": pooled["p_value"],
        }
    )
    k = int(pooled["k"].iloc[0]) if len(pooled) else 0
    return table_section(
        "table-moran",
        "Spatial autocorrelation of the estimate, the outcome and the regression residuals",
        html_table(
            frame,
            "table-moran-data",
            f"Global Moran's I, all metro areas pooled "
            f"(k = {k} nearest neighbours within each area)",
            3,
        ),
        "A positive, significant I of a model's residuals means its OLS standard errors "
        "are too small; fct_spatial_regressions refits Table 3 with spatial lag and error "
        "models. Per-area values are in fct_spatial_autocorrelation.",
    )


def section_lisa(pub: Publication) -> str:
    lisa = pub.get("fct_commune_lisa")
    shapes = pub.get("dim_commune_boundaries")
    if lisa is None or shapes is None or lisa.empty:
        return unavailable(
            "figure",
            "figure-lisa",
            "Local clusters",
            _missing_reason(pub, "fct_commune_lisa", SPATIAL_NEED),
        )
    blocks = []
    for variable, label in (
        ("log_cpc_per_1000", "log cpc per 1000"),
        ("sexual_violence_per_1000", "sexual violence per 1000"),
    ):
        part = lisa[lisa["variable"] == variable][["code_com", "quadrant", "is_significant"]]
        merged = shapes.merge(part, on="code_com", how="left")
        merged = merged[merged["code_com"].isin(lisa["code_com"])]

        def fill_of(r):
            if r.quadrant is None or pd.isna(r.quadrant):
                return "url(#suppressed)", "suppressed or no value"
            if bool(r.is_significant):
                return LISA_COLOURS[r.quadrant], f"{r.quadrant}, significant"
            return "#dddddd", f"{r.quadrant}, not significant"

        maps = [
            "<div>"
            + choropleth(
                merged[merged["city"] == city].sort_values("code_com"), [], city, 200, fill_of
            )
            + "</div>"
            for city in sorted(merged["city"].dropna().unique())
        ]
        blocks.append(f"<h4>{escape(label)}</h4><div class='grid maps'>{''.join(maps)}</div>")
    legend = "".join(
        f"<span class='key'><i style='background:{c}'></i>{q} (significant)</span>"
        for q, c in LISA_COLOURS.items()
    ) + (
        "<span class='key'><i style='background:#dddddd'></i>not significant</span>"
        "<span class='key'><i class='hatched'></i>suppressed or no value</span>"
    )
    return figure(
        "figure-lisa",
        "Local clusters (LISA) by metro area",
        SUPPRESSED_PATTERN + f"<p class='legend'>{legend}</p>" + "".join(blocks),
        "Local Moran's I on the k-nearest-neighbour weights, seeded permutations; HH: a "
        "high value among high neighbours. Exploratory: among hundreds of communes some "
        "are flagged by chance.",
    )


def section_sensitivity(pub: Publication) -> str:
    sens = pub.get("fct_cpc_sensitivity")
    if sens is None or sens.empty:
        return unavailable(
            "table", "table-sensitivity", "Sensitivity", _missing_reason(pub, "fct_cpc_sensitivity")
        )
    frame = sens.sort_values(["onion_share", "correction_method", "lag_hours"])[
        [
            "onion_share_bound",
            "onion_share",
            "correction_method",
            "lag_hours",
            "n_communes",
            "mean_c",
            "traffic_weighted_share",
            "total_cpc",
        ]
    ].copy()
    ordered = sens.sort_values(["onion_share", "correction_method", "lag_hours"])
    for name in ("mean_c", "traffic_weighted_share"):
        if f"{name}_ci_low" in ordered:
            frame.insert(
                list(frame.columns).index(name) + 1,
                f"{name} interval",
                [
                    interval(a, b, 5)
                    for a, b in zip(
                        ordered[f"{name}_ci_low"], ordered[f"{name}_ci_high"], strict=True
                    )
                ],
            )
    return table_section(
        "table-sensitivity",
        "Sensitivity of the estimate to the onion share, the correction method and the lag",
        html_table(
            frame, "table-sensitivity-data", "Mean c, traffic-weighted share and total cpc", 5
        ),
    )


STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0 auto;
max-width:1180px;padding:1rem 2rem;color:#222}
h1{font-size:1.6rem}h2{border-bottom:2px solid #3b528b;padding-bottom:.2rem}
figure,section.table{margin:1.5rem 0;padding:.5rem 0;border-top:1px solid #ddd}
figcaption,.note,caption{font-size:.9rem;color:#555;text-align:left}
table.data{border-collapse:collapse;margin:.6rem 0;font-size:.85rem}
table.data th,table.data td{border-bottom:1px solid #ddd;padding:.2rem .5rem}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.chart text{font-size:11px;fill:#222}.chart .title{font-weight:600}
.grid{display:flex;flex-wrap:wrap;gap:1rem}
.unavailable .reason,.suppressed{background:#fff4e5;border-left:4px solid #e69500;padding:.5rem}
.cautions{background:#f4f6fb;border-left:4px solid #3b528b;padding:.3rem 1rem}
.legend .key{margin-right:1rem;font-size:.85rem}
.legend i{display:inline-block;width:14px;height:14px;margin-right:4px;vertical-align:middle}
.legend i.hatched{background:repeating-linear-gradient(45deg,#eee 0 2px,#999 2px 3px)}
"""


def render(pub: Publication) -> str:
    settings = pub.settings
    sections = [
        section_cautions(pub),
        "<h2>Estimate</h2>",
        section_figure1(pub),
        section_table1(pub),
        section_sensitivity(pub),
        "<h2>Validation and correlates</h2>",
        section_figure2(pub),
        section_table2(pub),
        section_robustness(pub),
        section_table3to7(pub, 3),
        "<h2>Spatial and temporal patterns</h2>",
        section_moran(pub),
        section_lisa(pub),
        section_figure3(pub),
        section_figure4(pub),
        section_table4(pub),
        section_figure5(pub),
        "<h2>Robustness (appendix)</h2>",
        section_table3to7(pub, 5),
        section_table3to7(pub, 6),
        section_table3to7(pub, 7),
    ]
    meta = ", ".join(
        f"{k}: {escape(str(settings[k]))}"
        for k in (
            "traffic_source",
            "correction_method",
            "tor_lag_hours",
            "study_start",
            "study_end",
        )
        if k in settings
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>Commune-level CSAM consumption via Tor: figures and tables</title>"
        f"<style>{STYLE}</style></head><body>"
        "<h1>Commune-level consumption of child sexual abuse material via Tor in 20 French "
        "metropolitan areas: figures and tables</h1>"
        f"<p class='meta'>Publication {escape(pub.record.get('version', '?'))}; {meta}. Built "
        "from the published marts only.</p>" + "".join(sections) + "</body></html>\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render the HTML report from a publication.")
    parser.add_argument("--publication", type=Path, default=Path("publish/current"))
    parser.add_argument("--out", type=Path, default=Path("reports/index.html"))
    args = parser.parse_args(argv)
    try:
        pub = load(args.publication)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(pub), encoding="utf-8")
    print(f"wrote {args.out} from publication {pub.record.get('version')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

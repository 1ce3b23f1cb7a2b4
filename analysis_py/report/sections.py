"""The report's sections, one function per figure or table of the paper (and the
project's additions): each reads the publication's marts and returns a
:class:`Section` the page template lays out. A section whose marts are absent is
``unavailable`` with the reason; values the publication suppressed are drawn as
suppressed, never estimated."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

import pandas as pd
from markupsafe import Markup

from analysis_py.export import cov_note
from analysis_py.report import charts
from analysis_py.report.data import (
    SPATIAL_NEED,
    Publication,
    fmt,
    interval,
    interval_pct,
    missing,
    missing_reason,
)
from analysis_py.validation import tables_from_wide

MAP_CLASSES = 5
LISA_COLOURS = {"HH": "#b2182b", "LL": "#2166ac", "HL": "#f4a582", "LH": "#92c5de"}
TRAFFIC_UNIT = "download traffic (operator-normalised, no unit)"


@dataclass
class Section:
    element_id: str
    kind: str  # figure or table
    title: str
    body: Markup = Markup("")
    caption: Markup = Markup("")
    status: str = "available"
    reason: str = ""
    subsections: list[str] = field(default_factory=list)


def unavailable(kind: str, element_id: str, title: str, reason: str) -> Section:
    return Section(element_id, kind, title, status="unavailable", reason=reason)


def html_table(
    frame: pd.DataFrame,
    table_id: str,
    caption: str,
    digits: int = 3,
    formats: dict[str, Callable] | None = None,
) -> Markup:
    """A data table: text left, numbers right-aligned and formatted for reading
    (``formats`` per column, else :func:`fmt` with ``digits``), in a scrolling box so
    that a narrow screen scrolls the table, not the page."""
    formats = formats or {}
    head = "".join(f"<th scope='col'>{escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, record, strict=True):
            if column in formats:
                cells.append(f"<td class='num'>{escape(formats[column](value))}</td>")
            elif isinstance(value, str):
                cells.append(f"<td>{escape(value)}</td>")
            else:
                cells.append(f"<td class='num'>{escape(fmt(value, digits))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return Markup(
        f"<div class='scroll'><table id='{table_id}' class='data'><caption>{escape(caption)}"
        f"</caption><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def pct(digits: int = 3) -> Callable:
    return lambda v: "–" if missing(v) else f"{100 * float(v):,.{digits}f} %"


def suppressed_note(title: str) -> str:
    return (
        f"<p class='suppressed'>{escape(title)}: suppressed by the publication's small-area "
        "rule.</p>"
    )


def _svg_or_suppressed(svg: str | None, title: str) -> str:
    return svg if svg is not None else suppressed_note(title)


# ------------------------------------------------------------------ estimate


def figure1(pub: Publication) -> Section:
    comp = pub.get("fct_global_composition")
    if comp is None or comp.empty:
        return unavailable(
            "figure", "figure-1", "Figure 1", missing_reason(pub, "fct_global_composition")
        )
    comp = comp.sort_values(["scope", "onion_share"])
    labels = [
        f"{r.scope}, {r.onion_share_bound} bound ({100 * r.onion_share:.1f} % onion)"
        for r in comp.itertuples()
    ]
    body = charts.bar_chart(
        labels,
        [float(v) for v in comp["share_pct"]],
        "figure-1",
        "share of Tor traffic estimated CSAM-related (%)",
        value_format=lambda v: f"{v:.3g} %",
    )
    chain = html_table(
        comp[["scope", "onion_share_bound", "onion_share", "porn_component", "cp_share_of_porn"]]
        .assign(share_pct=comp["share_pct"] / 100)
        .rename(
            columns={
                "scope": "scope",
                "onion_share_bound": "onion-share bound",
                "onion_share": "onion share",
                "porn_component": "porn component",
                "cp_share_of_porn": "CSAM share of porn",
                "share_pct": "share of Tor traffic",
            }
        ),
        "figure-1-chain",
        "onion share x porn component x CSAM share of porn = share of Tor traffic",
        formats={
            "onion share": pct(1),
            "porn component": pct(2),
            "CSAM share of porn": pct(1),
            "share of Tor traffic": pct(4),
        },
    )
    return Section(
        "figure-1",
        "figure",
        "Figure 1. Composition of the CSAM estimate, global and France",
        Markup(body) + chain,
        Markup(
            "Share of Tor traffic estimated to be CSAM-related for the three onion-share "
            "bounds (lower: Tor metrics, middle: Tor blog, upper: PNAS). Global: porn share "
            "of onion pages; France: mean commune correlation of log hourly Web_Adult and Tor."
        ),
    )


def table1(pub: Publication) -> Section:
    summary = pub.get("fct_correction_factor_summary")
    if summary is None or summary.empty:
        return unavailable(
            "table", "table-1", "Table 1", missing_reason(pub, "fct_correction_factor_summary")
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
    return Section(
        "table-1",
        "table",
        "Table 1. Summary statistics of the correction factors",
        html_table(
            frame,
            "table-1-data",
            f"{n_c:,} communes; method {first['correction_method']}, "
            f"lag {int(first['tor_lag_hours'])} h",
            4,
        ),
        Markup(
            escape(_headline_sentence(pub))
            + "Negative correlations are floored (c = 1e-5) as in the authors' notebook. "
            "Where a floored commune's correlation is unknown (the authors' published c), it "
            "ranks below every other: quartiles and maximum stay exact, mean, std and minimum "
            "are not given."
        ),
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


def sensitivity(pub: Publication) -> Section:
    sens = pub.get("fct_cpc_sensitivity")
    if sens is None or sens.empty:
        return unavailable(
            "table", "table-sensitivity", "Sensitivity", missing_reason(pub, "fct_cpc_sensitivity")
        )
    ordered = sens.sort_values(["onion_share", "correction_method", "lag_hours"])
    frame = pd.DataFrame(
        {
            "onion-share bound": ordered["onion_share_bound"],
            "onion share": ordered["onion_share"],
            "correction method": ordered["correction_method"],
            "Tor lag (h)": ordered["lag_hours"].astype(int).astype(str),
            "communes": ordered["n_communes"].astype(int),
            "mean c": ordered["mean_c"],
        }
    )
    if "mean_c_ci_low" in ordered:
        frame["mean c, 95 % interval"] = [
            _pct_interval(a, b)
            for a, b in zip(ordered["mean_c_ci_low"], ordered["mean_c_ci_high"], strict=True)
        ]
    frame["traffic-weighted share"] = ordered["traffic_weighted_share"].to_numpy()
    if "traffic_weighted_share_ci_low" in ordered:
        frame["share, 95 % interval"] = [
            _pct_interval(a, b)
            for a, b in zip(
                ordered["traffic_weighted_share_ci_low"],
                ordered["traffic_weighted_share_ci_high"],
                strict=True,
            )
        ]
    frame["total cpc"] = ordered["total_cpc"].to_numpy()
    return Section(
        "table-sensitivity",
        "table",
        "Sensitivity of the estimate to the onion share, the correction method and the lag",
        html_table(
            frame,
            "table-sensitivity-data",
            "Mean c, traffic-weighted share of Tor traffic and total cpc",
            formats={
                "onion share": pct(1),
                "mean c": pct(3),
                "traffic-weighted share": pct(3),
                "total cpc": lambda v: fmt(v, 0),
            },
        ),
        Markup(
            "c is a share of Tor traffic (shown in %). Total cpc is a sum of operator-"
            "normalised traffic volumes: it has no unit and compares only within this table."
        ),
    )


def _pct_interval(low, high) -> str:
    if missing(low) or missing(high):
        return "–"
    return f"[{100 * float(low):,.3f}, {100 * float(high):,.3f}] %"


# ------------------------------------------------------------------ validation


def figure2(pub: Publication) -> Section:
    pca = pub.get("fct_trends_pca")
    if pca is None or pca.empty:
        return unavailable("figure", "figure-2", "Figure 2", missing_reason(pub, "fct_trends_pca"))
    loadings = pca[pca["record_type"] == "loading"]
    variance = pca[pca["record_type"] == "explained_variance"].set_index("component")["value"]
    blocks = []
    for i, component in enumerate(sorted(loadings["component"].unique())):
        part = loadings[loadings["component"] == component].sort_values("item")
        share = variance.get(component)
        title = f"{component} ({fmt(100 * share, 1) if share is not None else '–'} % of variance)"
        svg = charts.bar_chart(
            list(part["item"]),
            [float(v) for v in part["value"]],
            f"figure-2-{i}",
            "loading (unitless)",
            title,
        )
        blocks.append(f"<div class='panel'>{svg}</div>")
    status = pca[pca["record_type"] == "term_status"]
    dropped = sorted(status.loc[status["note"] != "used", "item"])
    return Section(
        "figure-2",
        "figure",
        "Figure 2. Google Trends search terms and their principal components",
        Markup("<div class='grid'>" + "".join(blocks) + "</div>"),
        Markup(
            f"Loadings of the {len(status) - len(dropped)} terms kept (of {len(status)}), "
            "regions pooled 2017-2021, Corsica excluded. Terms dropped: "
            f"{escape(', '.join(dropped)) or 'none'}. Signs as in the authors' notebook."
        ),
    )


def table2(pub: Publication) -> Section:
    corr = pub.get("fct_validation_correlations")
    if corr is None or corr.empty:
        return unavailable(
            "table", "table-2", "Table 2", missing_reason(pub, "fct_validation_correlations")
        )
    estimated = corr[corr["status"] == "estimated"]
    frame = pd.DataFrame(
        {
            "indicator": estimated["paper_label"],
            "Spearman ρ": estimated["spearman_rho"],
            "p": estimated["p_value"],
            "n": estimated["n"].astype(int),
        }
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
        shown = pd.DataFrame(
            {
                "indicator": comp["indicator"],
                "compared with": comp["target"],
                "n": comp["n"].astype(int),
                "Williams' t": comp["williams_t"],
                "p (Williams)": comp["williams_p"],
                "Steiger's Z": comp["steiger_z"],
                "p (Steiger)": comp["steiger_p"],
            }
        )
        if "zou_ci_low" in comp:
            shown["difference (cpc - indicator)"] = comp["difference"]
            shown["Zou's interval"] = [
                interval(a, b) for a, b in zip(comp["zou_ci_low"], comp["zou_ci_high"], strict=True)
            ]
        shown["notebook's ad-hoc t"] = comp["notebook_adhoc_t"]
        body += html_table(
            shown,
            "table-2-comparisons",
            "Is cpc's correlation stronger? Tests for dependent correlations (Williams' t, "
            "Steiger's Z, Zou's interval of the difference; the notebook's ad-hoc t for "
            "parity)",
            4,
        )
    return Section(
        "table-2",
        "table",
        "Table 2. Validation against reported sexual violence",
        body,
        Markup(
            "Intervals: Fisher's z with the Bonett-Wright variance, a seeded bootstrap of the "
            "communes, and the range of the cpc correlation over the bootstrap replicates of c "
            "(c's own uncertainty; none without hourly series)."
        ),
    )


def robustness(pub: Publication) -> Section:
    robust = pub.get("fct_validation_robustness")
    if robust is None or robust.empty:
        return unavailable(
            "table",
            "table-robustness",
            "Is the validation robust?",
            missing_reason(pub, "fct_validation_robustness"),
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
    return Section(
        "table-robustness",
        "table",
        "Is the validation robust? Table 2 under its confounders",
        html_table(
            shown,
            "table-robustness-data",
            "Spearman correlation with the sexual-violence rate under each specification",
            4,
        ),
        Markup(escape(words)),
    )


def regression_table(pub: Publication, number: int) -> Section:
    wide = pub.get("fct_regression_table_wide")
    regressions = pub.get("fct_regressions")
    element = f"table-{number}"
    paper_table = f"Table {number}"
    if wide is None or regressions is None:
        return unavailable(
            "table", element, paper_table, missing_reason(pub, "fct_regression_table_wide")
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
    return Section(
        element,
        "table",
        title,
        html_table(
            frame.astype(str),
            f"{element}-data",
            f"Dependent variables in columns ({', '.join(table.columns)})",
        ),
        Markup(note),
    )


# ------------------------------------------------------------------ spatial and temporal


def moran(pub: Publication) -> Section:
    table = pub.get("fct_spatial_autocorrelation")
    if table is None or table.empty:
        return unavailable(
            "table",
            "table-moran",
            "Spatial autocorrelation",
            missing_reason(pub, "fct_spatial_autocorrelation", SPATIAL_NEED),
        )
    pooled = table[table["scope"] == "pooled"].sort_values("variable")
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
    return Section(
        "table-moran",
        "table",
        "Spatial autocorrelation of the estimate, the outcome and the regression residuals",
        html_table(
            frame,
            "table-moran-data",
            f"Global Moran's I, all metro areas pooled (k = {k} nearest neighbours within "
            "each area)",
            3,
        ),
        Markup(
            "A positive, significant I of a model's residuals means its OLS standard errors "
            "are too small; fct_spatial_regressions refits Table 3 with spatial lag and error "
            "models. Per-area values are in fct_spatial_autocorrelation."
        ),
    )


def lisa(pub: Publication) -> Section:
    table = pub.get("fct_commune_lisa")
    shapes = pub.get("dim_commune_boundaries")
    if table is None or shapes is None or table.empty:
        return unavailable(
            "figure",
            "figure-lisa",
            "Local clusters",
            missing_reason(pub, "fct_commune_lisa", SPATIAL_NEED),
        )
    legend = {f"{q} (significant)": (c, False) for q, c in LISA_COLOURS.items()}
    legend["not significant"] = (charts.NO_VALUE_FILL, False)
    legend["suppressed or no value"] = (charts.SUPPRESSED_FILL, True)

    def style_of(r):
        if missing(r.quadrant):
            return charts.SUPPRESSED_FILL, True, "suppressed"
        if bool(r.is_significant):
            return LISA_COLOURS[r.quadrant], False, f"{r.quadrant}-significant"
        return charts.NO_VALUE_FILL, False, f"{r.quadrant}-not-significant"

    blocks = []
    for i, (variable, label) in enumerate(
        (
            ("log_cpc_per_1000", "log cpc per 1000"),
            ("sexual_violence_per_1000", "sexual violence per 1000"),
        )
    ):
        part = table[table["variable"] == variable][["code_com", "quadrant", "is_significant"]]
        merged = shapes.merge(part, on="code_com", how="left")
        merged = merged[merged["code_com"].isin(table["code_com"])]
        svg = charts.category_maps(merged, style_of, legend, f"figure-lisa-{i}", label)
        blocks.append(f"<h4>{escape(label)}</h4>{svg}")
    return Section(
        "figure-lisa",
        "figure",
        "Local clusters (LISA) by metro area",
        Markup("".join(blocks)),
        Markup(
            "Local Moran's I on the k-nearest-neighbour weights, seeded permutations; HH: a "
            "high value among high neighbours. Exploratory: among hundreds of communes some "
            "are flagged by chance."
        ),
    )


def figure3(pub: Publication) -> Section:
    heat = pub.get("fct_heatmap_day_hour")
    if heat is None:
        return unavailable(
            "figure", "figure-3", "Figure 3", missing_reason(pub, "fct_heatmap_day_hour")
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
            svg = charts.heatmap(
                part, value, title, "summed traffic (no unit)", f"figure-3-{scope}-{value}"
            )
            blocks.append(f"<div class='panel'>{_svg_or_suppressed(svg, title)}</div>")
        blocks.append("</div>")
    return Section(
        "figure-3",
        "figure",
        "Figure 3. Download traffic by day of week and hour",
        Markup("".join(blocks)),
        Markup(
            "Sums over the study's weeks of hourly download traffic (operator-normalised, no "
            "unit), after the outage filter. Each heatmap has its own colour scale."
        ),
    )


def figure4(pub: Publication) -> Section:
    hourly = pub.get("fct_top_commune_hourly")
    heat = pub.get("fct_heatmap_day_hour")
    if hourly is None or heat is None:
        return unavailable(
            "figure", "figure-4", "Figure 4", missing_reason(pub, "fct_top_commune_hourly")
        )
    if hourly.empty:
        return unavailable("figure", "figure-4", "Figure 4", "the top commune has no hourly series")
    hourly = hourly.sort_values("hour_start")
    name = hourly["commune_name"].iloc[0]
    title = f"{name} ({hourly['code_com'].iloc[0]}), {hourly['city'].iloc[0]}"
    line = charts.line_chart(
        list(hourly["hour_start"]),
        list(hourly["cpc"]),
        f"Hourly cpc (Tor x c), {title}",
        "cpc (normalised traffic, no unit)",
        "figure-4-line",
    )
    heat_svg = charts.heatmap(
        heat[heat["scope"] == "top_1"],
        "tor_scaled",
        "cpc by day of week and hour",
        "summed cpc (no unit)",
        "figure-4-heat",
    )
    body = _svg_or_suppressed(line, "Hourly cpc") + _svg_or_suppressed(heat_svg, "cpc heatmap")
    return Section(
        "figure-4",
        "figure",
        "Figure 4. The commune with the highest cpc per 1000 inhabitants",
        Markup(body),
        Markup(
            "Commune totals only: the paper's per-tile lines and tile locations are not published."
        ),
    )


def table4(pub: Publication) -> Section:
    pois = pub.get("fct_top_tile_pois")
    if pois is None:
        return unavailable("table", "table-4", "Table 4", missing_reason(pub, "fct_top_tile_pois"))
    if pois.empty:
        body = Markup(
            "<p class='empty'>No POI category has enough places (var top_tile_min_places) "
            "in the top tiles of this publication.</p>"
        )
    else:
        frame = pd.DataFrame(
            {
                "service": pois["service"],
                "rank": pois["category_rank"].astype(int),
                "category": pois["category"],
                "places": pois["n_places"].astype(int),
                "mean traffic per POI (no unit)": pois["mean_traffic_per_poi"],
            }
        )
        body = html_table(
            frame, "table-4-data", "Top categories per service, by mean download traffic per POI", 2
        )
    return Section(
        "table-4",
        "table",
        "Table 4. Points of interest in the 0.1 % of tiles with the highest traffic",
        body,
        Markup(
            "Categories and aggregates only: no tile location. Mean traffic per POI drawn from "
            "fewer top tiles than the publication's threshold is suppressed."
        ),
    )


def figure5(pub: Publication) -> Section:
    cpc = pub.get("fct_commune_cpc")
    shapes = pub.get("dim_commune_boundaries")
    if cpc is None or shapes is None:
        return unavailable(
            "figure", "figure-5", "Figure 5", missing_reason(pub, "dim_commune_boundaries")
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
    svg = charts.class_maps(
        merged, "cpc_per_1000", breaks, "cpc per 1000 inhabitants (quintile classes)", "figure-5"
    )
    n_missing = len(cpc) - len(merged)
    note = (
        f" {n_missing} study communes have no boundary in this build's ADMIN EXPRESS edition."
        if n_missing
        else ""
    )
    return Section(
        "figure-5",
        "figure",
        "Figure 5. Estimated cpc per 1000 inhabitants by commune",
        Markup(svg),
        Markup(
            "Quintiles of cpc per 1000 over all published communes; hatched: suppressed by the "
            f"publication's small-area rules.{escape(note)}"
        ),
    )


# ------------------------------------------------------------------ the filter and the sources


RULES = {
    "00": "a known code word (substring)",
    "01": "an explicit paedophile term",
    "02": "a child word and a sexual word",
    "03": "'little', a girl/boy word and a sexual word",
    "04": "an age below 16 with a child, family or sexual word",
    "05": "a family-child word, a family-parent word and a sexual word",
}


def keyword_filter(pub: Publication) -> Section:
    rates = pub.get("fct_filter_error_rates")
    queries = pub.get("fct_query_export_anonymised")
    if rates is None or rates.empty:
        return unavailable(
            "table",
            "table-filter",
            "The keyword filter",
            missing_reason(pub, "fct_filter_error_rates"),
        )
    body = Markup("")
    if queries is not None:
        flagged = queries[queries["rule_code"].notna()]
        counts = flagged.groupby("rule_code").agg(
            queries=("query_anonymised", "size"), occurrences=("n_occurrences", "sum")
        )
        frame = pd.DataFrame(
            {
                "rule": list(RULES),
                "matches": list(RULES.values()),
                "distinct queries": [int(counts["queries"].get(r, 0)) for r in RULES],
                "occurrences": [int(counts["occurrences"].get(r, 0)) for r in RULES],
            }
        )
        total = pd.DataFrame(
            {
                "rule": ["none"],
                "matches": ["not flagged"],
                "distinct queries": [int(queries["rule_code"].isna().sum())],
                "occurrences": [
                    int(queries.loc[queries["rule_code"].isna(), "n_occurrences"].sum())
                ],
            }
        )
        body += html_table(
            pd.concat([frame, total], ignore_index=True),
            "table-filter-rules",
            "Queries of the published (anonymised) export by the first rule that flags them",
        )
    names = {"f_prime_plus": "f'+ (flagged, not paedophile)", "f_minus": "f- (paedophile, missed)"}
    level = int(round(100 * float(rates["confidence"].iloc[0])))
    shown = pd.DataFrame(
        {
            "source": rates["source"]
            .map(
                {"report": "the technical report's counts", "query_log": "this project's query log"}
            )
            .fillna(rates["source"]),
            "rate": rates["rate"].map(names).fillna(rates["rate"]),
            "count": [
                f"{int(a):,} of {int(b):,}"
                for a, b in zip(rates["numerator"], rates["denominator"], strict=True)
            ],
            "estimate": rates["estimate"],
            f"{level} % Wilson": [
                _pct_interval(a, b)
                for a, b in zip(rates["wilson_low"], rates["wilson_high"], strict=True)
            ],
            f"{level} % Clopper-Pearson": [
                _pct_interval(a, b)
                for a, b in zip(
                    rates["clopper_pearson_low"], rates["clopper_pearson_high"], strict=True
                )
            ],
        }
    )
    body += html_table(
        shown,
        "table-filter-rates",
        "Error rates of the filter against the experts' labels",
        formats={"estimate": pct(2)},
    )
    return Section(
        "table-filter",
        "table",
        "The keyword filter and its error rates",
        body,
        Markup(
            "Rules of appendix A of the filter's technical report, first match wins. f'+: the "
            "share of flagged queries the experts judge not paedophile; f-: the share of "
            "paedophile queries the filter misses. The counts are over the anonymised export "
            "(words seen in fewer than var anonymise_min_queries distinct queries replaced by "
            "integers); no query is linked to a person or place."
        ),
    )


def source_audit(pub: Publication) -> Section:
    audit = pub.get("fct_source_audit")
    if audit is None or audit.empty:
        return unavailable(
            "table", "table-sources", "Sources", missing_reason(pub, "fct_source_audit")
        )
    rows = []
    for check, part in audit.groupby("check_name", sort=True):
        upper = part["min_share"].isna().all() and part["max_share"].notna().any()
        worst = part["share"].max() if upper else part["share"].min()
        bound = part["max_share"].min() if upper else part["min_share"].max()
        rows.append(
            {
                "check": check,
                "scopes": len(part),
                "expected": int(part["n_expected"].sum()),
                "found": int(part["n_found"].sum()),
                "share, worst scope": worst,
                "required": "–" if missing(bound) else f"{'≤' if upper else '≥'} {100 * bound:g} %",
                "passed": "yes" if part["passed"].all() else "NO",
            }
        )
    body = html_table(
        pd.DataFrame(rows),
        "table-sources-data",
        "Files expected and found, join rates (per check, over its scopes: cities, sources)",
        formats={"share, worst scope": pct(1)},
    )
    rows = []
    for name, info in sorted(pub.record.get("tables", {}).items()):
        table = pub.get(name)
        if table is None or not info.get("suppressed_columns"):
            continue
        small = int(table["is_small_population"].sum()) if "is_small_population" in table else 0
        few = int(table["is_few_tiles"].sum()) if "is_few_tiles" in table else 0
        rows.append((name, len(table), small, few, len(info["suppressed_columns"])))
    if rows:
        body += html_table(
            pd.DataFrame(
                rows,
                columns=[
                    "published table",
                    "rows",
                    "rows under the population threshold",
                    "rows from too few tiles",
                    "columns suppressed there",
                ],
            ),
            "table-sources-suppressed",
            f"Small-area suppression of this publication (population < "
            f"{pub.record.get('min_population')}, tiles < {pub.record.get('min_tiles')})",
        )
    return Section(
        "table-sources",
        "table",
        "Sources: coverage, joins and suppression",
        body,
        Markup(
            "A check below its required share fails the build (dbt tests upstream of the marts)"
            "; the suppressed values are NULL in every published file."
        ),
    )


def sections(pub: Publication) -> list[tuple[str, list[Section]]]:
    """The report's parts, in reading order."""
    return [
        ("Estimate", [figure1(pub), table1(pub), sensitivity(pub)]),
        (
            "Validation and correlates",
            [figure2(pub), table2(pub), robustness(pub), regression_table(pub, 3)],
        ),
        (
            "Spatial and temporal patterns",
            [moran(pub), lisa(pub), figure3(pub), figure4(pub), table4(pub), figure5(pub)],
        ),
        ("The keyword filter", [keyword_filter(pub)]),
        ("Sources", [source_audit(pub)]),
        (
            "Robustness (appendix)",
            [regression_table(pub, 5), regression_table(pub, 6), regression_table(pub, 7)],
        ),
    ]

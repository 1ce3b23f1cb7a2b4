"""Spatial and temporal patterns: Moran's I, the LISA maps, Figures 3 and 4 (the
heatmaps and the top commune) and Table 4 (places in the top tiles)."""

from __future__ import annotations

from html import escape

import pandas as pd
from markupsafe import Markup

from analysis_py.report import charts, maps
from analysis_py.report.data import SPATIAL_NEED, Publication, missing, missing_reason
from analysis_py.report.sections.common import (
    LISA_COLOURS,
    Section,
    html_table,
    svg_or_suppressed,
    unavailable,
)


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
            "permutation p (one-tailed)": pooled["p_value"],
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
            "models. The permutation p-values are esda's folded pseudo p-values, one-tailed in "
            "the observed direction. Per-area values are in fct_spatial_autocorrelation."
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
    legend["not significant"] = (maps.NO_VALUE_FILL, False)
    legend["suppressed or no value"] = (charts.SUPPRESSED_FILL, True)

    def style_of(r):
        if missing(r.quadrant):
            return charts.SUPPRESSED_FILL, True, "suppressed"
        if bool(r.is_significant):
            return LISA_COLOURS[r.quadrant], False, f"{r.quadrant}-significant"
        return maps.NO_VALUE_FILL, False, f"{r.quadrant}-not-significant"

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
        svg = maps.category_maps(merged, style_of, legend, f"figure-lisa-{i}", label)
        blocks.append(f"<h4>{escape(label)}</h4>{svg}")
    return Section(
        "figure-lisa",
        "figure",
        "Local clusters (LISA) by metro area",
        Markup("".join(blocks)),
        Markup(
            "Local Moran's I on the k-nearest-neighbour weights, seeded permutations; HH: a "
            "high value among high neighbours. Significant: a one-tailed (folded) permutation "
            "p-value below the var spatial_significance_level. Exploratory: among hundreds of "
            "communes some are flagged by chance."
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
            blocks.append(f"<div class='panel'>{svg_or_suppressed(svg, title)}</div>")
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
    body = svg_or_suppressed(line, "Hourly cpc") + svg_or_suppressed(heat_svg, "cpc heatmap")
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

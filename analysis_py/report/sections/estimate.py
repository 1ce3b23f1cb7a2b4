"""The estimate: Figure 1 (its composition), Table 1 (the correction factors), the
sensitivity table and Figure 5 (the commune maps)."""

from __future__ import annotations

from html import escape

import pandas as pd
from markupsafe import Markup

from analysis_py.report import charts, maps
from analysis_py.report.data import Publication, fmt, interval_pct, missing_reason
from analysis_py.report.sections.common import (
    Section,
    html_table,
    pct,
    pct_interval,
    unavailable,
)
from analysis_py.report.sections.communes import classes_spanned


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
        intervals=[_share_interval(r) for _, r in comp.iterrows()],
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
            "of onion pages; France: mean commune correlation of log hourly Web_Adult and Tor. "
            "Error bars (France): the 95 % day-bootstrap interval of the mean correction "
            "factor, carried to the share (the share is proportional to it); the global rows "
            "multiply published constants, whose uncertainty the sources do not give, so "
            "they have none. The spread between the three bounds is the larger uncertainty."
        ),
    )


def _share_interval(row) -> tuple[float, float] | None:
    """A bar's interval: the share times the relative interval of the mean c (France's
    rows, fct_global_composition), None where the row has none."""
    low, high, mean_c = (row.get(k) for k in ("mean_c_ci_low", "mean_c_ci_high", "mean_c"))
    if any(v is None or pd.isna(v) for v in (low, high, mean_c)) or mean_c == 0:
        return None
    share = float(row["share_pct"])
    return share * float(low) / float(mean_c), share * float(high) / float(mean_c)


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
            pct_interval(a, b)
            for a, b in zip(ordered["mean_c_ci_low"], ordered["mean_c_ci_high"], strict=True)
        ]
    frame["traffic-weighted share"] = ordered["traffic_weighted_share"].to_numpy()
    if "traffic_weighted_share_ci_low" in ordered:
        frame["share, 95 % interval"] = [
            pct_interval(a, b)
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


def figure5(pub: Publication) -> Section:
    cpc = pub.get("fct_commune_cpc")
    shapes = pub.get("dim_commune_boundaries")
    if pub.settings.get("traffic_source") == "published":
        return unavailable(
            "figure",
            "figure-5",
            "Figure 5",
            "the authors' published derivative (cpc_com.csv) has no commune polygons; the "
            "outlines of this build belong to other data (the synthetic sample), so no "
            "map is drawn",
        )
    if cpc is None or shapes is None:
        return unavailable(
            "figure", "figure-5", "Figure 5", missing_reason(pub, "dim_commune_boundaries")
        )
    cpc = cpc.assign(
        interval_relative_width=(cpc["cpc_per_1000_ci_high"] - cpc["cpc_per_1000_ci_low"])
        / cpc["cpc_per_1000"]
    )
    columns = ["code_com", "cpc_per_1000", "interval_relative_width"]
    merged = shapes.merge(cpc[columns], on="code_com", how="inner")
    if merged.empty:
        return unavailable(
            "figure",
            "figure-5",
            "Figure 5",
            "no study commune has a boundary in the ADMIN EXPRESS edition of this build",
        )
    breaks = maps.quantile_breaks(cpc["cpc_per_1000"])
    svg = maps.class_maps(
        merged, "cpc_per_1000", breaks, "cpc per 1000 inhabitants (quintile classes)", "figure-5"
    )
    widths = cpc["interval_relative_width"]
    width_svg = ""
    rated = cpc[cpc["cpc_per_1000_ci_low"].notna() & cpc["cpc_per_1000"].notna()]
    spanning = ""
    if widths.notna().sum() >= maps.MAP_CLASSES:
        width_svg = maps.class_maps(
            merged,
            "interval_relative_width",
            maps.quantile_breaks(widths),
            "width of the 95 % interval / estimate (quintile classes)",
            "figure-5-width",
        )
        n_span = int((classes_spanned(rated, breaks) >= 2).sum())
        spanning = (
            f" {n_span} of the {len(rated)} communes with an interval have one that spans two "
            "or more of the quintile classes: their class is not certain. The second map "
            "shows each interval's width relative to its estimate (median "
            f"{fmt(float(widths.median()), 2)})."
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
        "Figure 5. Estimated cpc per 1000 inhabitants by commune, and how uncertain it is",
        Markup(svg) + Markup(width_svg),
        Markup(
            "Quintiles of cpc per 1000 over all published communes; hatched: suppressed by the "
            f"publication's small-area rules.{escape(spanning)}{escape(note)}"
        ),
    )

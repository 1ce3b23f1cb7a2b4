"""The communes, for a public-health reader: the table of communes by cpc per 1000 with
their intervals and rank ranges, and the funnel plot (Spiegelhalter 2005) that compares
rates across communes of unequal size."""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd
from markupsafe import Markup

from analysis_py.report import charts
from analysis_py.report.data import Publication, fmt, missing, missing_reason
from analysis_py.report.sections.common import Section, html_table, unavailable
from analysis_py.stats.funnel import funnel

FUNNEL_LEVELS = (0.95, 0.998)


def _published_rates(pub: Publication) -> pd.DataFrame | None:
    """The communes whose cpc per 1000 the publication gives (not suppressed)."""
    cpc = pub.get("fct_commune_cpc")
    if cpc is None:
        return None
    return cpc[cpc["cpc_per_1000"].notna() & (cpc["pop"].fillna(0) > 0)]


def _rank_range(row) -> str:
    low, high = row.get("cpc_rank_ci_low"), row.get("cpc_rank_ci_high")
    if missing(low) or missing(high):
        return "–"
    return f"{int(low)}–{int(high)}"


def commune_table(pub: Publication) -> Section:
    rates = _published_rates(pub)
    if rates is None or rates.empty:
        return unavailable(
            "table", "table-communes", "Communes", missing_reason(pub, "fct_commune_cpc")
        )
    ordered = rates.sort_values(["cpc_per_1000", "code_com"], ascending=[False, True])
    n_all = len(pub.get("fct_commune_cpc"))
    frame = pd.DataFrame(
        {
            "rank": [fmt(r, 0) if not missing(r) else "–" for r in ordered.get("cpc_rank")],
            "commune": [
                f"{n} ({c})"
                for n, c in zip(ordered["commune_name"], ordered["code_com"], strict=True)
            ],
            "metro area": ordered["city"].fillna("–"),
            "population": [f"{int(p):,}" for p in ordered["pop"]],
            "cpc per 1000 inhabitants": ordered["cpc_per_1000"],
            "95 % interval": [
                "–" if missing(a) or missing(b) else f"{fmt(a, 3)} – {fmt(b, 3)}"
                for a, b in zip(
                    ordered["cpc_per_1000_ci_low"], ordered["cpc_per_1000_ci_high"], strict=True
                )
            ],
            "rank range (95 %)": [_rank_range(r) for _, r in ordered.iterrows()],
            "chance of being in the top tenth": [
                "–" if missing(p) else f"{100 * float(p):.0f} %"
                for p in ordered.get("top_decile_probability", pd.Series([None] * len(ordered)))
            ],
        }
    )
    method = ordered["ci_method"].dropna()
    interval_kind = (
        "EWC interval (holds when traffic persists from day to day)"
        if not method.empty and method.iloc[0] == "ewc"
        else "day-bootstrap interval"
    )
    return Section(
        "table-communes",
        "table",
        "Communes by estimated cpc per 1000 inhabitants, with their uncertainty",
        html_table(
            frame,
            "table-communes-data",
            f"{len(ordered):,} of {n_all:,} study communes (the others are suppressed by the "
            "publication's small-area rules or have no population)",
            formats={"cpc per 1000 inhabitants": lambda v: fmt(v, 3)},
        ),
        Markup(
            escape(
                f"cpc per 1000: the estimated CSAM-related share of the commune's Tor "
                f"traffic per 1000 inhabitants (operator-normalised traffic, no unit: it "
                f"compares communes, it does not count people). Interval: the 95 % "
                f"{interval_kind}. Rank: 1 = highest among all study communes; the rank "
                "range and the chance of being in the top tenth come from the day-bootstrap "
                "replicates, which understate day-to-day persistence: read them as at least "
                "this uncertain. Exploratory, area-level estimates: they say nothing about "
                "any individual."
            )
        ),
    )


def funnel_plot(pub: Publication) -> Section:
    rates = _published_rates(pub)
    if rates is None or len(rates) < 3:
        return unavailable(
            "figure", "figure-funnel", "Funnel plot", missing_reason(pub, "fct_commune_cpc")
        )
    population = rates["pop"].to_numpy(float)
    values = rates["cpc_per_1000"].to_numpy(float)
    f = funnel(values, population)
    outside = f.outside(values, population, max(FUNNEL_LEVELS))
    svg = charts.funnel_chart(
        population,
        values,
        outside,
        f.limits,
        f.target,
        FUNNEL_LEVELS,
        "cpc per 1000 inhabitants",
        "figure-funnel",
    )
    n_out95 = int(f.outside(values, population, 0.95).sum())
    return Section(
        "figure-funnel",
        "figure",
        "Funnel plot: cpc per 1000 against population",
        Markup(svg),
        Markup(
            escape(
                f"Each point a published commune ({len(values):,}). The lines are the "
                f"overall rate ({fmt(f.target, 3)} per 1000, weighted by population) and the "
                "95 % and 99.8 % control limits of a commune of that size (Spiegelhalter "
                f"2005), widened for over-dispersion (phi = {fmt(f.phi, 3)}, estimated from "
                f"the communes' Winsorised z-scores). {n_out95:,} communes lie outside the "
                f"95 % limits and {int(outside.sum()):,} (in red) outside the 99.8 % limits: "
                "candidates for a closer look, not findings. Small communes vary most by "
                "chance: a high rate there is weak evidence."
            )
        ),
    )


def classes_spanned(rates: pd.DataFrame, breaks: list[float]) -> np.ndarray:
    """How many of the map's classes each commune's interval spans (1 = its interval
    lies within one class)."""
    low = np.searchsorted(breaks, rates["cpc_per_1000_ci_low"].to_numpy(float), side="right")
    high = np.searchsorted(breaks, rates["cpc_per_1000_ci_high"].to_numpy(float), side="right")
    return high - low + 1

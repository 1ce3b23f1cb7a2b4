"""Validation and correlates: Figure 2 (the Trends PCA), Table 2 and its robustness,
the regression tables (Tables 3, 5, 6, 7)."""

from __future__ import annotations

from html import escape

import pandas as pd
from markupsafe import Markup

from analysis_py.report import charts
from analysis_py.report.data import Publication, fmt, interval, missing_reason
from analysis_py.report.sections.common import Section, html_table, unavailable
from analysis_py.report.tables import cov_note, side_by_side


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
    regressions = pub.get("fct_regressions")
    element = f"table-{number}"
    paper_table = f"Table {number}"
    if regressions is None:
        return unavailable("table", element, paper_table, missing_reason(pub, "fct_regressions"))
    # the tables show the covariance type of var regression_cov_type (other types are
    # extra rows of the tidy mart)
    cov_type = pub.settings.get("regression_cov_type", "HC3")
    models = regressions[
        (regressions["paper_table"] == paper_table) & (regressions["cov_type"] == cov_type)
    ]
    tables = side_by_side(models)
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

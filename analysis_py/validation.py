"""Validation and regressions of the paper (method.md sections 8-9), as tidy frames.

- :func:`validation_correlations` - Table 2: Spearman's rho of the sexual-violence rate
  with each log per-1000 indicator, over communes with a published commune rate;
- :func:`correlation_comparisons` - is cpc's correlation stronger than each other
  indicator's? The notebook's ad-hoc statistic for parity, and the proper tests for two
  dependent correlations sharing a variable (Williams, Steiger, Meng-Rosenthal-Rubin);
- :func:`run_regressions` - Tables 3, 5, 6, 7: OLS with robust standard errors, one row
  per model x term;
- :func:`regression_table` and the renderers - a paper-style side-by-side table.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from analysis_py import stats

INDICATORS = (
    "log_youtube_per_1000",
    "log_web_adult_per_1000",
    "log_tor_per_1000",
    "log_cpc_per_1000",
    # the paper's robustness row: cpc from the factor with a 2-hour Tor lag (0.28 -> 0.34)
    "log_cpc_per_1000_lag2",
)


def validation_correlations(
    features: pd.DataFrame, outcome: str, indicators: tuple[str, ...] = INDICATORS
) -> pd.DataFrame:
    """Spearman's rho (average ranks), two-sided p-value and n of ``outcome`` with each
    indicator, over the rows where the outcome is published (not null) and the
    indicator is defined (Table 2; scipy.stats.spearmanr). An indicator defined on fewer
    than 3 such rows (the lagged cpc with the authors' published totals, which carry no
    hourly series) keeps its row, with status ``not_available`` and no estimate."""
    rows = []
    for indicator in indicators:
        sample = features[[indicator, outcome]].dropna()
        if len(sample) < 3:
            rows.append(
                {
                    "indicator": indicator,
                    "outcome": outcome,
                    "spearman_rho": None,
                    "p_value": None,
                    "n": len(sample),
                    "status": f"not_available: {len(sample)} communes with both values",
                }
            )
            continue
        rho, p, n = stats.spearman(sample[indicator], sample[outcome])
        rows.append(
            {
                "indicator": indicator,
                "outcome": outcome,
                "spearman_rho": rho,
                "p_value": p,
                "n": n,
                "status": "estimated",
            }
        )
    return pd.DataFrame(rows)


def correlation_comparisons(
    features: pd.DataFrame,
    outcome: str,
    target: str = "log_cpc_per_1000",
    others: tuple[str, ...] = INDICATORS[:3],
    level: float = 0.95,
) -> pd.DataFrame:
    """For each other indicator k: does the target j = cpc correlate more strongly with
    the outcome h than k does? Spearman correlations r_kh (other, outcome), r_jh
    (target, outcome), r_kj (other, target) over the rows where all three are defined;
    the notebook's ad-hoc t (labelled as such), Williams' t (df n - 3), Steiger's Z and
    Meng-Rosenthal-Rubin's Z, each with its two-sided p-value. Negative statistics mean
    the target's correlation is the stronger. ``difference`` = r_target_outcome -
    r_indicator_outcome with Zou's (2007) interval at ``level`` (method.md section 13).
    """
    from analysis_py.uncertainty import spearman_ci_bonett_wright, zou_difference_ci

    rows = []
    for other in others:
        sample = features[[other, target, outcome]].dropna()
        n = len(sample)
        r_other_outcome = stats.spearman(sample[other], sample[outcome])[0]
        r_target_outcome = stats.spearman(sample[target], sample[outcome])[0]
        r_other_target = stats.spearman(sample[other], sample[target])[0]
        args = (r_other_outcome, r_target_outcome, r_other_target, n)
        notebook = stats.notebook_dependent_corr_test(*args)
        williams = stats.williams_t(*args)
        steiger = stats.steiger_z(*args)
        mrr = stats.meng_rosenthal_rubin_z(*args)
        # Zou's (2007) interval of r(cpc, outcome) - r(indicator, outcome), each
        # correlation's own interval Fisher's with the Bonett-Wright variance
        zou = zou_difference_ci(
            r_target_outcome,
            r_other_outcome,
            r_other_target,
            n,
            level,
            ci_jk=spearman_ci_bonett_wright(r_target_outcome, n, level),
            ci_jh=spearman_ci_bonett_wright(r_other_outcome, n, level),
        )
        rows.append(
            {
                "indicator": other,
                "target": target,
                "outcome": outcome,
                "n": n,
                "r_indicator_outcome": r_other_outcome,
                "r_target_outcome": r_target_outcome,
                "r_indicator_target": r_other_target,
                "notebook_adhoc_t": notebook.statistic,
                "notebook_adhoc_p": notebook.p_value,
                "williams_t": williams.statistic,
                "williams_df": williams.df,
                "williams_p": williams.p_value,
                "steiger_z": steiger.statistic,
                "steiger_p": steiger.p_value,
                "meng_rosenthal_rubin_z": mrr.statistic,
                "meng_rosenthal_rubin_p": mrr.p_value,
                "difference": r_target_outcome - r_other_outcome,
                "zou_ci_low": zou[0],
                "zou_ci_high": zou[1],
                "ci_level": level,
            }
        )
    return pd.DataFrame(rows)


SAMPLE_RULES = {
    "all": lambda f: pd.Series(True, index=f.index),
    "sexual_violence_positive": lambda f: f["sexual_violence_per_1000"] > 0,
    "drug_use_available": lambda f: f["drug_use_per_1000"].notna(),
}
# the variables each sample rule reads
SAMPLE_RULE_VARIABLES = {
    "sexual_violence_positive": ["sexual_violence_per_1000"],
    "drug_use_available": ["drug_use_per_1000"],
}

TIDY_COLUMNS = [
    "model_id",
    "paper_table",
    "column_label",
    "dependent",
    "sample_rule",
    "term",
    "term_order",
    "estimate",
    "std_error",
    "statistic",
    "p_value",
    "stars",
    "n",
    "r2",
    "adj_r2",
    "cov_type",
    "status",
    "fallback_rule",
    "control_set",
    "c_replicates_ci_low",
    "c_replicates_ci_high",
]

CPC_COLUMN = "log_cpc_per_1000"


def _replicate_spread(data, dependent, terms, features, replicates, level):
    """Percentile interval of each coefficient (intercept first) of the OLS of
    ``dependent`` on ``terms`` over ``data``'s rows refitted with log_cpc_per_1000
    replaced by each replicate's values; None when the model does not use it or no
    replicate is complete. Point estimates by least squares (numpy)."""
    if replicates is None or replicates.empty or CPC_COLUMN not in [dependent, *terms]:
        return None
    codes = features.loc[data.index, "code_com"]
    values = replicates.reindex(columns=codes).to_numpy(dtype=float)  # (replicates, n)
    values = values[~np.isnan(values).any(axis=1)]
    if len(values) == 0:
        return None
    design = np.column_stack([np.ones(len(data)), data[terms].to_numpy(dtype=float)])
    if dependent == CPC_COLUMN:
        estimates = np.linalg.lstsq(design, values.T, rcond=None)[0].T
    else:
        at = 1 + terms.index(CPC_COLUMN)
        y = data[dependent].to_numpy(dtype=float)
        estimates = np.empty((len(values), design.shape[1]))
        for r, column in enumerate(values):
            design[:, at] = column
            estimates[r] = np.linalg.lstsq(design, y, rcond=None)[0]
    low, high = np.quantile(estimates, [(1 - level) / 2, (1 + level) / 2], axis=0)
    return low, high


def adjust_p_values_bh(tidy: pd.DataFrame) -> pd.Series:
    """Benjamini-Hochberg adjusted p-values (statsmodels multipletests, fdr_bh) within
    each paper table and covariance type, over the estimated terms other than the
    intercept (NULL for the intercept and for rows without a p-value)."""
    from statsmodels.stats.multitest import multipletests

    adjusted = pd.Series(np.nan, index=tidy.index)
    eligible = tidy["p_value"].notna() & (tidy["term"] != "(Intercept)")
    for _, part in tidy[eligible].groupby(["paper_table", "cov_type"], sort=True):
        adjusted[part.index] = multipletests(part["p_value"].to_numpy(), method="fdr_bh")[1]
    return adjusted


# the regression sample's treatment of the INSEE and election fallbacks (var
# regression_fallbacks), as each row of fct_regressions states it
FALLBACK_RULES = {True: "fallbacks_kept", False: "commune_level_values_only"}


def published_variables(variables: pd.DataFrame, given: set[str] | None = None) -> set[str]:
    """The regression variables that the authors' published files give (seed
    regression_variables, column published_source), restricted to the files ``given``
    (None: all of them)."""
    source = variables.set_index("column_name")["published_source"]
    return {
        c
        for c, s in source.items()
        if isinstance(s, str) and s.strip() and (given is None or s.strip() in given)
    }


def published_controls(
    controls: list[str], variables: pd.DataFrame, given: set[str] | None = None
) -> list[str]:
    """The controls of ``controls``, in order, that the authors' published files
    (``given``) give: the reduced Tables 3 and 6 of method.md section 12."""
    available = published_variables(variables, given)
    return [c for c in controls if c in available]


def model_terms(spec, controls: list[str], features: pd.DataFrame) -> list[str]:
    """The regressors of a model of the seed regression_models, in the paper's order:
    the controls, then the extra terms, the drug-use rate right after the singles share
    (Table 5). Unknown columns or sample rules raise, naming the model."""
    extra = str(spec.extra_terms or "").split()
    terms = [*controls, *(t for t in extra if t != "drug_use_per_1000")]
    if "drug_use_per_1000" in extra:
        at = terms.index("share_singles") + 1 if "share_singles" in terms else len(terms)
        terms.insert(at, "drug_use_per_1000")
    missing = [c for c in [spec.dependent, *terms] if c not in features.columns]
    if missing:
        raise KeyError(f"model {spec.model_id}: unknown feature columns {missing}")
    if spec.sample_rule not in SAMPLE_RULES:
        raise ValueError(f"model {spec.model_id}: unknown sample rule {spec.sample_rule!r}")
    return terms


def model_frame(features: pd.DataFrame, spec, terms: list[str], fallbacks: bool = True):
    """The rows a model is fitted on: complete on its variables (listwise deletion),
    within its sample rule, and without fallback values when ``fallbacks`` is False."""
    data = features[[spec.dependent, *terms]].dropna()
    data = data[SAMPLE_RULES[spec.sample_rule](features.loc[data.index])]
    if not fallbacks:
        data = data[features.loc[data.index, "n_fallback_values"] == 0]
    return data


def run_regressions(
    features: pd.DataFrame,
    models: pd.DataFrame,
    controls: list[str],
    cov_type: str,
    min_rows_per_parameter: int = 2,
    cluster_column: str | None = None,
    fallbacks: bool = True,
    control_set: str = "paper",
    available: set[str] | None = None,
    replicates: pd.DataFrame | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """OLS with heteroscedasticity-robust SE for each model of ``models`` (columns
    model_id, paper_table, column_label, dependent, extra_terms, sample_rule):
    dependent ~ controls + extra terms, listwise deletion of rows with any missing
    variable, t-tests on the residual df (:func:`analysis_py.stats.ols_robust`, on
    statsmodels). ``cov_type`` ``cluster`` clusters by ``cluster_column`` of features.

    ``fallbacks`` False also drops the communes where a control came from a coarser
    level than the method's (features column ``n_fallback_values`` > 0). Every row
    states the rule (``fallback_rule``) and ``control_set`` (``paper``, or
    ``published_reduced``: the controls the authors' files give).

    A model with too few rows (fewer than ``min_rows_per_parameter`` per parameter) or a
    singular design is reported with status ``not_estimable`` and no estimates, not
    dropped; with no row at all the reason names the variables that have no value. With
    ``available`` (the variables the inputs give, e.g. the authors' published files), a
    model that needs any other variable, as a term or for its sample rule, is
    ``not_estimable`` with that reason instead of being fitted on whatever else the
    features hold.

    ``replicates`` (bootstrap replicates x communes of log_cpc_per_1000, from the
    replicates of c): every model with log_cpc_per_1000 as dependent or term is refitted
    on each replicate, same rows, and each term gets the percentile interval of its
    estimate at ``level`` (``c_replicates_ci_low``, ``c_replicates_ci_high``): how far
    the uncertainty of c moves it (method.md section 13).
    """
    if not isinstance(fallbacks, bool):
        raise TypeError(f"fallbacks must be true or false, got {fallbacks!r}")
    if not fallbacks and "n_fallback_values" not in features.columns:
        raise KeyError("fallbacks false needs the features column n_fallback_values")
    rows = []
    for spec in models.itertuples(index=False):
        terms = model_terms(spec, controls, features)
        needed = [spec.dependent, *terms, *SAMPLE_RULE_VARIABLES.get(spec.sample_rule, [])]
        lacking = [c for c in dict.fromkeys(needed) if available is not None and c not in available]
        data = model_frame(features, spec, terms, fallbacks)
        base = {
            "model_id": spec.model_id,
            "paper_table": spec.paper_table,
            "column_label": spec.column_label,
            "dependent": spec.dependent,
            "sample_rule": spec.sample_rule,
            "n": len(data),
            "cov_type": cov_type,
            "fallback_rule": FALLBACK_RULES[fallbacks],
            "control_set": control_set,
        }
        try:
            if lacking:
                raise ValueError(f"{', '.join(lacking)} not given by the inputs ({control_set})")
            if data.empty:
                empty = [c for c in [spec.dependent, *terms] if features[c].isna().all()]
                raise ValueError(
                    "no complete row" + (f": no value of {', '.join(empty)}" if empty else "")
                )
            if len(data) < min_rows_per_parameter * (len(terms) + 1):
                raise ValueError(f"{len(data)} rows for {len(terms) + 1} parameters")
            groups = None
            if cov_type == "cluster":
                if cluster_column not in features.columns:
                    raise KeyError(f"cov_type cluster: unknown cluster column {cluster_column!r}")
                groups = features.loc[data.index, cluster_column].to_numpy()
            fit = stats.ols_robust(data[spec.dependent].to_numpy(), data[terms], cov_type, groups)
        except ValueError as exc:
            rows.append(
                {
                    **base,
                    "term": None,
                    "term_order": None,
                    "estimate": None,
                    "std_error": None,
                    "statistic": None,
                    "p_value": None,
                    "stars": None,
                    "r2": None,
                    "adj_r2": None,
                    "status": f"not_estimable: {exc}",
                    "c_replicates_ci_low": None,
                    "c_replicates_ci_high": None,
                }
            )
            continue
        spread = _replicate_spread(data, spec.dependent, terms, features, replicates, level)
        for i, term in enumerate(fit.terms):
            order = i
            rows.append(
                {
                    **base,
                    "c_replicates_ci_low": spread[0][i] if spread else None,
                    "c_replicates_ci_high": spread[1][i] if spread else None,
                    "term": term,
                    "term_order": order,
                    "estimate": float(fit.estimate[i]),
                    "std_error": float(fit.std_error[i]),
                    "statistic": float(fit.statistic[i]),
                    "p_value": float(fit.p_value[i]),
                    "stars": stats.stars(float(fit.p_value[i])),
                    "r2": fit.r2,
                    "adj_r2": fit.adj_r2,
                    "status": "estimated",
                }
            )
    return pd.DataFrame(rows, columns=TIDY_COLUMNS)


def _fmt(x: float) -> str:
    """Two decimals as the paper, more for small values (0.003, -0.0001)."""
    if x == 0 or abs(x) >= 0.01:
        return f"{x:.2f}"
    digits = int(np.ceil(-np.log10(abs(x))))
    return f"{x:.{digits}f}"


def regression_table(tidy: pd.DataFrame, labels: dict[str, str], paper_table: str) -> pd.DataFrame:
    """Paper-style table of one paper table's models: one column per model, a row per
    term ("estimate stars (SE)"), then Observations, R2, Adjusted R2."""
    part = tidy[(tidy["paper_table"] == paper_table) & (tidy["status"] == "estimated")]
    models = list(dict.fromkeys(part["model_id"]))
    order: list[str] = []
    for term in part.sort_values(["term_order"])["term"]:
        if term not in order and term != "(Intercept)":
            order.append(term)
    order.append("(Intercept)")
    columns = {}
    for model in models:
        m = part[part["model_id"] == model].set_index("term")
        cells = [
            f"{_fmt(m.at[t, 'estimate'])}{m.at[t, 'stars']} ({_fmt(m.at[t, 'std_error'])})"
            if t in m.index
            else ""
            for t in order
        ]
        first = m.iloc[0]
        cells += [str(int(first["n"])), f"{first['r2']:.2f}", f"{first['adj_r2']:.2f}"]
        columns[f"{first['column_label']}"] = cells
    index = [labels.get(t, "Constant" if t == "(Intercept)" else t) for t in order]
    index += ["Observations", "R²", "Adjusted R²"]
    return pd.DataFrame(columns, index=pd.Index(index, name="term"))


WIDE_KEYS = ["paper_table", "table_title", "line_order", "term"]


def regression_table_wide(
    tidy: pd.DataFrame, labels: dict[str, str], titles: dict[str, str]
) -> pd.DataFrame:
    """Every paper table of ``tidy`` side by side, the one reshape of the regressions
    (the mart fct_regression_table_wide; the report and the exports read it): one row
    per paper table and line with ``table_title`` and, for the k-th estimated model of
    the table (order of the seed regression_models), ``model_k_label`` and ``model_k``
    (the cell text of :func:`regression_table`). Tables with fewer models leave the
    higher columns NULL."""
    frames = []
    for paper_table in sorted(tidy["paper_table"].dropna().unique()):
        table = regression_table(tidy, labels, paper_table)
        if table.empty or not len(table.columns):
            continue
        frame = pd.DataFrame(
            {
                "paper_table": paper_table,
                "table_title": _title(titles, paper_table),
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


def _title(titles: dict[str, str], paper_table: str) -> str:
    if paper_table not in titles:
        raise KeyError(
            f"{paper_table} (seed regression_models) has no title in the seed regression_tables"
        )
    return titles[paper_table]


def tables_from_wide(wide: pd.DataFrame) -> dict[str, tuple[str, pd.DataFrame]]:
    """Paper table -> (title, table with the model labels as columns) from the wide
    mart's rows: a selection of its columns, no reshape."""
    out = {}
    for paper_table, part in wide.sort_values(["paper_table", "line_order"]).groupby(
        "paper_table", sort=True
    ):
        k = 1
        columns = {}
        while f"model_{k}" in part and part[f"model_{k}_label"].notna().any():
            columns[str(part[f"model_{k}_label"].dropna().iloc[0])] = part[f"model_{k}"].to_numpy()
            k += 1
        table = pd.DataFrame(columns, index=pd.Index(part["term"].to_numpy(), name="term"))
        out[paper_table] = (str(part["table_title"].iloc[0]), table)
    return out


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


# ---------------------------------------------------------------- intervals (method.md 13, 14)


def _rank_rows(values: np.ndarray) -> np.ndarray:
    """Average ranks along the last axis (scipy)."""
    from scipy.stats import rankdata

    return rankdata(values, axis=-1)


def _pearson_rows(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    xc = x - x.mean(axis=-1, keepdims=True)
    yc = y - y.mean(axis=-1, keepdims=True)
    return (xc * yc).sum(-1) / np.sqrt((xc * xc).sum(-1) * (yc * yc).sum(-1))


def commune_bootstrap_spearman(
    x: np.ndarray, y: np.ndarray, replicates: int, seed: int, level: float
) -> tuple[float, float]:
    """Percentile interval of Spearman's rho over a seeded bootstrap of the communes
    (rows drawn with replacement, ranks recomputed in each replicate)."""
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(x), size=(replicates, len(x)))
    rho = _pearson_rows(_rank_rows(np.asarray(x)[idx]), _rank_rows(np.asarray(y)[idx]))
    low, high = np.quantile(rho, [(1 - level) / 2, (1 + level) / 2])
    return float(low), float(high)


def replicate_spearman(
    outcome: pd.Series, replicate_values: pd.DataFrame, level: float
) -> tuple[float, float, int]:
    """The spread of an indicator's Spearman correlation with ``outcome`` over the
    bootstrap replicates of c (the uncertainty of c propagated, method.md section 13):
    ``replicate_values`` is (replicates x communes) of the indicator recomputed in each
    replicate, columns the communes of ``outcome``'s index. Percentile interval and the
    number of replicates."""
    values = replicate_values.reindex(columns=outcome.index).to_numpy()
    keep = ~np.isnan(values).any(axis=1)
    if not keep.any():
        return None, None, 0
    rho = _pearson_rows(_rank_rows(values[keep]), _rank_rows(outcome.to_numpy()[None, :]))
    low, high = np.quantile(rho, [(1 - level) / 2, (1 + level) / 2])
    return float(low), float(high), int(keep.sum())


def add_correlation_intervals(
    table: pd.DataFrame,
    features: pd.DataFrame,
    level: float,
    replicates: int,
    seed: int,
    c_replicates: dict[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Table 2's intervals beside each estimated Spearman rho (method.md section 13):
    Fisher's z with the Bonett-Wright variance, a seeded commune bootstrap, and, for the
    indicators with replicates of c (``c_replicates``: indicator -> replicates x
    communes), the spread of the correlation over those replicates."""
    from analysis_py.uncertainty import spearman_ci_bonett_wright

    out = table.copy()
    for column in (
        "ci_low",
        "ci_high",
        "bootstrap_ci_low",
        "bootstrap_ci_high",
        "c_replicates_ci_low",
        "c_replicates_ci_high",
    ):
        out[column] = np.nan
    out["n_c_replicates"] = 0
    for i, row in out.iterrows():
        if row["status"] != "estimated":
            continue
        sample = features[[row["indicator"], row["outcome"]]].dropna()
        out.loc[i, ["ci_low", "ci_high"]] = spearman_ci_bonett_wright(
            row["spearman_rho"], int(row["n"]), level
        )
        out.loc[i, ["bootstrap_ci_low", "bootstrap_ci_high"]] = commune_bootstrap_spearman(
            sample[row["indicator"]].to_numpy(),
            sample[row["outcome"]].to_numpy(),
            replicates,
            seed,
            level,
        )
        reps = (c_replicates or {}).get(row["indicator"])
        if reps is not None and not reps.empty:
            outcome = features.loc[sample.index].set_index("code_com")[row["outcome"]]
            low, high, n = replicate_spearman(outcome, reps, level)
            out.loc[i, ["c_replicates_ci_low", "c_replicates_ci_high"]] = (low, high)
            out.loc[i, "n_c_replicates"] = n
    out["ci_level"] = level
    return out


def partial_spearman(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> float:
    """Spearman correlation of x and y controlling for z: the Pearson correlation of the
    residuals of rank(x) and rank(y) on rank(z) (equal to the partial-correlation
    formula on the three Spearman coefficients)."""
    rx, ry, rz = (_rank_rows(np.asarray(v, dtype=float)) for v in (x, y, z))
    design = np.column_stack([np.ones_like(rz), rz])
    ex = rx - design @ np.linalg.lstsq(design, rx, rcond=None)[0]
    ey = ry - design @ np.linalg.lstsq(design, ry, rcond=None)[0]
    return float(np.corrcoef(ex, ey)[0, 1])


ROBUSTNESS_SPECIFICATIONS = {
    "as_published": "published commune values, zeros included (Table 2)",
    "nonzero_only": "published commune values above 0 only",
    "partial_log_population": "as published, partial Spearman controlling for log population",
    "within_metro_ranks": "as published, both variables ranked within their metro area",
    "suppressed_as_zero": "communes whose value the publisher withheld counted as 0",
}


def validation_robustness(
    features: pd.DataFrame,
    outcome: str,
    indicators: tuple[str, ...] = INDICATORS,
    level: float = 0.95,
    suppressed: pd.Series | None = None,
) -> pd.DataFrame:
    """Does Table 2 survive its confounders? (method.md section 14). One row per
    specification of ROBUSTNESS_SPECIFICATIONS and indicator: Spearman's rho, its
    Bonett-Wright interval (for the partial correlation the variance uses n - 4, one
    control), n and a status. ``suppressed`` flags the communes whose commune value the
    publisher withheld (NULL outcome, a departmental value published instead); without
    it (the authors' derivative, where withheld values read 0) suppressed_as_zero is
    not available."""
    from analysis_py.uncertainty import spearman_ci_bonett_wright

    rows = []
    log_pop = np.log(features["pop"].where(features["pop"] > 0))
    for spec, description in ROBUSTNESS_SPECIFICATIONS.items():
        for indicator in indicators:
            frame = features.assign(_log_pop=log_pop)
            y = frame[outcome]
            if spec == "suppressed_as_zero":
                if suppressed is None or not suppressed.any():
                    rows.append(
                        _robust_row(
                            spec,
                            description,
                            indicator,
                            "not_available: no withheld value is identified in the input",
                        )
                    )
                    continue
                y = y.where(~suppressed.reindex(frame.index, fill_value=False), 0.0)
            frame = frame.assign(_y=y)
            columns = [indicator, "_y", "_log_pop", "city"]
            sample = frame[columns].dropna(subset=[indicator, "_y"])
            if spec == "nonzero_only":
                sample = sample[sample["_y"] > 0]
            if spec == "partial_log_population":
                sample = sample.dropna(subset=["_log_pop"])
            n = len(sample)
            if n < 5:
                rows.append(
                    _robust_row(spec, description, indicator, f"not_available: {n} communes", n)
                )
                continue
            if spec == "partial_log_population":
                rho = partial_spearman(sample[indicator], sample["_y"], sample["_log_pop"])
                low, high = spearman_ci_bonett_wright(rho, n - 1, level)
            elif spec == "within_metro_ranks":
                ranks = sample.groupby("city")[[indicator, "_y"]].rank(pct=True)
                rho = float(np.corrcoef(ranks[indicator], ranks["_y"])[0, 1])
                low, high = spearman_ci_bonett_wright(rho, n, level)
            else:
                rho = stats.spearman(sample[indicator], sample["_y"])[0]
                low, high = spearman_ci_bonett_wright(rho, n, level)
            rows.append(
                {
                    **_robust_row(spec, description, indicator, "estimated", n),
                    "spearman_rho": rho,
                    "ci_low": low,
                    "ci_high": high,
                }
            )
    out = pd.DataFrame(rows)
    out["outcome"] = outcome
    out["ci_level"] = level
    return out


def _robust_row(spec, description, indicator, status, n=0):
    return {
        "specification": spec,
        "specification_description": description,
        "indicator": indicator,
        "spearman_rho": None,
        "ci_low": None,
        "ci_high": None,
        "n": n,
        "status": status,
    }


def replicate_matrix(draws: pd.DataFrame, lag: int) -> pd.DataFrame:
    """The bootstrap replicates of log cpc per 1000 at Tor lag ``lag`` as a (replicates x
    communes) frame, from rows of int_commune_factor_draws (lag_hours, replicate,
    code_com, log_cpc_per_1000; replicates > 0), where the estimate's formulas are
    computed. Empty when the lag has no replicate (the authors' published totals)."""
    part = draws[(draws["lag_hours"] == lag) & (draws["replicate"] > 0)]
    if part.empty:
        return pd.DataFrame()
    wide = part.pivot(index="replicate", columns="code_com", values="log_cpc_per_1000")
    return wide.sort_index().astype(float)

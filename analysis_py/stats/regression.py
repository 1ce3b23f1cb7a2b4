"""OLS regressions of the paper's Tables 3, 5, 6, 7 (docs/method.md section 9), as one tidy
frame: one row per model x term x covariance type.

OLS with heteroscedasticity-consistent covariance HC0-HC3 and t-tests on the residual
degrees of freedom (what the authors' R code computes with
``lmtest::coeftest(fit, vcov = sandwich::vcovHC)``, whose default is HC3), or
cluster-robust covariance, by statsmodels; Benjamini-Hochberg adjusted p-values by
statsmodels' multipletests; the spread of each estimate over the bootstrap replicates of
c by least squares (numpy).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis_py.errors import InputError

COV_TYPES = ("HC0", "HC1", "HC2", "HC3", "cluster")


@dataclass(frozen=True)
class OLSResult:
    terms: list[str]
    estimate: np.ndarray
    std_error: np.ndarray
    statistic: np.ndarray
    p_value: np.ndarray
    n: int
    df_resid: int
    r2: float
    adj_r2: float
    cov_type: str
    fit: object | None = None  # the statsmodels results, for residuals and diagnostics


def ols_robust(
    y: np.ndarray,
    x: pd.DataFrame,
    cov_type: str = "HC3",
    groups: np.ndarray | None = None,
) -> OLSResult:
    """OLS of y on x (with a constant) with robust standard errors, by statsmodels.

    ``cov_type`` HC0-HC3: heteroscedasticity-consistent covariance (MacKinnon & White
    1985; Long & Ervin 2000), t-tests on the residual degrees of freedom n - k, as R's
    ``lmtest::coeftest(fit, vcov = sandwich::vcovHC(fit, type))`` (statsmodels
    ``fit(cov_type=..., use_t=True)``). ``cluster``: cluster-robust covariance by
    ``groups`` (statsmodels' small-sample correction, t on G - 1 df).

    The rank is checked first: statsmodels silently fits a rank-deficient design with a
    pseudo-inverse, which would report estimates for unidentified terms.
    """
    import statsmodels.api as sm

    if cov_type not in COV_TYPES:
        raise ValueError(f"cov_type must be one of {COV_TYPES}, got {cov_type!r}")
    y = np.asarray(y, dtype=float)
    design = np.column_stack([np.ones(len(x)), x.to_numpy(dtype=float)])
    terms = ["(Intercept)", *x.columns]
    n, k = design.shape
    if np.isnan(design).any() or np.isnan(y).any():
        raise ValueError("ols_robust: drop rows with missing values first")
    if n <= k:
        raise ValueError(f"ols_robust: {n} observations for {k} parameters")
    if np.linalg.matrix_rank(design) < k:
        raise ValueError("ols_robust: the design matrix is rank deficient")
    model = sm.OLS(y, design)
    if cov_type == "cluster":
        if groups is None or len(groups) != n:
            raise ValueError("ols_robust: cov_type cluster needs one group per row")
        codes = pd.factorize(pd.Series(groups), sort=True)[0]
        if codes.max() < 1:
            raise ValueError("ols_robust: cluster-robust SE need at least two clusters")
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": codes}, use_t=True)
    else:
        fit = model.fit(cov_type=cov_type, use_t=True)
    return OLSResult(
        terms,
        np.asarray(fit.params),
        np.asarray(fit.bse),
        np.asarray(fit.tvalues),
        np.asarray(fit.pvalues),
        n,
        int(fit.df_resid),
        float(fit.rsquared),
        float(fit.rsquared_adj),
        cov_type,
        fit,
    )


def stars(p: float) -> str:
    """The paper's significance stars: * p < 0.1, ** p < 0.05, *** p < 0.01."""
    if p < 0.01:
        return "***"
    if p < 0.05:
        return "**"
    if p < 0.1:
        return "*"
    return ""


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
    "poi_scaling",
]

# var poi_scaling: where the z-scored regressors (seed regression_variables, transform
# z-score: the POI rates) are standardised
POI_SCALINGS = ("regression_sample", "study_communes")


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
    (``given``) give: the reduced Tables 3 and 6 of docs/method.md section 12."""
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


def scale_within(data: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``data`` with ``columns`` z-scored over its own rows: (x - mean) / sd, sd with n - 1
    as R's ``scale()`` (the authors' 9_regression.R scales after ``drop_na``, over the
    regression sample). A z-score of a z-score over other rows is the z-score of the raw
    values over these rows, so the study-wide z columns can be rescaled here."""
    out = data.copy()
    for column in columns:
        values = out[column].astype(float)
        out[column] = (values - values.mean()) / values.std(ddof=1)
    return out


def model_frame(
    features: pd.DataFrame,
    spec,
    terms: list[str],
    fallbacks: bool = True,
    rescale: tuple[str, ...] | list[str] = (),
):
    """The rows a model is fitted on: complete on its variables (listwise deletion),
    within its sample rule, and without fallback values when ``fallbacks`` is False;
    the terms among ``rescale`` (var poi_scaling regression_sample: the POI z-scores)
    re-standardised over those rows (:func:`scale_within`)."""
    data = features[[spec.dependent, *terms]].dropna()
    data = data[SAMPLE_RULES[spec.sample_rule](features.loc[data.index])]
    if not fallbacks:
        data = data[features.loc[data.index, "n_fallback_values"] == 0]
    return scale_within(data, [t for t in terms if t in rescale])


def rescaled_columns(variables: pd.DataFrame, poi_scaling: str) -> list[str]:
    """The regressors to standardise over each model's sample: the z-scored variables of
    the seed regression_variables (transform starting ``z-score``) with var poi_scaling
    ``regression_sample``; none with ``study_communes`` (their z-scores over every study
    commune, fct_commune_features, are used as they are)."""
    if poi_scaling not in POI_SCALINGS:
        raise InputError(
            "var poi_scaling", None, f"expected one of {POI_SCALINGS}, got {poi_scaling!r}"
        )
    if poi_scaling == "study_communes":
        return []
    z = variables["transform"].fillna("").str.startswith("z-score")
    return variables.loc[z, "column_name"].tolist()


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
    rescale: tuple[str, ...] | list[str] = (),
    poi_scaling: str | None = None,
) -> pd.DataFrame:
    """OLS with heteroscedasticity-robust SE for each model of ``models`` (columns
    model_id, paper_table, column_label, dependent, extra_terms, sample_rule):
    dependent ~ controls + extra terms, listwise deletion of rows with any missing
    variable, t-tests on the residual df (:func:`ols_robust`, on
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
    the uncertainty of c moves it (docs/method.md section 13).

    ``rescale``: the terms standardised over each model's own rows (var poi_scaling
    regression_sample, :func:`rescaled_columns`); every row states ``poi_scaling``.
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
        data = model_frame(features, spec, terms, fallbacks, rescale)
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
            "poi_scaling": poi_scaling,
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
            fit = ols_robust(data[spec.dependent].to_numpy(), data[terms], cov_type, groups)
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
                    "stars": stars(float(fit.p_value[i])),
                    "r2": fit.r2,
                    "adj_r2": fit.adj_r2,
                    "status": "estimated",
                }
            )
    return pd.DataFrame(rows, columns=TIDY_COLUMNS)


def label_terms(
    tidy: pd.DataFrame, models: pd.DataFrame, variables: pd.DataFrame, tables: pd.DataFrame
) -> pd.DataFrame:
    """``tidy`` with what a reader of the tables needs beside the numbers: each model's
    place in the seed regression_models (``model_order``), each term's label in the paper
    (``term_label``, seed regression_variables; "Constant" for the intercept, else the
    column name) and each paper table's title (``table_title``, seed regression_tables).
    A paper table without a title raises, naming it."""
    titles = dict(zip(tables["paper_table"], tables["title"], strict=True))
    untitled = sorted(set(tidy["paper_table"].dropna()) - set(titles))
    if untitled:
        raise KeyError(
            f"{untitled} (seed regression_models) have no title in the seed regression_tables"
        )
    labels = dict(zip(variables["column_name"], variables["paper_label"], strict=True))
    labels["(Intercept)"] = "Constant"
    order = dict(zip(models["model_id"], models["position"], strict=True))
    return tidy.assign(
        model_order=tidy["model_id"].map(order).astype("int64"),
        term_label=[labels.get(t, t) if isinstance(t, str) else None for t in tidy["term"]],
        table_title=tidy["paper_table"].map(titles),
    )

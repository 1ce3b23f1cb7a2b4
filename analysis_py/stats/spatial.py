"""Spatial dependence (docs/method.md section 15), on PySAL.

Weights are k nearest neighbours of commune centroids (Lambert-93) within each metro
area, row-standardised (libpysal); pooled analyses use their block-diagonal union.
Global and local Moran's I come from esda with seeded permutations, the spatial lag and
error models and the LM diagnostics from spreg. The only code written here assembles
the weights per area and tidies the results.
"""

from __future__ import annotations

import contextlib
import io
import warnings

import numpy as np
import pandas as pd

QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
SPATIAL_REGRESSION_COLUMNS = [
    "model_id",
    "spatial_model",
    "dependent",
    "term",
    "term_order",
    "estimate",
    "std_error",
    "z",
    "p_value",
    "spatial_parameter",
    "log_likelihood",
    "aic",
    "n",
    "lm_lag",
    "lm_lag_p",
    "lm_error",
    "lm_error_p",
    "robust_lm_lag",
    "robust_lm_lag_p",
    "robust_lm_error",
    "robust_lm_error_p",
    "status",
    "n_parameters",
    "is_lower_aic",
]


def knn_weights(frame: pd.DataFrame, k: int):
    """Row-standardised k-nearest-neighbour weights (libpysal) over ``frame``'s rows
    (columns code_com, city, x, y): neighbours only within the same city, k capped at the
    city's communes - 1; ids are the commune codes, in frame order. A city with a single
    commune leaves it an island (reported, never silently given a zero lag)."""
    from libpysal.weights import KNN, W

    neighbors: dict[str, list[str]] = {}
    for _, part in frame.groupby("city", sort=True):
        codes = part["code_com"].tolist()
        if len(codes) == 1:
            neighbors[codes[0]] = []
            continue
        kk = min(k, len(codes) - 1)
        knn = KNN(part[["x", "y"]].to_numpy(dtype=float), k=kk, ids=codes)
        for code in codes:
            neighbors[code] = list(knn.neighbors[code])
    order = frame["code_com"].tolist()
    w = W({c: neighbors[c] for c in order}, id_order=order, silence_warnings=True)
    w.transform = "r"
    return w


def weights_summary(frame: pd.DataFrame, k: int) -> pd.DataFrame:
    """One row per scope (each city, then pooled): communes, k used, mean neighbours,
    islands and connected components of the KNN weights."""
    rows = []
    scopes = [(city, part) for city, part in frame.groupby("city", sort=True)]
    scopes.append(("pooled", frame))
    for scope, part in scopes:
        w = knn_weights(part, k)
        rows.append(
            {
                "scope": scope,
                "n_communes": int(w.n),
                "k": int(min(k, max(part.groupby("city").size().min() - 1, 0))),
                "mean_neighbours": float(np.mean(list(w.cardinalities.values()))),
                "n_islands": len(w.islands),
                "n_components": int(w.n_components),
            }
        )
    return pd.DataFrame(rows)


def moran(y: np.ndarray, w, permutations: int, seed: int):
    """esda's global Moran's I of y on weights w (row-standardised by esda), its
    permutations seeded: esda.Moran has no seed argument and draws from numpy's global
    state, seeded here before the call."""
    import esda

    np.random.seed(seed)  # noqa: NPY002
    return esda.Moran(np.asarray(y, dtype=float), w, permutations=permutations)


def moran_rows(
    values: pd.DataFrame, variable: str, k: int, permutations: int, seed: int
) -> list[dict]:
    """Global Moran's I (esda) of column ``variable`` of ``values`` (code_com, city, x,
    y, the variable) over the communes that have it: pooled, then per city with at least
    k + 2 communes. z under randomisation; p-value from ``permutations`` seeded
    permutations: esda's folded pseudo p-value, one-tailed in the observed direction
    ((1 + permuted I at least as extreme on the observed side) / (permutations + 1)),
    not a two-sided p."""
    frame = values.dropna(subset=[variable]).sort_values("code_com").reset_index(drop=True)
    scopes = [("pooled", frame)]
    scopes += [(city, part) for city, part in frame.groupby("city", sort=True)]
    rows = []
    for scope, part in scopes:
        if len(part) < k + 2:
            continue
        w = knn_weights(part.reset_index(drop=True), k)
        m = moran(part[variable].to_numpy(dtype=float), w, permutations, seed)
        rows.append(
            {
                "variable": variable,
                "scope": scope,
                "n": int(len(part)),
                "k": int(k),
                "moran_i": float(m.I),
                "expected_i": float(m.EI),
                "z": float(m.z_rand),
                "p_value": float(m.p_sim),
                "n_permutations": int(permutations),
            }
        )
    return rows


def local_moran(
    values: pd.DataFrame, variable: str, k: int, permutations: int, seed: int, level: float
) -> pd.DataFrame:
    """Local Moran (esda.Moran_Local) of ``variable`` on the pooled weights: one row per
    commune with a value: local I with esda's (n - 1) scaling (I_i = (n - 1) z_i
    sum_j w_ij z_j / sum_k z_k^2; spdep's localmoran divides by n), the seeded
    conditional-permutation p-value (esda's folded pseudo p: one-tailed in the observed
    direction), quadrant (HH, LH, LL, HL) and significance at ``level`` (one-tailed)."""
    import esda

    frame = values.dropna(subset=[variable]).sort_values("code_com").reset_index(drop=True)
    w = knn_weights(frame, k)
    lisa = esda.Moran_Local(
        frame[variable].to_numpy(dtype=float), w, permutations=permutations, seed=seed
    )
    return pd.DataFrame(
        {
            "code_com": frame["code_com"],
            "city": frame["city"],
            "variable": variable,
            "local_i": lisa.Is.astype(float),
            "p_value": lisa.p_sim.astype(float),
            "quadrant": [QUADRANTS[int(q)] for q in lisa.q],
            "is_significant": lisa.p_sim < level,
        }
    )


def spatial_regressions(
    data: pd.DataFrame, dependent: str, terms: list[str], w, model_id: str
) -> tuple[list[dict], dict]:
    """spreg ML_Lag and ML_Error of dependent ~ terms on ``data`` (rows in the order of
    ``w``), and the LM diagnostics of the OLS fit (spreg.OLS with spat_diag). Returns
    tidy rows (one per model and term, the spatial parameter as a term `rho` or
    `lambda`; AIC as R's, counting every estimated parameter: :func:`r_aic`; which of
    the two has the lower) and the diagnostics."""
    y = data[[dependent]].to_numpy(dtype=float)
    x = data[terms].to_numpy(dtype=float)
    with warnings.catch_warnings():
        # spreg 1.9's summary output calls pandas' deprecated sort_values(inplace=True),
        # and its ML search warns that scipy's bounded method ignores xtol: neither
        # touches the estimates
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("ignore", category=RuntimeWarning, module="spreg")
        warnings.filterwarnings("ignore", message=".*relative tolerance.*")
        # and it prints each model's name to stdout
        with contextlib.redirect_stdout(io.StringIO()):
            return _spatial_regressions(y, x, dependent, terms, w, model_id, len(data))


def _spatial_regressions(y, x, dependent, terms, w, model_id, n):
    import spreg

    ols = spreg.OLS(y, x, w=w, spat_diag=True, name_y=dependent, name_x=terms)
    diagnostics = {
        "model_id": model_id,
        "n": int(n),
        "lm_lag": float(ols.lm_lag[0]),
        "lm_lag_p": float(ols.lm_lag[1]),
        "lm_error": float(ols.lm_error[0]),
        "lm_error_p": float(ols.lm_error[1]),
        "robust_lm_lag": float(ols.rlm_lag[0]),
        "robust_lm_lag_p": float(ols.rlm_lag[1]),
        "robust_lm_error": float(ols.rlm_error[0]),
        "robust_lm_error_p": float(ols.rlm_error[1]),
    }
    rows = []
    for kind, fit in (
        ("spatial_lag", spreg.ML_Lag(y, x, w=w, name_y=dependent, name_x=terms)),
        ("spatial_error", spreg.ML_Error(y, x, w=w, name_y=dependent, name_x=terms)),
    ):
        names = ["(Intercept)", *terms, "rho" if kind == "spatial_lag" else "lambda"]
        betas = fit.betas.ravel()
        std = np.sqrt(np.diag(fit.vm))
        z = [zt[0] for zt in fit.z_stat]
        p = [zt[1] for zt in fit.z_stat]
        spatial = float(fit.rho if kind == "spatial_lag" else fit.lam)
        for i, term in enumerate(names):
            rows.append(
                {
                    "model_id": model_id,
                    "spatial_model": kind,
                    "dependent": dependent,
                    "term": term,
                    "term_order": i,
                    "estimate": float(betas[i]),
                    "std_error": float(std[i]),
                    "z": float(z[i]),
                    "p_value": float(p[i]),
                    "spatial_parameter": spatial,
                    "log_likelihood": float(fit.logll),
                    "aic": r_aic(float(fit.logll), len(betas)),
                    "n": int(n),
                    "n_parameters": len(betas) + 1,
                }
            )
    # the choice between the two models, by the AIC that counts every parameter
    best = min(
        ("spatial_lag", "spatial_error"),
        key=lambda k: next(r["aic"] for r in rows if r["spatial_model"] == k),
    )
    for row in rows:
        row["is_lower_aic"] = row["spatial_model"] == best
    return rows, diagnostics


def r_aic(log_likelihood: float, n_coefficients: int) -> float:
    """AIC as R's ``AIC()`` of spatialreg's lagsarlm / errorsarlm: -2 logL + 2 (the
    betas and rho or lambda, ``n_coefficients``, + sigma^2). spreg 1.9's ``aic`` counts
    rho but not lambda, and never sigma^2 (2 below R for the lag model, 4 for the error
    model), which biases the lag-vs-error choice (docs/method.md section 15)."""
    return -2.0 * log_likelihood + 2.0 * (n_coefficients + 1)

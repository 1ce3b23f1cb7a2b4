"""Count models of the sexual-violence outcome (docs/method.md section 15), on statsmodels:
the commune's recorded facts over a population, Poisson and negative binomial with a
log-exposure offset.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd


def count_models(data: pd.DataFrame, terms: list[str], model_prefix: str) -> list[dict]:
    """Poisson and negative-binomial (NB2) regressions of ``facts`` with offset
    log(``exposure``) on ``terms`` (statsmodels GLM Poisson; discrete NegativeBinomial,
    Newton, its convergence reported). Tidy rows, one per model and term; the NB's
    dispersion as term `alpha`."""
    import statsmodels.api as sm

    y = data["facts"].to_numpy(dtype=float)
    x = sm.add_constant(data[terms].to_numpy(dtype=float), has_constant="add")
    offset = np.log(data["exposure"].to_numpy(dtype=float))
    rows = []
    poisson = sm.GLM(y, x, family=sm.families.Poisson(), offset=offset).fit()
    # start from Poisson's estimates and the moment estimate of the NB2 dispersion,
    # sum((y - mu)^2 - y) / sum(mu^2): Newton from a poor start can step alpha below 0
    mu = poisson.fittedvalues
    alpha0 = max(float(((y - mu) ** 2 - y).sum() / (mu**2).sum()), 0.01)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        # a failed fit (alpha driven to 0 on equidispersed counts) shows as converged False
        warnings.simplefilter("ignore")
        nb = sm.NegativeBinomial(y, x, offset=offset, loglike_method="nb2").fit(
            start_params=np.append(poisson.params, alpha0), method="newton", maxiter=200, disp=False
        )
    for kind, fit, names, converged in (
        ("poisson", poisson, ["(Intercept)", *terms], bool(poisson.converged)),
        (
            "negative_binomial",
            nb,
            ["(Intercept)", *terms, "alpha"],
            bool(nb.mle_retvals["converged"]) and bool(np.isfinite(nb.params).all()),
        ),
    ):
        params, bse = np.asarray(fit.params), np.asarray(fit.bse)
        z, p = np.asarray(fit.tvalues), np.asarray(fit.pvalues)
        for i, term in enumerate(names):
            rows.append(
                {
                    "model_id": f"{model_prefix}_{kind}",
                    "family": kind,
                    "term": term,
                    "term_order": i,
                    "estimate": float(params[i]),
                    "std_error": float(bse[i]),
                    "z": float(z[i]),
                    "p_value": float(p[i]),
                    "n": int(len(data)),
                    "log_likelihood": float(fit.llf),
                    "aic": float(fit.aic),
                    "converged": converged,
                }
            )
    return rows

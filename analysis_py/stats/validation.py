"""Table 2 of the paper and its robustness (docs/method.md sections 8, 13, 14), as tidy frames:

- :func:`validation_correlations`: Spearman's rho of the sexual-violence rate with each
  log per-1000 indicator, over communes with a published commune rate;
- :func:`correlation_comparisons`: is cpc's correlation stronger than each other
  indicator's? The notebook's ad-hoc statistic for parity, and the proper tests for two
  dependent correlations (:mod:`analysis_py.stats.correlation`), with Zou's interval;
- :func:`add_correlation_intervals`: Table 2's intervals (Bonett-Wright, a commune
  bootstrap, the spread over the replicates of c);
- :func:`validation_robustness`: Table 2 under its confounders.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis_py.stats.correlation import (
    commune_bootstrap_spearman,
    meng_rosenthal_rubin_z,
    notebook_dependent_corr_test,
    partial_spearman,
    pearson_rows,
    rank_rows,
    spearman,
    spearman_ci_bonett_wright,
    steiger_z,
    williams_t,
    zou_difference_ci,
)

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
        rho, p, n = spearman(sample[indicator], sample[outcome])
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
    r_indicator_outcome with Zou's (2007) interval at ``level`` (docs/method.md section 13).
    """
    rows = []
    for other in others:
        sample = features[[other, target, outcome]].dropna()
        n = len(sample)
        r_other_outcome = spearman(sample[other], sample[outcome])[0]
        r_target_outcome = spearman(sample[target], sample[outcome])[0]
        r_other_target = spearman(sample[other], sample[target])[0]
        args = (r_other_outcome, r_target_outcome, r_other_target, n)
        notebook = notebook_dependent_corr_test(*args)
        williams = williams_t(*args)
        steiger = steiger_z(*args)
        mrr = meng_rosenthal_rubin_z(*args)
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


def replicate_spearman(
    outcome: pd.Series, replicate_values: pd.DataFrame, level: float
) -> tuple[float, float, int]:
    """The spread of an indicator's Spearman correlation with ``outcome`` over the
    bootstrap replicates of c (the uncertainty of c propagated, docs/method.md section 13):
    ``replicate_values`` is (replicates x communes) of the indicator recomputed in each
    replicate, columns the communes of ``outcome``'s index. Percentile interval and the
    number of replicates."""
    values = replicate_values.reindex(columns=outcome.index).to_numpy()
    keep = ~np.isnan(values).any(axis=1)
    if not keep.any():
        return None, None, 0
    rho = pearson_rows(rank_rows(values[keep]), rank_rows(outcome.to_numpy()[None, :]))
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
    """Table 2's intervals beside each estimated Spearman rho (docs/method.md section 13):
    Fisher's z with the Bonett-Wright variance, a seeded commune bootstrap, and, for the
    indicators with replicates of c (``c_replicates``: indicator -> replicates x
    communes), the spread of the correlation over those replicates."""
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
    """Does Table 2 survive its confounders? (docs/method.md section 14). One row per
    specification of ROBUSTNESS_SPECIFICATIONS and indicator: Spearman's rho, its
    Bonett-Wright interval (for the partial correlation the variance uses n - 4, one
    control), n and a status. ``suppressed`` flags the communes whose commune value the
    publisher withheld (NULL outcome, a departmental value published instead); without
    it (the authors' derivative, where withheld values read 0) suppressed_as_zero is
    not available."""
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
                rho = spearman(sample[indicator], sample["_y"])[0]
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

"""The bootstrap over whole days of a commune's hourly series (docs/method.md section 13).

rho_j is one correlation of two serially dependent hourly series. Each replicate draws
the study's days with replacement (blocks of ``block_days`` consecutive days), keeping
each day's hours together. The draws come from ``arch.bootstrap.MovingBlockBootstrap``
(a block length of one day is the plain bootstrap of days); they are made once per seed
and shared by every commune, method and lag, so the replicates of a mean over communes
are coherent. Written here by hand, because no library resamples from sufficient
statistics: each replicate's correlation is computed from per-day sums (n, sums of x,
y, x^2, y^2, xy of the paired series: int_commune_day_sums), weighted by how often the
replicate drew each day, so a replicate costs O(days) per commune and never touches
the hourly rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis_py.errors import InputError

# the five per-day sums of a pair (x, y), in this order, after n
SUM_NAMES = ("sum_x", "sum_y", "sum_xx", "sum_yy", "sum_xy")


def day_weights(n_days: int, replicates: int, seed: int, block_days: int = 1) -> np.ndarray:
    """How many times each of ``n_days`` days is drawn in each replicate: an integer
    array (replicates, n_days) whose rows sum to n_days (the moving-block bootstrap of
    arch with blocks of ``block_days`` days)."""
    from arch.bootstrap import MovingBlockBootstrap

    if n_days < 2:
        raise InputError(
            "int_commune_day_sums",
            None,
            f"a bootstrap over days needs 2 days or more, got {n_days}",
        )
    if not 1 <= block_days <= n_days:
        raise InputError(
            "var bootstrap_block_days", None, f"expected 1..{n_days} days, got {block_days}"
        )
    if replicates < 1:
        raise InputError(
            "var bootstrap_replicates", None, f"expected a positive integer, got {replicates}"
        )
    bootstrap = MovingBlockBootstrap(
        block_days, np.arange(n_days), seed=np.random.default_rng(seed)
    )
    weights = np.empty((replicates, n_days), dtype=np.int64)
    for r, (positional, _) in enumerate(bootstrap.bootstrap(replicates)):
        weights[r] = np.bincount(positional[0], minlength=n_days)
    return weights


def correlation_from_sums(n, sum_x, sum_y, sum_xx, sum_yy, sum_xy):
    """Pearson's correlation from the five sums and n (broadcasting; NaN where a series
    has no variance)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        sxy = sum_xy - sum_x * sum_y / n
        sxx = sum_xx - sum_x * sum_x / n
        syy = sum_yy - sum_y * sum_y / n
        return sxy / np.sqrt(sxx * syy)


def replicate_correlations(sums: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Replicate correlations of many series at once: ``sums`` (units, days, 6) holds
    n and the five sums per unit and day (zeros for a day a unit lacks), ``weights``
    (replicates, days) the draws. Returns (replicates, units)."""
    totals = np.einsum("rd,udk->ruk", weights.astype(float), sums, optimize=True)
    return correlation_from_sums(*(totals[..., k] for k in range(6)))


def commune_correlation_replicates(
    day_sums: pd.DataFrame,
    correlations: list[str],
    replicates: int,
    seed: int,
    block_days: int = 1,
) -> pd.DataFrame:
    """One row per commune, lag, correlation and replicate with the replicate's rho,
    from int_commune_day_sums (one row per commune x lag x day: n_pairs and the five
    sums ``<correlation>_sum_x`` ... of each correlation). The days are those of the
    whole table, in date order; the same draws serve every commune, correlation and lag
    (a day a commune lacks adds nothing to its replicate).

    Spearman's rho of a replicate is the Pearson correlation of the full series' ranks
    over the drawn days: ranks are not recomputed per replicate (with ~1,850 hours a
    redrawn sample moves each rank in proportion, and the correlation far less than its
    sampling spread), which is what lets Spearman use per-day sums too."""
    columns = ["code_com", "lag_hours", "correlation", "replicate", "rho"]
    if day_sums.empty:
        return pd.DataFrame(columns=columns)
    days = pd.Index(day_sums["day"].unique()).sort_values()
    weights = day_weights(len(days), replicates, seed, block_days)
    frames = []
    for lag, part in day_sums.groupby("lag_hours", sort=True):
        communes = np.sort(part["code_com"].unique())
        rows = pd.Index(communes).get_indexer(part["code_com"])
        cols = days.get_indexer(part["day"])
        for correlation in correlations:
            sums = np.zeros((len(communes), len(days), 6))
            sums[rows, cols, 0] = part["n_pairs"].to_numpy()
            for k, name in enumerate(SUM_NAMES, start=1):
                sums[rows, cols, k] = part[f"{correlation}_{name}"].to_numpy()
            rho = replicate_correlations(sums, weights)  # (replicates, communes)
            frames.append(
                pd.DataFrame(
                    {
                        "code_com": np.tile(communes, replicates),
                        "lag_hours": int(lag),
                        "correlation": correlation,
                        "replicate": np.repeat(np.arange(1, replicates + 1), len(communes)),
                        "rho": rho.reshape(-1),
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)[columns]


def interval_note(estimate: pd.Series, low: pd.Series, high: pd.Series, why: str) -> pd.Series:
    """The note of a percentile interval that does not contain its estimate (to a
    relative 1e-9): ``why`` where [low, high] excludes the estimate, else None (also
    where there is no interval). A published interval never excludes its estimate
    without saying why (docs/method.md section 13). Columns without any interval (all None,
    as where there are no replicates) are read as NaN."""
    estimate, low, high = (s.astype(float) for s in (estimate, low, high))
    slack = 1e-9 * np.maximum.reduce([estimate.abs(), low.abs(), high.abs()])
    inside = (low - slack <= estimate) & (estimate <= high + slack)
    missing = estimate.isna() | low.isna() | high.isna()
    return pd.Series(np.where(inside | missing, None, why), index=estimate.index, dtype=object)

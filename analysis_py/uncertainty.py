"""Intervals for the commune correlations and what is derived from them (method.md
section 13), and the interval methods of Table 2.

The correlation rho_j is one correlation of two serially dependent hourly series.
Its sampling spread comes from a bootstrap over whole days: each replicate draws the
study's days with replacement (blocks of ``block_days`` consecutive days), keeping each
day's hours together. The draws come from ``arch.bootstrap.MovingBlockBootstrap`` (a
block length of one day is the plain bootstrap of days); they are made once per seed
and shared by every commune, method and lag, so the replicates of a mean over communes
are coherent. Written here by hand, because no library resamples from sufficient
statistics: each replicate's correlation is computed from per-day sums (n, sums of x,
y, x^2, y^2, xy of the paired series), weighted by how often the replicate drew each
day, so a replicate costs O(days) per commune and never touches the hourly rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# the five per-day sums of a pair (x, y), in this order, after n
SUM_NAMES = ("sum_x", "sum_y", "sum_xx", "sum_yy", "sum_xy")


def day_sums(pairs: pd.DataFrame) -> pd.DataFrame:
    """int_commune_day_sums from int_commune_hour_pairs (rows in lag, commune, hour
    order; columns lag_hours, code_com, hour_start and ``<correlation>_x``,
    ``<correlation>_y`` per correlation): one row per lag, commune and day (the local
    date of the reference hour) with n_pairs and, per correlation, the sums of x, y,
    x^2, y^2 and xy, centred on the lag and commune's mean. Sums run along the rows in
    their order (numpy's add.reduceat over contiguous groups), so the same input gives
    the same bits, without pandas' per-group copies."""
    names = [c[: -len("_x")] for c in pairs.columns if c.endswith("_x")]
    lag = pairs["lag_hours"].to_numpy()
    code = pairs["code_com"].to_numpy()
    day = pd.to_datetime(pairs["hour_start"]).dt.normalize().to_numpy()
    n = len(pairs)
    if n == 0:
        columns = ["lag_hours", "code_com", "day"]
        columns += [f"{name}_{s}" for name in names for s in SUM_NAMES] + ["n_pairs"]
        return pd.DataFrame(columns=columns)
    key_change = np.r_[True, (lag[1:] != lag[:-1]) | (code[1:] != code[:-1])]
    if (np.diff(lag) < 0).any():
        raise ValueError("day_sums: rows must be ordered by lag, commune and hour")
    day_change = key_change | np.r_[True, day[1:] != day[:-1]]
    series_starts = np.flatnonzero(key_change)
    day_starts = np.flatnonzero(day_change)
    series_sizes = np.diff(np.r_[series_starts, n])
    out = {
        "lag_hours": lag[day_starts],
        "code_com": code[day_starts],
        "day": pd.to_datetime(day[day_starts]).date,
    }
    for name in names:
        centred = {}
        for side in ("x", "y"):
            values = pairs[f"{name}_{side}"].to_numpy(dtype=float)
            means = np.add.reduceat(values, series_starts) / series_sizes
            centred[side] = values - np.repeat(means, series_sizes)
        x, y = centred["x"], centred["y"]
        for suffix, values in zip(SUM_NAMES, (x, y, x * x, y * y, x * y), strict=True):
            out[f"{name}_{suffix}"] = np.add.reduceat(values, day_starts)
    out["n_pairs"] = np.diff(np.r_[day_starts, n])
    return pd.DataFrame(out)


def day_weights(n_days: int, replicates: int, seed: int, block_days: int = 1) -> np.ndarray:
    """How many times each of ``n_days`` days is drawn in each replicate: an integer
    array (replicates, n_days) whose rows sum to n_days (the moving-block bootstrap of
    arch with blocks of ``block_days`` days)."""
    from arch.bootstrap import MovingBlockBootstrap

    if n_days < 2:
        raise ValueError(f"a bootstrap over days needs at least 2 days, got {n_days}")
    if not 1 <= block_days <= n_days:
        raise ValueError(f"block length must be 1..{n_days} days, got {block_days}")
    if replicates < 1:
        raise ValueError(f"replicates must be >= 1, got {replicates}")
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


# ---------------------------------------------------------------- Table 2 (method.md 13)


def spearman_z_se_bonett_wright(r: float, n: int) -> float:
    """Bonett & Wright (2000) standard error of Fisher's z of a Spearman correlation,
    sqrt((1 + r^2 / 2) / (n - 3))."""
    return float(np.sqrt((1 + r * r / 2) / (n - 3)))


def spearman_se_bonett_wright(r: float, n: int) -> float:
    """The same on the correlation's scale (delta method), as R's vcmeta::se.spear:
    (1 - r^2) sqrt((1 + r^2 / 2) / (n - 3))."""
    return float((1 - r * r) * spearman_z_se_bonett_wright(r, n))


def spearman_ci_bonett_wright(r: float, n: int, level: float = 0.95) -> tuple[float, float]:
    """Fisher-z interval of a Spearman correlation with the Bonett-Wright variance."""
    from scipy.stats import norm

    z = np.arctanh(r)
    half = norm.ppf(0.5 + level / 2) * spearman_z_se_bonett_wright(r, n)
    return float(np.tanh(z - half)), float(np.tanh(z + half))


def zou_difference_ci(
    r_jk: float,
    r_jh: float,
    r_kh: float,
    n: int,
    level: float = 0.95,
    ci_jk: tuple[float, float] | None = None,
    ci_jh: tuple[float, float] | None = None,
) -> tuple[float, float]:
    """Zou's (2007) interval for r_jk - r_jh, two dependent correlations sharing
    variable j (here the outcome), h and k correlated r_kh. The interval of each
    correlation is Fisher's (or ``ci_jk``/``ci_jh``, e.g. Bonett-Wright's for
    Spearman). Hand-written: no maintained Python library implements it (R: cocor)."""
    from scipy.stats import norm

    def fisher(r):
        half = norm.ppf(0.5 + level / 2) / np.sqrt(n - 3)
        return np.tanh(np.arctanh(r) - half), np.tanh(np.arctanh(r) + half)

    l1, u1 = ci_jk if ci_jk is not None else fisher(r_jk)
    l2, u2 = ci_jh if ci_jh is not None else fisher(r_jh)
    # correlation between the two estimates (Zou 2007, equation for overlapping r)
    c = ((r_kh - 0.5 * r_jk * r_jh) * (1 - r_jk**2 - r_jh**2 - r_kh**2) + r_kh**3) / (
        (1 - r_jk**2) * (1 - r_jh**2)
    )
    d = r_jk - r_jh
    low = d - np.sqrt((r_jk - l1) ** 2 + (u2 - r_jh) ** 2 - 2 * c * (r_jk - l1) * (u2 - r_jh))
    high = d + np.sqrt((u1 - r_jk) ** 2 + (r_jh - l2) ** 2 - 2 * c * (u1 - r_jk) * (r_jh - l2))
    return float(low), float(high)

"""Intervals for a commune's correlation that hold under day-to-day persistence
(docs/method.md section 13): the EWC long-run variance of the per-day influence sums.

rho_j is one correlation of two hourly series whose days are not independent: traffic
has day effects that last several days. The correlation is a smooth function of sums
over days, so r - rho ~ (1/n) sum_d psi_d with the per-day influence sums

    psi_d = n [ s_xy,d / (S_x S_y) - r/2 (s_xx,d / S_x^2 + s_yy,d / S_y^2) ]

(s_.,d the day's centred sums about the whole-series means, S_x^2 = sum_d s_xx,d, n the
hours), and Var(r) ~ D Omega / n^2 with Omega the long-run variance of psi over the D
days. Omega is estimated by the equal-weighted cosine (EWC) projection of Lazarus,
Lewis, Stock and Watson (2018, "HAR inference: recommendations for practice", JBES
36(4), 541-559):

    Omega = (1/B) sum_{j=1..B} ( sqrt(2/D) sum_d psi_d cos(pi j (d - 1/2) / D) )^2,

B = ceil(0.4 D^(2/3)) (their rule; 8 for 77 days), and the interval is built on Fisher's
z with Student's t with B degrees of freedom:

    tanh( atanh(r) +- t_{B, (1+level)/2} sqrt(D Omega) / (n (1 - r^2)) ).

Written by hand: statsmodels' HAC kernels (Bartlett, uniform, ...) and arch's
covariance estimators have no EWC (projection) estimator, and neither works from
per-day sums. Everything here costs O(days) per commune, from int_commune_day_sums.

The leave-one-day-out diagnostic recomputes r without each day from the same sums
(the means re-centred without that day): the largest |r - r_without_d| says whether an
estimate rests on one day (an outage, a holiday).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from analysis_py.errors import InputError

# B = ceil(EWC_FACTOR x D^(2/3)): Lazarus, Lewis, Stock and Watson's rule (section 4)
EWC_FACTOR = 0.4


def ewc_degrees(n_days: int, factor: float = EWC_FACTOR) -> int:
    """B, the number of cosine terms (and the t's degrees of freedom) for ``n_days``
    days: ceil(factor x D^(2/3)), at least 1 and at most D - 1 (8 for 77 days)."""
    if n_days < 2:
        raise InputError("int_commune_day_sums", None, f"EWC needs 2 days or more, got {n_days}")
    return int(min(max(1, math.ceil(factor * n_days ** (2 / 3))), n_days - 1))


def ewc_basis(n_days: int, degrees: int) -> np.ndarray:
    """The (degrees, n_days) orthonormal cosine basis sqrt(2/D) cos(pi j (d - 1/2) / D),
    j = 1..B, d = 1..D."""
    j = np.arange(1, degrees + 1)[:, None]
    d = np.arange(1, n_days + 1)[None, :]
    return np.sqrt(2.0 / n_days) * np.cos(np.pi * j * (d - 0.5) / n_days)


def ewc_long_run_variance(psi: np.ndarray, degrees: int) -> np.ndarray:
    """Omega of each row of ``psi`` (units, days) over its days in order:
    (1/B) sum_j (basis_j . psi)^2. The basis is orthogonal to the constant, so the
    mean of psi needs no removal."""
    psi = np.atleast_2d(psi)
    projections = psi @ ewc_basis(psi.shape[1], degrees).T
    return (projections**2).mean(axis=1)


def influence_sums(sums: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """r, n and the per-day influence sums psi from per-day sums ``sums`` (units, days,
    6: n and the sums of x, y, x^2, y^2, xy centred on each unit's whole-series mean, as
    int_commune_day_sums). Returns (r (units,), n (units,), psi (units, days))."""
    n_d, _, _, sxx, syy, sxy = (sums[..., k] for k in range(6))
    n = n_d.sum(axis=1)
    s_xx, s_yy, s_xy = sxx.sum(axis=1), syy.sum(axis=1), sxy.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.sqrt(s_xx * s_yy)
        r = s_xy / scale
        psi = n[:, None] * (
            sxy / scale[:, None] - r[:, None] / 2 * (sxx / s_xx[:, None] + syy / s_yy[:, None])
        )
    return r, n, psi


def ewc_correlation_intervals(
    sums: np.ndarray, level: float = 0.95, degrees: int | None = None
) -> pd.DataFrame:
    """The EWC interval of each unit's correlation from its per-day sums ``sums``
    (units, days, 6; every unit over the same days, in date order). Columns r,
    ci_low, ci_high, se_z (the standard error on Fisher's z), degrees (B)."""
    units, n_days, _ = sums.shape
    b = degrees or ewc_degrees(n_days)
    r, n, psi = influence_sums(sums)
    omega = ewc_long_run_variance(psi, b)
    with np.errstate(invalid="ignore", divide="ignore"):
        se_z = np.sqrt(n_days * omega) / (n * (1 - r**2))
        z = np.arctanh(r)
    t = stats.t.ppf((1 + level) / 2, b)
    return pd.DataFrame(
        {
            "r": r,
            "ci_low": np.tanh(z - t * se_z),
            "ci_high": np.tanh(z + t * se_z),
            "se_z": se_z,
            "degrees": np.full(units, b),
        }
    )


def leave_one_day_out(sums: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each unit, the largest |r - r_without_d| over its days and the index of that
    day (units,), from the per-day sums: without day d the sums lose the day's and are
    re-centred on the other days' means (s'_xy = S_xy - s_xy,d - sum_x,d sum_y,d /
    (n - n_d), likewise for x^2 and y^2)."""
    n_d, sx, sy, sxx, syy, sxy = (sums[..., k] for k in range(6))
    n = n_d.sum(axis=1, keepdims=True)
    rest = n - n_d
    with np.errstate(invalid="ignore", divide="ignore"):
        r = sxy.sum(1) / np.sqrt(sxx.sum(1) * syy.sum(1))
        kxy = sxy.sum(1, keepdims=True) - sxy - sx * sy / rest
        kxx = sxx.sum(1, keepdims=True) - sxx - sx * sx / rest
        kyy = syy.sum(1, keepdims=True) - syy - sy * sy / rest
        r_without = kxy / np.sqrt(kxx * kyy)
        shift = np.abs(r_without - r[:, None])
    shift = np.where(n_d > 0, shift, np.nan)
    has = ~np.all(np.isnan(shift), axis=1)
    day = np.full(shift.shape[0], -1)
    day[has] = np.nanargmax(shift[has], axis=1)
    largest = np.full(shift.shape[0], np.nan)
    largest[has] = shift[has, day[has]]
    return largest, day


def commune_rho_intervals(
    day_sums: pd.DataFrame,
    correlations: list[str],
    level: float = 0.95,
    factor: float = EWC_FACTOR,
) -> pd.DataFrame:
    """One row per commune, lag and correlation: the EWC interval of rho (docs/method.md
    section 13) and the leave-one-day-out diagnostic, from int_commune_day_sums (one row
    per commune x lag x day: n_pairs and the five centred sums of each correlation,
    ``<correlation>_sum_x`` ...). The days are the commune's own days with pairs, in
    date order (a day without pairs, e.g. filtered out, is not a day of its series).

    Columns: code_com, lag_hours, correlation, rho, rho_ci_low, rho_ci_high, n_days,
    ewc_degrees, loo_max_shift (largest |rho - rho without one day|), loo_max_shift_day
    (that day)."""
    columns = [
        "code_com", "lag_hours", "correlation", "rho", "rho_ci_low", "rho_ci_high",
        "n_days", "ewc_degrees", "loo_max_shift", "loo_max_shift_day",
    ]  # fmt: skip
    if day_sums.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    present = day_sums[day_sums["n_pairs"] > 0].sort_values(["lag_hours", "code_com", "day"])
    # communes with the same number of days share one vectorised pass
    n_days = present.groupby(["lag_hours", "code_com"])["day"].transform("size")
    for (lag, days), part in present.groupby([present["lag_hours"], n_days], sort=True):
        if days < 2:
            continue
        communes = part["code_com"].drop_duplicates().to_numpy()
        b = ewc_degrees(int(days), factor)
        day_values = part["day"].to_numpy().reshape(len(communes), days)
        for correlation in correlations:
            sums = np.stack(
                [part["n_pairs"].to_numpy(dtype=float)]
                + [
                    part[f"{correlation}_{name}"].to_numpy(dtype=float)
                    for name in ("sum_x", "sum_y", "sum_xx", "sum_yy", "sum_xy")
                ],
                axis=-1,
            ).reshape(len(communes), days, 6)
            ewc = ewc_correlation_intervals(sums, level, b)
            shift, at = leave_one_day_out(sums)
            rows.append(
                pd.DataFrame(
                    {
                        "code_com": communes,
                        "lag_hours": lag,
                        "correlation": correlation,
                        "rho": ewc["r"].to_numpy(),
                        "rho_ci_low": ewc["ci_low"].to_numpy(),
                        "rho_ci_high": ewc["ci_high"].to_numpy(),
                        "n_days": days,
                        "ewc_degrees": b,
                        "loo_max_shift": shift,
                        "loo_max_shift_day": [
                            day_values[i, k] if k >= 0 else None for i, k in enumerate(at)
                        ],
                    }
                )
            )
    if not rows:
        return pd.DataFrame(columns=columns)
    out = pd.concat(rows, ignore_index=True)[columns]
    return out.sort_values(["lag_hours", "code_com", "correlation"]).reset_index(drop=True)

"""Correlations and their comparison (docs/method.md sections 8 and 13): Spearman's rho,
tests for two dependent correlations sharing a variable, Fisher-z intervals with the
Bonett-Wright variance, Zou's interval of a difference, the partial Spearman
correlation and a commune bootstrap.

The dependent-correlation tests and Zou's interval are written here by hand: no
maintained Python library implements them (R's cocor does; its published test vectors
pin these functions in the tests). Spearman's rho itself is scipy's.

Notation for dependent correlations (Steiger 1980): variables j, k, h; r_jk and r_jh are
the two correlations compared (they share j), r_kh the correlation of k and h, n the
sample size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class TestResult:
    statistic: float
    p_value: float
    df: float | None  # None for a normal (z) statistic


def _check_r(*rs: float) -> None:
    for r in rs:
        if not -1.0 < r < 1.0:
            raise ValueError(f"correlations must lie strictly between -1 and 1, got {r}")


def _det_r(r_jk: float, r_jh: float, r_kh: float) -> float:
    """Determinant of the 3 x 3 correlation matrix of j, k, h."""
    return 1 - r_jk**2 - r_jh**2 - r_kh**2 + 2 * r_jk * r_jh * r_kh


def notebook_dependent_corr_test(r_ab: float, r_ac: float, r_bc: float, n: int) -> TestResult:
    """The authors' ad-hoc statistic (notebook 2, ``dependent_corr_test``), for parity.

    t = (r_ab - r_ac) / sqrt((1 - r_bc^2) / (n - 3)), two-sided p from t with n - 2 df.
    Not a recognised test for dependent correlations: use :func:`williams_t`.
    """
    _check_r(r_ab, r_ac, r_bc)
    t = (r_ab - r_ac) / np.sqrt((1 - r_bc**2) / (n - 3))
    return TestResult(float(t), float(2 * (1 - stats.t.cdf(abs(t), df=n - 2))), n - 2)


def williams_t(r_jk: float, r_jh: float, r_kh: float, n: int) -> TestResult:
    """Williams' (1959) t for H0: rho_jk = rho_jh, as given by Steiger (1980, eq. 7).

    t = (r_jk - r_jh) sqrt((n - 1)(1 + r_kh) / (2 (n - 1)/(n - 3) |R| + rbar^2 (1 - r_kh)^3)),
    |R| the determinant of the correlation matrix, rbar = (r_jk + r_jh) / 2; df = n - 3.
    """
    _check_r(r_jk, r_jh, r_kh)
    if n <= 3:
        raise ValueError("Williams' t needs n > 3")
    det = _det_r(r_jk, r_jh, r_kh)
    rbar = (r_jk + r_jh) / 2
    t = (r_jk - r_jh) * np.sqrt(
        (n - 1) * (1 + r_kh) / (2 * (n - 1) / (n - 3) * det + rbar**2 * (1 - r_kh) ** 3)
    )
    return TestResult(float(t), float(2 * stats.t.sf(abs(t), df=n - 3)), n - 3)


def steiger_z(r_jk: float, r_jh: float, r_kh: float, n: int) -> TestResult:
    """Steiger's (1980, eq. 14) Z with Fisher-transformed correlations and pooled rbar.

    Z = (z_jk - z_jh) sqrt(n - 3) / sqrt(2 - 2 s), with s the covariance of the two
    Fisher z's under H0: s = [r_kh (1 - 2 rbar^2) - rbar^2 (1 - 2 rbar^2 - r_kh^2) / 2]
    / (1 - rbar^2)^2, rbar = (r_jk + r_jh) / 2.
    """
    _check_r(r_jk, r_jh, r_kh)
    rbar = (r_jk + r_jh) / 2
    r2 = rbar**2
    s = (r_kh * (1 - 2 * r2) - 0.5 * r2 * (1 - 2 * r2 - r_kh**2)) / (1 - r2) ** 2
    z = (np.arctanh(r_jk) - np.arctanh(r_jh)) * np.sqrt(n - 3) / np.sqrt(2 - 2 * s)
    return TestResult(float(z), float(2 * stats.norm.sf(abs(z))), None)


def meng_rosenthal_rubin_z(r_jk: float, r_jh: float, r_kh: float, n: int) -> TestResult:
    """Meng, Rosenthal & Rubin's (1992) Z for two correlated correlation coefficients.

    Z = (z_jk - z_jh) sqrt((n - 3) / (2 (1 - r_kh) h)), h = (1 - f rbar2) / (1 - rbar2),
    f = min(1, (1 - r_kh) / (2 (1 - rbar2))), rbar2 = (r_jk^2 + r_jh^2) / 2.
    """
    _check_r(r_jk, r_jh, r_kh)
    rbar2 = (r_jk**2 + r_jh**2) / 2
    f = min(1.0, (1 - r_kh) / (2 * (1 - rbar2)))
    h = (1 - f * rbar2) / (1 - rbar2)
    z = (np.arctanh(r_jk) - np.arctanh(r_jh)) * np.sqrt((n - 3) / (2 * (1 - r_kh) * h))
    return TestResult(float(z), float(2 * stats.norm.sf(abs(z))), None)


def spearman(x: np.ndarray, y: np.ndarray) -> tuple[float, float, int]:
    """Spearman's rho (average ranks for ties), its two-sided p-value and n (scipy)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.shape != y.shape:
        raise ValueError("x and y must have the same length")
    if np.isnan(x).any() or np.isnan(y).any():
        raise ValueError("spearman: drop missing values first")
    result = stats.spearmanr(x, y)
    return float(result.statistic), float(result.pvalue), int(x.size)


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


def rank_rows(values: np.ndarray) -> np.ndarray:
    """Average ranks along the last axis (scipy's rankdata: ties share their mean rank)."""
    from scipy.stats import rankdata

    return rankdata(values, axis=-1)


def pearson_rows(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pearson correlations of x and y along the last axis (many series at once)."""
    xc = x - x.mean(axis=-1, keepdims=True)
    yc = y - y.mean(axis=-1, keepdims=True)
    return (xc * yc).sum(-1) / np.sqrt((xc * xc).sum(-1) * (yc * yc).sum(-1))


def partial_spearman(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> float:
    """Spearman correlation of x and y controlling for z: the Pearson correlation of the
    residuals of rank(x) and rank(y) on rank(z) (equal to the partial-correlation
    formula on the three Spearman coefficients)."""
    rx, ry, rz = (rank_rows(np.asarray(v, dtype=float)) for v in (x, y, z))
    design = np.column_stack([np.ones_like(rz), rz])
    ex = rx - design @ np.linalg.lstsq(design, rx, rcond=None)[0]
    ey = ry - design @ np.linalg.lstsq(design, ry, rcond=None)[0]
    return float(np.corrcoef(ex, ey)[0, 1])


def commune_bootstrap_spearman(
    x: np.ndarray, y: np.ndarray, replicates: int, seed: int, level: float
) -> tuple[float, float]:
    """Percentile interval of Spearman's rho over a seeded bootstrap of the communes
    (rows drawn with replacement, ranks recomputed in each replicate)."""
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(x), size=(replicates, len(x)))
    rho = pearson_rows(rank_rows(np.asarray(x)[idx]), rank_rows(np.asarray(y)[idx]))
    low, high = np.quantile(rho, [(1 - level) / 2, (1 + level) / 2])
    return float(low), float(high)

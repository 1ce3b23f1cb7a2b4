"""Statistics of the validation and regressions (method.md sections 7-9).

Pure functions on numpy arrays / pandas frames, each naming its method and source:

- tests comparing two dependent correlations that share a variable: the notebook's
  ad-hoc statistic (kept for parity), Williams' t, Steiger's Z, Meng-Rosenthal-Rubin's
  Z, Hotelling's t;
- OLS with heteroscedasticity-consistent covariance HC0-HC3 and t-tests on the
  residual degrees of freedom (what the authors' R code computes with
  ``lmtest::coeftest(fit, vcov = sandwich::vcovHC)``, whose default is HC3), or
  cluster-robust covariance, by statsmodels;
- PCA of standardised variables (the authors: scikit-learn StandardScaler + PCA) with
  a sign rule that makes the result reproducible.

The dependent-correlation tests are written here by hand: no maintained Python library
implements them (R's cocor does; its test vectors pin these functions in the tests).

Notation for dependent correlations (Steiger 1980): variables j, k, h; r_jk and r_jh are
the two correlations compared (they share j), r_kh the correlation of k and h, n the
sample size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
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


def hotelling_t(r_jk: float, r_jh: float, r_kh: float, n: int) -> TestResult:
    """Hotelling's (1940) t: (r_jk - r_jh) sqrt((n - 3)(1 + r_kh) / (2 |R|)), df = n - 3."""
    _check_r(r_jk, r_jh, r_kh)
    det = _det_r(r_jk, r_jh, r_kh)
    t = (r_jk - r_jh) * np.sqrt((n - 3) * (1 + r_kh) / (2 * det))
    return TestResult(float(t), float(2 * stats.t.sf(abs(t), df=n - 3)), n - 3)


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


# ---------------------------------------------------------------- OLS with robust SE

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


# ---------------------------------------------------------------- PCA


@dataclass(frozen=True)
class PCAResult:
    loadings: pd.DataFrame  # terms x components (unit eigenvectors)
    explained_variance_ratio: np.ndarray
    explained_variance: np.ndarray
    scores: pd.DataFrame  # rows x components
    means: pd.Series
    scales: pd.Series


def standardise(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """z-scores with the population standard deviation (scikit-learn's StandardScaler)."""
    means = frame.mean()
    scales = frame.std(ddof=0)
    if (scales == 0).any():
        raise ValueError(
            f"constant columns cannot be standardised: {list(scales[scales == 0].index)}"
        )
    return (frame - means) / scales, means, scales


SIGN_RULES = ("scores", "loadings")


def pca(frame: pd.DataFrame, n_components: int, sign_rule: str = "scores") -> PCAResult:
    """PCA of the standardised columns of ``frame`` via SVD (scikit-learn's PCA after
    StandardScaler), with a sign rule that makes the result reproducible:

    - ``scores`` (default, the authors'): scikit-learn's ``svd_flip`` on the left
      singular vectors, as its PCA applied up to version 1.4, which the authors ran:
      for each component the row (region) score of largest absolute value is positive;
    - ``loadings``: each component's largest absolute loading is positive.

    Ties go to the first row or term. Written with numpy's SVD rather than through
    scikit-learn, which the project does not otherwise need; the tests pin it to
    scikit-learn 1.4.2's output.
    """
    if sign_rule not in SIGN_RULES:
        raise ValueError(f"sign_rule must be one of {SIGN_RULES}, got {sign_rule!r}")
    if n_components > min(frame.shape):
        raise ValueError(
            f"n_components {n_components} exceeds the data's rank bound {min(frame.shape)}"
        )
    z, means, scales = standardise(frame)
    matrix = z.to_numpy()
    u, singular, vt = np.linalg.svd(matrix, full_matrices=False)
    components = vt[:n_components].copy()
    for i in range(n_components):
        if sign_rule == "scores":
            lead_value = u[int(np.argmax(np.abs(u[:, i]))), i]
        else:
            lead_value = components[i, int(np.argmax(np.abs(components[i])))]
        if lead_value < 0:
            components[i] = -components[i]
    n = matrix.shape[0]
    variance = singular**2 / (n - 1)
    names = [f"PC{i + 1}" for i in range(n_components)]
    return PCAResult(
        loadings=pd.DataFrame(components.T, index=frame.columns, columns=names),
        explained_variance_ratio=(variance / variance.sum())[:n_components],
        explained_variance=variance[:n_components],
        scores=pd.DataFrame(matrix @ components.T, index=frame.index, columns=names),
        means=means,
        scales=scales,
    )

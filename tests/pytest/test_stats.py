"""analysis_py.stats against published test vectors and second implementations.

The dependent-correlation test vectors are those of R package cocor's own tests
(Diedenhofen & Musch 2015, cocor/tests/testthat: Williams (.3, .4, .5, 100) t = -1.0767;
Steiger (.4, .5, .1, 103) z = -0.8887185; Meng-Rosenthal-Rubin (.3, .4, .5, 100)
z = -1.0707; Hotelling (.5, .2, .3, 50) t = 2.01), themselves worked examples of
Steiger (1980) and Meng, Rosenthal & Rubin (1992).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats as scipy_stats

from analysis_py import stats


def test_williams_t_published_vector():
    # r_jk .3, r_jh .4, r_kh .5, n 100 -> t = -1.0767, p = .2843 (df 97)
    result = stats.williams_t(0.3, 0.4, 0.5, 100)
    assert result.statistic == pytest.approx(-1.0767, abs=5e-5)
    assert result.p_value == pytest.approx(0.2843, abs=5e-5)
    assert result.df == 97


def test_steiger_z_published_vector():
    # r_jk .4, r_jh .5, r_kh .1, n 103 -> z = -0.8887185 (cocor's tests)
    assert stats.steiger_z(0.4, 0.5, 0.1, 103).statistic == pytest.approx(-0.8887185, abs=5e-7)


def test_meng_rosenthal_rubin_published_vector():
    # r_jk .3, r_jh .4, r_kh .5, n 100 -> z = -1.0707
    assert stats.meng_rosenthal_rubin_z(0.3, 0.4, 0.5, 100).statistic == pytest.approx(
        -1.0707, abs=5e-5
    )


def test_hotelling_published_vector():
    # r_jk .5, r_jh .2, r_kh .3, n 50 -> t = 2.01
    assert round(stats.hotelling_t(0.5, 0.2, 0.3, 50).statistic, 2) == 2.01


def test_notebook_adhoc_statistic_by_hand():
    # t = (0.3 - 0.4) / sqrt((1 - 0.25) / 97), p from t with 98 df
    result = stats.notebook_dependent_corr_test(0.3, 0.4, 0.5, 100)
    assert result.statistic == pytest.approx(-0.1 / np.sqrt(0.75 / 97), rel=1e-12)
    assert result.df == 98


@pytest.mark.parametrize("bad", [1.0, -1.0, 1.2])
def test_correlations_out_of_range_are_refused(bad):
    with pytest.raises(ValueError):
        stats.williams_t(bad, 0.2, 0.3, 50)


def _sandwich(design: np.ndarray, y: np.ndarray, cov_type: str) -> np.ndarray:
    """A second implementation: the HC sandwich written out (MacKinnon & White 1985;
    Long & Ervin 2000): (X'X)^-1 X' diag(w) X (X'X)^-1."""
    n, k = design.shape
    bread = np.linalg.inv(design.T @ design)
    e = y - design @ (bread @ design.T @ y)
    h = np.einsum("ij,jk,ik->i", design, bread, design)
    w = {
        "HC0": e**2,
        "HC1": e**2 * n / (n - k),
        "HC2": e**2 / (1 - h),
        "HC3": e**2 / (1 - h) ** 2,
    }[cov_type]
    return np.sqrt(np.diag(bread @ (design.T * w) @ design @ bread))


@pytest.mark.parametrize("cov_type", ["HC0", "HC1", "HC2", "HC3"])
def test_robust_standard_errors_equal_the_sandwich_by_hand(cov_type):
    rng = np.random.default_rng(7)
    x = pd.DataFrame({"a": rng.normal(size=40), "b": rng.exponential(size=40)})
    y = 1.0 + 2.0 * x["a"] - 0.5 * x["b"] + rng.normal(scale=np.abs(x["a"]) + 0.1)
    ours = stats.ols_robust(y.to_numpy(), x, cov_type)
    design = np.column_stack([np.ones(40), x.to_numpy()])
    beta = np.linalg.lstsq(design, y.to_numpy(), rcond=None)[0]
    se = _sandwich(design, y.to_numpy(), cov_type)
    assert np.allclose(ours.estimate, beta, rtol=1e-10)
    assert np.allclose(ours.std_error, se, rtol=1e-10)
    t = beta / se
    assert np.allclose(ours.p_value, 2 * scipy_stats.t.sf(np.abs(t), df=37), rtol=1e-8)
    assert ours.df_resid == 37


def test_cluster_robust_standard_errors_equal_statsmodels_by_groups():
    rng = np.random.default_rng(3)
    groups = np.repeat(np.arange(8), 6)
    x = pd.DataFrame({"a": rng.normal(size=48) + groups * 0.1})
    y = 0.5 + x["a"] + rng.normal(size=8)[groups] + rng.normal(size=48)
    ours = stats.ols_robust(y.to_numpy(), x, "cluster", groups=np.array([f"d{g}" for g in groups]))
    theirs = sm.OLS(y, sm.add_constant(x)).fit(
        cov_type="cluster", cov_kwds={"groups": groups}, use_t=True
    )
    assert np.allclose(ours.std_error, theirs.bse.to_numpy(), rtol=1e-12)
    # statsmodels: t on G - 1 degrees of freedom; CR1 correction G/(G-1) (n-1)/(n-k)
    bread = np.linalg.inv(sm.add_constant(x).to_numpy().T @ sm.add_constant(x).to_numpy())
    design = sm.add_constant(x).to_numpy()
    e = y.to_numpy() - design @ theirs.params.to_numpy()
    meat = sum(
        np.outer(design[groups == g].T @ e[groups == g], design[groups == g].T @ e[groups == g])
        for g in range(8)
    )
    cr1 = 8 / 7 * 47 / 46
    assert np.allclose(ours.std_error, np.sqrt(np.diag(cr1 * bread @ meat @ bread)), rtol=1e-10)
    with pytest.raises(ValueError, match="one group per row"):
        stats.ols_robust(y.to_numpy(), x, "cluster")


def test_hc3_by_hand_on_a_tiny_design():
    # y = [1, 2, 4], x = [0, 1, 2]: slope 1.5, intercept 0.8333; residuals
    # [1/6, -1/3, 1/6], leverages [5/6, 1/3, 5/6]
    x = pd.DataFrame({"x": [0.0, 1.0, 2.0]})
    fit = stats.ols_robust(np.array([1.0, 2.0, 4.0]), x, "HC3")
    design = np.array([[1, 0], [1, 1], [1, 2]], dtype=float)
    bread = np.linalg.inv(design.T @ design)
    e = np.array([1 / 6, -1 / 3, 1 / 6])
    h = np.array([5 / 6, 1 / 3, 5 / 6])
    meat = design.T @ np.diag(e**2 / (1 - h) ** 2) @ design
    assert fit.estimate == pytest.approx([5 / 6, 1.5])
    assert fit.std_error == pytest.approx(np.sqrt(np.diag(bread @ meat @ bread)))


def test_rank_deficient_design_is_refused():
    x = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [2.0, 4.0, 6.0, 8.0]})
    with pytest.raises(ValueError, match="rank deficient"):
        stats.ols_robust(np.array([1.0, 2.0, 3.0, 5.0]), x)


@pytest.mark.parametrize("p, expected", [(0.001, "***"), (0.03, "**"), (0.07, "*"), (0.2, "")])
def test_stars(p, expected):
    assert stats.stars(p) == expected


def test_pca_equals_eigen_decomposition():
    rng = np.random.default_rng(3)
    latent = rng.normal(size=(21, 2))
    frame = pd.DataFrame(
        latent @ rng.normal(size=(2, 6)) + 0.3 * rng.normal(size=(21, 6)),
        columns=[f"t{i}" for i in range(6)],
    )
    result = stats.pca(frame, 3, sign_rule="loadings")
    z = (frame - frame.mean()) / frame.std(ddof=0)
    values, vectors = np.linalg.eigh(np.cov(z.to_numpy(), rowvar=False))
    order = np.argsort(values)[::-1][:3]
    for k, comp in enumerate(result.loadings.columns):
        vec = vectors[:, order[k]]
        vec = vec if vec[np.argmax(np.abs(vec))] > 0 else -vec  # the same sign rule
        assert np.allclose(result.loadings[comp].to_numpy(), vec, atol=1e-10)
    assert np.allclose(result.explained_variance_ratio, values[order] / values.sum(), atol=1e-12)
    # scores are the standardised data projected on the loadings
    assert np.allclose(result.scores.to_numpy(), z.to_numpy() @ result.loadings.to_numpy())


def test_pca_loading_rule_makes_largest_loading_positive():
    frame = pd.DataFrame({"a": [1.0, 2, 3, 4, 5], "b": [2.0, 1, 4, 3, 6], "c": [5.0, 3, 2, 2, 1]})
    result = stats.pca(frame, 2, sign_rule="loadings")
    for comp in result.loadings.columns:
        loadings = result.loadings[comp]
        assert loadings[loadings.abs().idxmax()] > 0


# scikit-learn 1.4.2: PCA(2).fit(StandardScaler().fit_transform(A)) on this matrix gives
# these scores (transform) and components_, printed to 12 decimals (the authors' rule:
# svd_flip on U, the largest absolute score of each component positive). Component 1's
# largest absolute loading is negative: the loading rule would flip it.
SKLEARN_MATRIX = [[1.0, 2, 0], [2.0, 0, 1], [0.0, 1, 3], [3.0, 1, 1], [1.0, 3, 2]]
SKLEARN_SCORES = [
    [-0.305724786623, 1.225888192006],
    [-1.194271098887, -0.929090390719],
    [1.731497503455, -1.210896965243],
    [-1.4842577599, -0.079181305636],
    [1.252756141956, 0.993280469591],
]
SKLEARN_COMPONENTS = [
    [-0.697182652921, 0.401453124284, 0.593945904496],
    [0.025086590695, 0.841654011229, -0.539434137175],
]


def test_pca_score_rule_equals_scikit_learn():
    frame = pd.DataFrame(SKLEARN_MATRIX, columns=["a", "b", "c"])
    result = stats.pca(frame, 2)  # default: the authors' rule
    assert np.allclose(result.scores.to_numpy(), SKLEARN_SCORES, atol=1e-11)
    assert np.allclose(result.loadings.to_numpy().T, SKLEARN_COMPONENTS, atol=1e-11)
    flipped = stats.pca(frame, 2, sign_rule="loadings")
    assert np.allclose(flipped.scores["PC1"], -result.scores["PC1"])
    assert np.allclose(flipped.scores["PC2"], result.scores["PC2"])
    with pytest.raises(ValueError, match="sign_rule"):
        stats.pca(frame, 2, sign_rule="largest")


def test_pca_refuses_constant_columns():
    with pytest.raises(ValueError, match="constant"):
        stats.pca(pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, 1.0, 1.0]}), 1)

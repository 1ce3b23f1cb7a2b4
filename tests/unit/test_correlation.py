"""analysis_py.stats.correlation against published test vectors and planted truths.

The dependent-correlation test vectors are those of R package cocor's own tests
(Diedenhofen & Musch 2015, cocor/tests/testthat: Williams (.3, .4, .5, 100) t = -1.0767;
Steiger (.4, .5, .1, 103) z = -0.8887185; Meng-Rosenthal-Rubin (.3, .4, .5, 100)
z = -1.0707), themselves worked examples of Steiger (1980) and Meng, Rosenthal & Rubin
(1992); the Bonett-Wright vector is R vcmeta::se.spear's, Zou's cocor's.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as scipy_stats

from analysis_py.stats.correlation import (
    commune_bootstrap_spearman,
    meng_rosenthal_rubin_z,
    notebook_dependent_corr_test,
    partial_spearman,
    spearman,
    spearman_ci_bonett_wright,
    spearman_se_bonett_wright,
    steiger_z,
    williams_t,
    zou_difference_ci,
)


def test_williams_t_published_vector():
    # r_jk .3, r_jh .4, r_kh .5, n 100 -> t = -1.0767, p = .2843 (df 97)
    result = williams_t(0.3, 0.4, 0.5, 100)
    assert result.statistic == pytest.approx(-1.0767, abs=5e-5)
    assert result.p_value == pytest.approx(0.2843, abs=5e-5)
    assert result.df == 97


def test_steiger_z_published_vector():
    # r_jk .4, r_jh .5, r_kh .1, n 103 -> z = -0.8887185 (cocor's tests)
    assert steiger_z(0.4, 0.5, 0.1, 103).statistic == pytest.approx(-0.8887185, abs=5e-7)


def test_meng_rosenthal_rubin_published_vector():
    # r_jk .3, r_jh .4, r_kh .5, n 100 -> z = -1.0707
    assert meng_rosenthal_rubin_z(0.3, 0.4, 0.5, 100).statistic == pytest.approx(-1.0707, abs=5e-5)


def test_notebook_adhoc_statistic_by_hand():
    # t = (0.3 - 0.4) / sqrt((1 - 0.25) / 97), p from t with 98 df
    result = notebook_dependent_corr_test(0.3, 0.4, 0.5, 100)
    assert result.statistic == pytest.approx(-0.1 / np.sqrt(0.75 / 97), rel=1e-12)
    assert result.df == 98


@pytest.mark.parametrize("bad", [1.0, -1.0, 1.2])
def test_correlations_out_of_range_are_refused(bad):
    with pytest.raises(ValueError):
        williams_t(bad, 0.2, 0.3, 50)


def test_bonett_wright_test_vector():
    """R vcmeta::se.spear: SE of Spearman's r = 0.1210569 for r = .40, n = 55."""
    assert spearman_se_bonett_wright(0.40, 55) == pytest.approx(0.1210569, abs=5e-8)


def test_zou_interval_test_vector():
    """R cocor's tests (Zou 2007, overlapping correlations): r_jk .396, r_jh .179,
    r_kh .088, n 66 -> [-.093, .517]."""
    low, high = zou_difference_ci(0.396, 0.179, 0.088, 66)
    assert (round(low, 3), round(high, 3)) == (-0.093, 0.517)


def _spearman_of_normal(rho: float) -> float:
    """Population Spearman correlation of a bivariate normal (Pearson 1907):
    (6 / pi) arcsin(rho / 2)."""
    return 6 / np.pi * np.arcsin(rho / 2)


def test_spearman_intervals_cover_the_planted_correlation():
    """200 samples of 150 communes from a bivariate normal with Pearson 0.5: the
    Bonett-Wright and the commune-bootstrap 95 % intervals of Spearman's rho cover the
    population value (6/pi) arcsin(0.25) in 88-99 % of the samples."""
    rng = np.random.default_rng(55)
    truth = _spearman_of_normal(0.5)
    covered = {"bonett_wright": 0, "bootstrap": 0}
    for i in range(200):
        z = rng.multivariate_normal([0, 0], [[1, 0.5], [0.5, 1]], size=150)
        r = scipy_stats.spearmanr(z[:, 0], z[:, 1])[0]
        low, high = spearman_ci_bonett_wright(r, 150)
        covered["bonett_wright"] += low <= truth <= high
        low, high = commune_bootstrap_spearman(z[:, 0], z[:, 1], 400, seed=i, level=0.95)
        covered["bootstrap"] += low <= truth <= high
    for name, count in covered.items():
        assert 0.88 <= count / 200 <= 0.99, (name, count)


def test_zou_interval_covers_a_planted_difference():
    """Planted: outcome h and two indicators j, k with known population Spearman
    correlations with h; Zou's interval of r_jh - r_kh (Bonett-Wright intervals inside)
    covers the true difference in 88-99 % of 200 samples."""
    rng = np.random.default_rng(66)
    cov = np.array([[1.0, 0.5, 0.2], [0.5, 1.0, 0.3], [0.2, 0.3, 1.0]])  # h, j, k
    truth = _spearman_of_normal(0.5) - _spearman_of_normal(0.2)
    covered = 0
    for _ in range(200):
        h, j, k = rng.multivariate_normal(np.zeros(3), cov, size=200).T
        r_jh, r_kh, r_jk = (scipy_stats.spearmanr(a, b)[0] for a, b in ((j, h), (k, h), (j, k)))
        low, high = zou_difference_ci(
            r_jh,
            r_kh,
            r_jk,
            200,
            ci_jk=spearman_ci_bonett_wright(r_jh, 200),
            ci_jh=spearman_ci_bonett_wright(r_kh, 200),
        )
        covered += low <= truth <= high
    assert 0.88 <= covered / 200 <= 0.99, covered


def test_partial_spearman_removes_a_planted_confounder():
    """Planted: x and y both driven by commune size z only; their Spearman correlation
    is large, the partial one on z near 0, and it equals the partial-correlation formula
    on the three Spearman coefficients (a second implementation)."""
    rng = np.random.default_rng(77)
    z = rng.lognormal(8, 1.5, size=2000)
    x = np.log(z) + rng.normal(0, 1, size=2000)
    y = np.log(z) + rng.normal(0, 1, size=2000)
    assert scipy_stats.spearmanr(x, y)[0] > 0.5
    partial = partial_spearman(x, y, z)
    assert abs(partial) < 0.05
    r_xy, r_xz, r_yz = (scipy_stats.spearmanr(a, b)[0] for a, b in ((x, y), (x, z), (y, z)))
    formula = (r_xy - r_xz * r_yz) / np.sqrt((1 - r_xz**2) * (1 - r_yz**2))
    assert partial == pytest.approx(formula, abs=1e-12)


def test_spearman_ties_take_average_ranks():
    """Hand-worked: x = (1, 2, 2, 3), y = (1, 3, 2, 4): ranks of x (1, 2.5, 2.5, 4), of y
    (1, 3, 2, 4); Pearson of the ranks = 4.5 / sqrt(4.5 * 5)."""
    rho, _, n = spearman(np.array([1.0, 2, 2, 3]), np.array([1.0, 3, 2, 4]))
    assert rho == pytest.approx(4.5 / np.sqrt(4.5 * 5), rel=1e-12)
    assert n == 4


@pytest.mark.parametrize(
    "x, y, message",
    [
        ([1.0, 2.0], [1.0], "same length"),
        ([1.0, np.nan, 3.0], [1.0, 2.0, 3.0], "missing"),
    ],
    ids=["lengths", "nan"],
)
def test_spearman_refuses_bad_input(x, y, message):
    with pytest.raises(ValueError, match=message):
        spearman(np.array(x), np.array(y))


@pytest.mark.parametrize("r, n", [(0.0, 30), (0.4, 55), (-0.7, 200), (0.95, 12)])
def test_bonett_wright_interval_is_fisher_z_with_its_variance(r, n):
    """Hand-worked: tanh(atanh(r) -+ 1.96 sqrt((1 + r^2/2) / (n - 3)))."""
    half = scipy_stats.norm.ppf(0.975) * np.sqrt((1 + r * r / 2) / (n - 3))
    low, high = spearman_ci_bonett_wright(r, n)
    assert (low, high) == pytest.approx(
        (np.tanh(np.arctanh(r) - half), np.tanh(np.arctanh(r) + half)), rel=1e-12
    )
    assert low < r < high


def test_williams_t_is_zero_for_equal_correlations():
    assert williams_t(0.4, 0.4, 0.3, 80).statistic == pytest.approx(0.0, abs=1e-15)
    assert steiger_z(0.4, 0.4, 0.3, 80).statistic == pytest.approx(0.0, abs=1e-15)

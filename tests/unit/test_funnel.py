"""Funnel limits (analysis_py.stats.funnel; Spiegelhalter 2005): a hand-worked example
and a planted truth (areas drawn from one over-dispersed rate, a few planted outliers)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from analysis_py.stats.funnel import funnel, winsor_factor


def test_hand_worked_funnel():
    # three areas: counts 10, 40, 30 over 1000, 2000, 3000 inhabitants
    population = np.array([1000.0, 2000.0, 3000.0])
    rates = np.array([10.0, 20.0, 10.0])  # per 1000
    f = funnel(rates, population, winsor=0.0)
    # theta = 80 x 1000 / 6000
    assert f.target == pytest.approx(40 / 3)
    # z_i = (y_i - theta) / sqrt(theta x 1000 / n_i)
    expected_z = (rates - 40 / 3) / np.sqrt((40 / 3) * 1000 / population)
    np.testing.assert_allclose(f.z, expected_z)
    assert f.phi == pytest.approx(np.mean(expected_z**2))
    # 95 % limits at n = 4000: theta +- 1.959964 sqrt(phi theta 1000 / 4000)
    low, high = f.limits(np.array([4000.0]), 0.95)
    half = 1.959964 * np.sqrt(f.phi * (40 / 3) * 1000 / 4000)
    assert (low[0], high[0]) == (pytest.approx(40 / 3 - half), pytest.approx(40 / 3 + half))


def test_limits_do_not_depend_on_the_unit_of_the_counts():
    rng = np.random.default_rng(3)
    population = rng.integers(200, 50_000, size=200).astype(float)
    rates = rng.gamma(5.0, 2.0, size=200)
    a, b = funnel(rates, population), funnel(1000.0 * rates, population)
    np.testing.assert_allclose(
        1000.0 * np.array(a.limits(population, 0.95)), b.limits(population, 0.95)
    )


def test_winsor_factor_by_quadrature():
    # a second implementation: E[clip(Z, -a, a)^2] by numerical integration
    from scipy import integrate

    a = stats.norm.ppf(0.9)
    inner, _ = integrate.quad(lambda z: z * z * stats.norm.pdf(z), -a, a)
    assert winsor_factor(0.1) == pytest.approx(inner + 2 * 0.1 * a * a, rel=1e-9)
    assert winsor_factor(0.0) == 1.0


def _planted(seed: int):
    """Quasi-Poisson counts, variance phi x mean with phi = 3 planted (3 x a Poisson of
    a third of the mean: the model of the limits), and five large areas at 1.5x the
    rate."""
    rng = np.random.default_rng(seed)
    population = rng.integers(2_000, 40_000, size=2000).astype(float)
    rates = 3 * rng.poisson(40.0 / 1000 * population / 3) * 1000.0 / population
    outliers = np.argsort(population)[-5:]
    rates[outliers] *= 1.5
    return rates, population, outliers


@pytest.mark.parametrize("seed", [20190316, 1])
def test_planted_over_dispersion_is_recovered_and_the_limits_cover(seed):
    rates, population, outliers = _planted(seed)
    ordinary = np.setdiff1d(np.arange(len(rates)), outliers)
    f = funnel(rates, population)
    assert f.target == pytest.approx(40.0, rel=0.01)
    assert f.phi == pytest.approx(3.0, rel=0.12)
    inside = ~f.outside(rates[ordinary], population[ordinary], 0.95)
    assert inside.mean() == pytest.approx(0.95, abs=0.015)
    assert f.outside(rates[outliers], population[outliers], 0.95).all()
    # Spiegelhalter's own Winsorised estimate: phi x 0.68, and limits that hold about
    # 2 Phi(1.96 sqrt(0.68)) - 1 = 89 % of the ordinary areas
    w = winsor_factor(0.1)
    raw = funnel(rates, population, consistent=False)
    assert raw.phi == pytest.approx(3.0 * w, rel=0.12)
    predicted = 2 * stats.norm.cdf(stats.norm.ppf(0.975) * np.sqrt(w)) - 1
    inside_raw = ~raw.outside(rates[ordinary], population[ordinary], 0.95)
    assert inside_raw.mean() == pytest.approx(predicted, abs=0.015)
    # without over-dispersion (phi = 1) the limits are far too narrow
    z = stats.norm.ppf(0.975)
    plain = np.abs(rates[ordinary] - f.target) <= z * np.sqrt(
        f.target * 1000 / population[ordinary]
    )
    assert plain.mean() < 0.8


def test_a_funnel_refuses_what_it_cannot_draw():
    with pytest.raises(ValueError, match="at least 3 areas"):
        funnel(np.array([1.0, 2.0]), np.array([10.0, 20.0]))
    with pytest.raises(ValueError, match="positive populations"):
        funnel(np.array([1.0, 2.0, 3.0]), np.array([10.0, 0.0, 5.0]))

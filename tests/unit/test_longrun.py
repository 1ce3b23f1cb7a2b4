"""The EWC interval of a commune's correlation (analysis_py.stats.longrun, docs/method.md
section 13): the long-run variance against an AR(1) series whose value is known
analytically, the influence sums against a second implementation (the numerical
derivative of the day-weighted correlation), the leave-one-day-out shift against a
direct recomputation, and coverage on communes planted with a weekly x hourly cycle,
persistent day effects, hourly AR(1) noise and sparse Tor, where the day bootstrap
falls short."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import linalg

from analysis_py.errors import InputError
from analysis_py.stats.bootstrap import day_weights, replicate_correlations
from analysis_py.stats.longrun import (
    commune_rho_intervals,
    ewc_basis,
    ewc_correlation_intervals,
    ewc_degrees,
    ewc_long_run_variance,
    influence_sums,
    leave_one_day_out,
)

DAYS, HOURS = 77, 24


def test_degrees_follow_the_published_rule():
    # Lazarus, Lewis, Stock and Watson (2018): B = 0.4 T^(2/3), 8 for the study's 77 days
    assert ewc_degrees(77) == 8
    assert ewc_degrees(8) == 2
    assert ewc_degrees(2) == 1
    with pytest.raises(InputError, match="EWC needs 2 days or more, got 1"):
        ewc_degrees(1)


def test_basis_is_orthonormal_and_orthogonal_to_the_mean():
    basis = ewc_basis(77, 8)
    assert np.allclose(basis @ basis.T, np.eye(8), atol=1e-12)
    assert np.allclose(basis.sum(axis=1), 0, atol=1e-12)


def test_long_run_variance_of_an_ar1_series():
    """AR(1) psi_d = phi psi_{d-1} + e_d, Var(e) = 1: the long-run variance is
    1 / (1 - phi)^2. The estimator's exact expectation, trace(W Sigma W') / B with
    Sigma the AR(1) autocovariance matrix, is within 5 % of it for phi = 0.3 and 77 days,
    and the Monte Carlo mean of the estimates matches that expectation."""
    phi, b = 0.3, ewc_degrees(DAYS)
    lrv = 1 / (1 - phi) ** 2
    gamma = phi ** np.arange(DAYS) / (1 - phi**2)
    sigma = linalg.toeplitz(gamma)
    basis = ewc_basis(DAYS, b)
    expected = np.trace(basis @ sigma @ basis.T) / b
    assert expected == pytest.approx(lrv, rel=0.05)
    rng = np.random.default_rng(1)
    e = rng.standard_normal((20000, DAYS))
    psi = np.empty_like(e)
    psi[:, 0] = e[:, 0] / np.sqrt(1 - phi**2)
    for d in range(1, DAYS):
        psi[:, d] = phi * psi[:, d - 1] + e[:, d]
    estimates = ewc_long_run_variance(psi, b)
    assert estimates.mean() == pytest.approx(expected, rel=0.02)
    # Omega / expectation is chi-square with B degrees of freedom / B: variance 2 / B
    assert np.var(estimates / expected) == pytest.approx(2 / b, rel=0.15)


def _random_day_sums(rng, units=5, days=DAYS):
    x = rng.standard_normal((units, days * HOURS))
    y = 0.4 * x + rng.standard_normal((units, days * HOURS))
    return _day_sums(x, y)


def _day_sums(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """n and the five sums per unit and day, centred on each unit's mean (numpy, as
    int_commune_day_sums)."""
    x = x - x.mean(axis=1, keepdims=True)
    y = y - y.mean(axis=1, keepdims=True)
    shape = (x.shape[0], x.shape[1] // HOURS, HOURS)
    xb, yb = x.reshape(shape), y.reshape(shape)
    return np.stack(
        [np.full(shape[:2], float(HOURS)), xb.sum(2), yb.sum(2), (xb * xb).sum(2),
         (yb * yb).sum(2), (xb * yb).sum(2)],
        axis=-1,
    )  # fmt: skip


def test_influence_sums_are_the_derivative_of_the_day_weighted_correlation():
    """Second implementation: psi_d / n is dr / dw_d at w = 1 for the correlation with
    day weights w (bootstrap.replicate_correlations), by central differences."""
    sums = _random_day_sums(np.random.default_rng(2))
    r, n, psi = influence_sums(sums)
    assert np.allclose(psi.sum(axis=1), 0, atol=1e-8)
    eps = 1e-6
    for d in (0, 5, 40, 76):
        up, down = np.ones((1, DAYS)), np.ones((1, DAYS))
        up[0, d] += eps
        down[0, d] -= eps
        derivative = (
            replicate_correlations(sums, up)[0] - replicate_correlations(sums, down)[0]
        ) / (2 * eps)
        assert np.allclose(derivative, psi[:, d] / n, rtol=1e-5, atol=1e-9)
    assert np.allclose(r, replicate_correlations(sums, np.ones((1, DAYS)))[0])


def test_leave_one_day_out_equals_recomputing_without_the_day():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((3, 10 * HOURS))
    y = 0.5 * x + rng.standard_normal((3, 10 * HOURS))
    y[1, 4 * HOURS : 5 * HOURS] += 6 * x[1, 4 * HOURS : 5 * HOURS]  # one odd day
    sums = _day_sums(x, y)
    shift, day = leave_one_day_out(sums)
    for unit in range(3):
        full = np.corrcoef(x[unit], y[unit])[0, 1]
        without = [
            np.corrcoef(np.delete(x[unit], np.s_[d * HOURS : (d + 1) * HOURS]),
                        np.delete(y[unit], np.s_[d * HOURS : (d + 1) * HOURS]))[0, 1]
            for d in range(10)
        ]  # fmt: skip
        shifts = np.abs(np.array(without) - full)
        assert shift[unit] == pytest.approx(shifts.max(), rel=1e-9)
        assert day[unit] == shifts.argmax()
    assert day[1] == 4


# ------------------------------------------------------------------ planted communes

PHI_DAY, PHI_HOUR = 0.7, 0.6


def _profile(rng) -> tuple[np.ndarray, np.ndarray]:
    """Weekly x hourly profiles of the two services (168 hours): a shared daily shape,
    weekly rhythms that differ between services (the authors' day x hour heatmaps)."""
    h = np.arange(168) % 24
    day = np.arange(168) // 24
    daily = np.sin(2 * np.pi * (h - 6) / 24) + 0.4 * np.cos(4 * np.pi * h / 24)
    weekly_x = 0.3 * (day >= 5)
    weekly_y = 0.15 * np.cos(2 * np.pi * day / 7)
    return daily + weekly_x, 0.8 * daily + weekly_y


def _simulate(rng, units: int) -> tuple[np.ndarray, np.ndarray]:
    """Log Web_Adult and log Tor hourly series of ``units`` independent communes over
    77 days: weekly x hourly profile, day effects AR(1) across days (phi 0.7,
    correlated between services), hourly AR(1) noise (phi 0.6), Tor sparse (a Poisson
    count, zeros logged at the floor 0.001)."""
    px, py = _profile(rng)
    n = DAYS * HOURS
    t = np.arange(n) % 168
    # day effects: AR(1) across days, correlation 0.5 between the services
    ed = rng.standard_normal((units, DAYS))
    fd = 0.5 * ed + np.sqrt(0.75) * rng.standard_normal((units, DAYS))
    dx, dy = np.empty((units, DAYS)), np.empty((units, DAYS))
    dx[:, 0], dy[:, 0] = ed[:, 0], fd[:, 0]
    s = np.sqrt(1 - PHI_DAY**2)
    for d in range(1, DAYS):
        dx[:, d] = PHI_DAY * dx[:, d - 1] + s * ed[:, d]
        dy[:, d] = PHI_DAY * dy[:, d - 1] + s * fd[:, d]
    # hourly AR(1) noise, innovations correlated 0.2
    e = rng.standard_normal((units, n))
    f = 0.2 * e + np.sqrt(0.96) * rng.standard_normal((units, n))
    u, v = np.empty((units, n)), np.empty((units, n))
    u[:, 0], v[:, 0] = e[:, 0], f[:, 0]
    s = np.sqrt(1 - PHI_HOUR**2)
    for k in range(1, n):
        u[:, k] = PHI_HOUR * u[:, k - 1] + s * e[:, k]
        v[:, k] = PHI_HOUR * v[:, k - 1] + s * f[:, k]
    x = 3.0 + px[t] + 0.6 * np.repeat(dx, HOURS, axis=1) + 0.5 * u
    rate = np.exp(0.5 + py[t] + 0.6 * np.repeat(dy, HOURS, axis=1) + 0.5 * v)
    tor = rng.poisson(rate)
    y = np.log(np.where(tor == 0, 0.001, tor))
    return x, y


@pytest.fixture(scope="module")
def planted():
    rng = np.random.default_rng(20190316)
    x, y = _simulate(rng, 600)
    sums = _day_sums(x, y)
    # the planted value and the true spread, by Monte Carlo over 2,000 more communes
    mx, my = _simulate(rng, 2000)
    mc = _day_sums(mx, my)
    mc_r = mc[..., 5].sum(1) / np.sqrt(mc[..., 3].sum(1) * mc[..., 4].sum(1))
    truth = mc_r.mean()
    true_width = np.diff(np.quantile(mc_r, [0.025, 0.975]))[0]
    return sums, truth, true_width


def test_ewc_interval_covers_under_persistent_day_effects(planted):
    """600 planted communes: the 95 % EWC interval covers the planted correlation in at
    least 91 % of them (94 % here), with a median width 0.9-1.35x the true spread."""
    sums, truth, true_width = planted
    ewc = ewc_correlation_intervals(sums, 0.95)
    coverage = np.mean((ewc["ci_low"] <= truth) & (truth <= ewc["ci_high"]))
    assert coverage >= 0.91, coverage
    ratio = np.median(ewc["ci_high"] - ewc["ci_low"]) / true_width
    assert 0.9 <= ratio <= 1.35, ratio


def test_day_bootstrap_falls_short_under_persistent_day_effects(planted):
    """The same communes: the bootstrap of independent days (1,000 replicates) is too
    narrow and covers less (docs/method.md section 13; about 85 % at 0.7x the spread here)."""
    sums, truth, true_width = planted
    weights = day_weights(DAYS, 1000, seed=5)
    rho = replicate_correlations(sums, weights)
    low, high = np.quantile(rho, [0.025, 0.975], axis=0)
    coverage = np.mean((low <= truth) & (truth <= high))
    ratio = np.median(high - low) / true_width
    assert coverage < 0.91 and ratio < 0.9, (coverage, ratio)


def test_commune_table_from_day_sums_rows():
    """commune_rho_intervals reads int_commune_day_sums' layout: communes with the same
    days in one pass, each with its own days in date order; equal to the array path."""
    sums = _random_day_sums(np.random.default_rng(4), units=3, days=10)
    days = pd.date_range("2019-03-16", periods=10).date
    rows = []
    for unit, code in enumerate(["06001", "06002", "06003"]):
        for d in range(10):
            if code == "06003" and d == 9:
                continue  # a day without pairs
            n, sx, sy, sxx, syy, sxy = sums[unit, d]
            rows.append({"code_com": code, "lag_hours": 0, "day": days[d], "n_pairs": n,
                         "pearson_sum_x": sx, "pearson_sum_y": sy, "pearson_sum_xx": sxx,
                         "pearson_sum_yy": syy, "pearson_sum_xy": sxy})  # fmt: skip
    table = commune_rho_intervals(pd.DataFrame(rows), ["pearson"], 0.95)
    assert list(table["code_com"]) == ["06001", "06002", "06003"]
    direct = ewc_correlation_intervals(sums[:2], 0.95)
    assert np.allclose(table["rho_ci_low"][:2], direct["ci_low"])
    assert list(table["n_days"]) == [10, 10, 9]
    # the third commune's interval is over its 9 days (its sums re-centred are not
    # needed: the left-out day only shortens the series)
    nine = ewc_correlation_intervals(sums[2:, :9], 0.95)
    assert table["rho_ci_high"][2] == pytest.approx(nine["ci_high"][0])
    assert (table["rho_ci_low"] <= table["rho"]).all() and (
        table["rho"] <= table["rho_ci_high"]
    ).all()

"""The bootstrap over days (analysis_py.stats.bootstrap, docs/method.md section 13) on a
planted truth: hourly series with a shared daily cycle and AR(1) noise whose population
correlation is known analytically; hand-worked replicates; seeded draws."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from analysis_py.errors import InputError
from analysis_py.stats.bootstrap import (
    commune_correlation_replicates,
    correlation_from_sums,
    day_weights,
    interval_note,
    replicate_correlations,
)

DAYS, HOURS = 77, 24  # the study's 77 days of hourly series
PHI, KAPPA, A, B = 0.8, 0.3, 1.0, 0.5


def _cycle() -> np.ndarray:
    h = np.arange(HOURS)
    return np.sin(2 * np.pi * h / HOURS) + 0.5 * np.cos(4 * np.pi * h / HOURS)


def _true_rho() -> float:
    """Population correlation of x = A s + u, y = B s + v over the stationary series:
    s the daily cycle (variance over the hours 1/2 + 1/8), u and v AR(1) with
    coefficient PHI, unit variance and innovations correlated KAPPA (so cov(u, v) =
    KAPPA)."""
    var_s = 0.5 + 0.125
    assert np.var(_cycle()) == pytest.approx(var_s)
    return (A * B * var_s + KAPPA) / np.sqrt((A * A * var_s + 1) * (B * B * var_s + 1))


def _simulate(rng: np.random.Generator, units: int) -> tuple[np.ndarray, np.ndarray]:
    """``units`` independent pairs of hourly series (units, DAYS * HOURS)."""
    n = DAYS * HOURS
    scale = np.sqrt(1 - PHI**2)
    e = rng.standard_normal((units, n))
    f = KAPPA * e + np.sqrt(1 - KAPPA**2) * rng.standard_normal((units, n))
    u = np.empty((units, n))
    v = np.empty((units, n))
    u[:, 0], v[:, 0] = e[:, 0], f[:, 0]  # stationary start (unit variance)
    for t in range(1, n):
        u[:, t] = PHI * u[:, t - 1] + scale * e[:, t]
        v[:, t] = PHI * v[:, t - 1] + scale * f[:, t]
    s = np.tile(_cycle(), DAYS)
    return A * s + u, B * s + v


def _day_sums(x: np.ndarray, y: np.ndarray, hours_per_block: int) -> np.ndarray:
    """n and the five sums per unit and block of hours, centred on each unit's mean
    (numpy, a second implementation of int_commune_day_sums)."""
    x = x - x.mean(axis=1, keepdims=True)
    y = y - y.mean(axis=1, keepdims=True)
    units, n = x.shape
    shape = (units, n // hours_per_block, hours_per_block)
    xb, yb = x.reshape(shape), y.reshape(shape)
    return np.stack(
        [
            np.full(shape[:2], hours_per_block, dtype=float),
            xb.sum(2),
            yb.sum(2),
            (xb * xb).sum(2),
            (yb * yb).sum(2),
            (xb * yb).sum(2),
        ],
        axis=-1,
    )


def _intervals(sums: np.ndarray, replicates: int, seed: int, level=0.95):
    weights = day_weights(sums.shape[1], replicates, seed)
    rho = replicate_correlations(sums, weights)
    return np.quantile(rho, [(1 - level) / 2, (1 + level) / 2], axis=0)


@pytest.fixture(scope="module")
def simulated():
    rng = np.random.default_rng(20190316)
    x, y = _simulate(rng, 200)
    # the true sampling spread, by Monte Carlo over 2,000 more realisations
    mc_x, mc_y = _simulate(rng, 2000)
    xc = mc_x - mc_x.mean(1, keepdims=True)
    yc = mc_y - mc_y.mean(1, keepdims=True)
    mc_rho = (xc * yc).sum(1) / np.sqrt((xc * xc).sum(1) * (yc * yc).sum(1))
    true_width = np.diff(np.quantile(mc_rho, [0.025, 0.975]))[0]
    return x, y, true_width


def test_day_bootstrap_covers_the_planted_correlation(simulated):
    """200 communes with a shared daily cycle and AR(1) noise (phi 0.8): the 95 % day
    bootstrap intervals cover the analytic population correlation in 88-99 % of them,
    and their median width is 0.7-1.5x the true spread (Monte Carlo)."""
    x, y, true_width = simulated
    low, high = _intervals(_day_sums(x, y, HOURS), 1000, seed=7)
    rho = _true_rho()
    coverage = np.mean((low <= rho) & (rho <= high))
    assert 0.88 <= coverage <= 0.99, coverage
    ratio = np.median(high - low) / true_width
    assert 0.7 <= ratio <= 1.5, ratio


def test_intervals_treating_hours_as_independent_fail(simulated):
    """The same test fails for intervals that take the 1,848 hours as independent:
    the bootstrap of single hours and Fisher's z with n = 1,848 are both far too
    narrow (docs/method.md section 13: about half the true spread)."""
    x, y, true_width = simulated
    rho = _true_rho()
    low, high = _intervals(_day_sums(x[:60], y[:60], 1), 500, seed=7)
    coverage_hours = np.mean((low <= rho) & (rho <= high))
    assert coverage_hours < 0.88, coverage_hours
    assert np.median(high - low) / true_width < 0.7
    r = np.array([np.corrcoef(a, b)[0, 1] for a, b in zip(x, y, strict=True)])
    half = scipy_stats.norm.ppf(0.975) / np.sqrt(x.shape[1] - 3)
    fisher_low, fisher_high = np.tanh(np.arctanh(r) - half), np.tanh(np.arctanh(r) + half)
    assert np.mean((fisher_low <= rho) & (rho <= fisher_high)) < 0.88


def test_replicate_of_every_day_once_is_the_sample_correlation():
    """Hand-worked: weights of 1 for every day give back the correlation of the whole
    series (numpy's corrcoef), and a day drawn twice counts twice."""
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal((2, 1, 5 * HOURS))
    sums = _day_sums(x, y, HOURS)
    once = replicate_correlations(sums, np.ones((1, 5), dtype=int))
    assert once[0, 0] == pytest.approx(np.corrcoef(x[0], y[0])[0, 1], rel=1e-12)
    twice = replicate_correlations(sums, np.array([[2, 0, 1, 1, 1]]))
    xs = np.concatenate([x[0, :HOURS], x[0, :HOURS], x[0, 2 * HOURS :]])
    ys = np.concatenate([y[0, :HOURS], y[0, :HOURS], y[0, 2 * HOURS :]])
    assert twice[0, 0] == pytest.approx(np.corrcoef(xs, ys)[0, 1], rel=1e-12)


def test_day_weights_are_seeded_blocks():
    a = day_weights(77, 50, seed=3, block_days=7)
    assert (a.sum(1) == 77).all()
    assert (a == day_weights(77, 50, seed=3, block_days=7)).all()
    assert not (a == day_weights(77, 50, seed=4, block_days=7)).all()
    with pytest.raises(InputError, match="bootstrap_block_days: expected 1..10 days, got 11"):
        day_weights(10, 5, seed=1, block_days=11)


def test_commune_replicates_share_the_draws_and_recover_the_estimate():
    """Two communes, two days each: a replicate's rho equals the correlation of the days
    it drew (computed by hand from the sums), every commune uses the same draws, and the
    frame has one row per commune, lag, correlation and replicate."""
    rng = np.random.default_rng(5)
    x, y = rng.standard_normal((2, 2, 2 * HOURS))
    rows = []
    for unit, code in enumerate(("01001", "01002")):
        sums = _day_sums(x[unit : unit + 1], y[unit : unit + 1], HOURS)[0]
        for d, day in enumerate(pd.to_datetime(["2019-03-16", "2019-03-17"])):
            n, sx, sy, sxx, syy, sxy = sums[d]
            rows.append(
                {
                    "lag_hours": 0,
                    "code_com": code,
                    "day": day,
                    "n_pairs": n,
                    "pearson_sum_x": sx,
                    "pearson_sum_y": sy,
                    "pearson_sum_xx": sxx,
                    "pearson_sum_yy": syy,
                    "pearson_sum_xy": sxy,
                }
            )
    frame = commune_correlation_replicates(pd.DataFrame(rows), ["pearson"], 20, seed=3)
    assert len(frame) == 2 * 20
    weights = day_weights(2, 20, 3)
    for unit, code in enumerate(("01001", "01002")):
        sums = _day_sums(x[unit : unit + 1], y[unit : unit + 1], HOURS)
        expected = replicate_correlations(sums, weights)[:, 0]
        got = frame[frame["code_com"] == code].sort_values("replicate")["rho"].to_numpy()
        assert got == pytest.approx(expected, rel=1e-12, nan_ok=True)


def test_correlation_from_sums_is_nan_without_variance():
    assert np.isnan(correlation_from_sums(3.0, 3.0, 1.0, 3.0, 1.0, 1.0))


@pytest.mark.parametrize(
    "n_days, replicates, block, message",
    [
        (1, 10, 1, "int_commune_day_sums: a bootstrap over days needs 2 days or more, got 1"),
        (10, 0, 1, "var bootstrap_replicates: expected a positive integer, got 0"),
        (10, 5, 0, "var bootstrap_block_days: expected 1..10 days, got 0"),
    ],
    ids=["one-day", "no-replicate", "zero-block"],
)
def test_day_weights_refuse_bad_settings(n_days, replicates, block, message):
    with pytest.raises(InputError, match=message):
        day_weights(n_days, replicates, seed=1, block_days=block)


def test_interval_note_only_where_the_interval_excludes_its_estimate():
    # hand-worked: inside, at an end (to 1e-9 relative), outside, no interval
    estimate = pd.Series([0.5, 1.0 + 1e-12, 2.0, 0.3])
    low = pd.Series([0.4, 0.2, 2.1, None], dtype=object)
    high = pd.Series([0.6, 1.0, 2.5, None], dtype=object)
    notes = interval_note(estimate, low, high, "why")
    assert notes.tolist() == [None, None, "why", None]


def test_interval_note_without_any_interval_is_empty():
    # the authors' published totals have no replicates: every end is None
    none = pd.Series([None, None], dtype=object)
    assert interval_note(pd.Series([0.1, 0.2]), none, none, "why").tolist() == [None, None]

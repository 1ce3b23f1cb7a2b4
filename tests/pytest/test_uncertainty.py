"""Intervals (method.md section 13): the bootstrap over days on a planted truth, and the
published test vectors of the Table 2 interval methods."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from analysis_py import uncertainty

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
    weights = uncertainty.day_weights(sums.shape[1], replicates, seed)
    rho = uncertainty.replicate_correlations(sums, weights)
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
    narrow (method.md section 13: about half the true spread)."""
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
    once = uncertainty.replicate_correlations(sums, np.ones((1, 5), dtype=int))
    assert once[0, 0] == pytest.approx(np.corrcoef(x[0], y[0])[0, 1], rel=1e-12)
    twice = uncertainty.replicate_correlations(sums, np.array([[2, 0, 1, 1, 1]]))
    xs = np.concatenate([x[0, :HOURS], x[0, :HOURS], x[0, 2 * HOURS :]])
    ys = np.concatenate([y[0, :HOURS], y[0, :HOURS], y[0, 2 * HOURS :]])
    assert twice[0, 0] == pytest.approx(np.corrcoef(xs, ys)[0, 1], rel=1e-12)


def test_day_weights_are_seeded_blocks():
    a = uncertainty.day_weights(77, 50, seed=3, block_days=7)
    assert (a.sum(1) == 77).all()
    assert (a == uncertainty.day_weights(77, 50, seed=3, block_days=7)).all()
    assert not (a == uncertainty.day_weights(77, 50, seed=4, block_days=7)).all()
    with pytest.raises(ValueError, match="block length"):
        uncertainty.day_weights(10, 5, seed=1, block_days=11)


def test_bonett_wright_test_vector():
    """R vcmeta::se.spear: SE of Spearman's r = 0.1210569 for r = .40, n = 55."""
    assert uncertainty.spearman_se_bonett_wright(0.40, 55) == pytest.approx(0.1210569, abs=5e-8)


def test_zou_interval_test_vector():
    """R cocor's tests (Zou 2007, overlapping correlations): r_jk .396, r_jh .179,
    r_kh .088, n 66 -> [-.093, .517]."""
    low, high = uncertainty.zou_difference_ci(0.396, 0.179, 0.088, 66)
    assert (round(low, 3), round(high, 3)) == (-0.093, 0.517)


# ---------------------------------------------------------------- the pipeline on the sample


def test_day_sums_reproduce_every_correlation(con):
    """int_commune_day_sums summed over the days gives back each commune's rho of
    int_commune_correlations for the three correlations (Pearson, Spearman, v1)."""
    pairs = {
        "pearson": "pearson",
        "spearman": "spearman",
        "v1_youtube_diff": "spearman_baseline_difference",
    }
    for method, name in pairs.items():
        frame = con.execute(
            f"""select c.rho, sum(s.n_pairs), sum(s.{name}_sum_x), sum(s.{name}_sum_y),
            sum(s.{name}_sum_xx), sum(s.{name}_sum_yy), sum(s.{name}_sum_xy)
            from intermediate.int_commune_day_sums as s
            inner join intermediate.int_commune_correlations as c
                on s.code_com = c.code_com and s.lag_hours = c.lag_hours
            where c.correction_method = ? group by c.code_com, c.lag_hours, c.rho""",
            [method],
        ).fetchnumpy()
        values = [frame[k] for k in list(frame)[1:]]
        rho = uncertainty.correlation_from_sums(*values)
        assert len(rho) > 100
        assert np.allclose(rho, frame["rho"], rtol=0, atol=1e-12), method


def test_intervals_equal_a_bootstrap_over_the_hours(con):
    """A second implementation: the replicate correlations recomputed from the hourly
    pairs themselves (each hour weighted by how often the replicate drew its day, the
    same seeded draws), for every commune of two cities and both lags; their 2.5 % and
    97.5 % percentiles equal the mart's rho and c intervals, c with the floor applied
    per replicate (pearson: c = 0.011 x 105/253 x rho)."""
    import yaml
    from conftest import ROOT

    project_vars = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]
    replicates, seed = project_vars["bootstrap_replicates"], project_vars["bootstrap_seed"]
    days = [
        d[0]
        for d in con.execute(
            "select distinct day from intermediate.int_commune_day_sums order by day"
        ).fetchall()
    ]
    weights = uncertainty.day_weights(
        len(days), replicates, seed, project_vars["bootstrap_block_days"]
    )
    day_index = {pd.Timestamp(d): i for i, d in enumerate(days)}
    hours = con.execute(
        """select p.lag_hours, p.code_com, cast(p.hour_start as date) as day,
        p.pearson_x, p.pearson_y from intermediate.int_commune_hour_pairs as p
        inner join marts.fct_commune_cpc as cpc on p.code_com = cpc.code_com
        where cpc.city in ('Nice', 'Dijon') order by p.lag_hours, p.code_com, p.hour_start"""
    ).df()
    marts = (
        con.execute(
            """select lag_hours, code_com, rho_ci_low, rho_ci_high, c_ci_low, c_ci_high
        from marts.fct_commune_correction_factors where correction_method = 'pearson'"""
        )
        .df()
        .set_index(["lag_hours", "code_com"])
    )
    factor = 0.011 * 105 / 253
    checked = 0
    for (lag, code), part in hours.groupby(["lag_hours", "code_com"]):
        w = weights[:, part["day"].map(day_index).to_numpy()]  # (replicates, hours)
        x, y = part["pearson_x"].to_numpy(), part["pearson_y"].to_numpy()
        mx = (w * x).sum(1, keepdims=True) / w.sum(1, keepdims=True)
        my = (w * y).sum(1, keepdims=True) / w.sum(1, keepdims=True)
        rho = (w * (x - mx) * (y - my)).sum(1) / np.sqrt(
            (w * (x - mx) ** 2).sum(1) * (w * (y - my) ** 2).sum(1)
        )
        c = np.where(factor * rho < 0, 1e-5, factor * rho)
        row = marts.loc[(lag, code)]
        assert np.quantile(rho, [0.025, 0.975]) == pytest.approx(
            [row["rho_ci_low"], row["rho_ci_high"]], abs=1e-10
        )
        assert np.quantile(c, [0.025, 0.975]) == pytest.approx(
            [row["c_ci_low"], row["c_ci_high"]], abs=1e-13
        )
        checked += 1
    assert checked >= 20


def test_interval_columns_follow_c(con):
    """cpc and cpc per 1000's bounds are c's times the commune's Tor (and / pop x 1000);
    every bound is positive; the point estimate sits inside its interval for
    nearly every commune (percentile intervals need not contain it)."""
    rows = con.execute(
        """select c, c_ci_low, c_ci_high, cpc_ci_low, cpc_per_1000_ci_high, tor_dl, pop,
        rho_ci_low, rho, rho_ci_high from marts.fct_commune_cpc"""
    ).df()
    assert rows["c_ci_low"].notna().all()
    assert np.allclose(rows["cpc_ci_low"], rows["c_ci_low"] * rows["tor_dl"], rtol=1e-12)
    ok = rows["pop"] > 0
    assert np.allclose(
        rows.loc[ok, "cpc_per_1000_ci_high"],
        rows.loc[ok, "c_ci_high"] * rows.loc[ok, "tor_dl"] * 1000 / rows.loc[ok, "pop"],
        rtol=1e-12,
    )
    # the notebook's floor replaces a negative c by 1e-5, so a replicate's c is never <= 0
    # (a small positive rho gives a c below the floor: the rule is not monotone there)
    assert (rows["c_ci_low"] > 0).all()
    inside = (rows["rho_ci_low"] <= rows["rho"]) & (rows["rho"] <= rows["rho_ci_high"])
    assert inside.mean() > 0.95


def test_headline_intervals_equal_the_replicate_means(con):
    """fct_headline_figures' interval of the unweighted mean c is the 2.5-97.5 %
    percentile range of the replicates' means of c (pandas over
    int_commune_factor_replicates), and the sensitivity mart carries the same figure."""
    reps = con.execute(
        """select replicate, avg(c) as mean_c from intermediate.int_commune_factor_replicates
        where correction_method = 'pearson' and lag_hours = 0 group by replicate"""
    ).df()
    low, high = np.quantile(reps["mean_c"], [0.025, 0.975])
    got = con.execute(
        "select ci_low, ci_high, figure_value from marts.fct_headline_figures "
        "where figure_name = 'mean_c_unweighted'"
    ).fetchall()[0]
    assert got[:2] == pytest.approx((low, high), rel=1e-12)
    assert low < got[2] < high
    sensitivity = con.execute(
        """select mean_c_ci_low, mean_c_ci_high from marts.fct_cpc_sensitivity
        where onion_share_bound = 'lower' and correction_method = 'pearson' and lag_hours = 0"""
    ).fetchall()[0]
    assert sensitivity == pytest.approx((low, high), rel=1e-12)


# ---------------------------------------------------------------- Table 2's intervals


def _spearman_of_normal(rho: float) -> float:
    """Population Spearman correlation of a bivariate normal (Pearson 1907):
    (6 / pi) arcsin(rho / 2)."""
    return 6 / np.pi * np.arcsin(rho / 2)


def test_spearman_intervals_cover_the_planted_correlation():
    """200 samples of 150 communes from a bivariate normal with Pearson 0.5: the
    Bonett-Wright and the commune-bootstrap 95 % intervals of Spearman's rho cover the
    population value (6/pi) arcsin(0.25) in 88-99 % of the samples."""
    from analysis_py.validation import commune_bootstrap_spearman

    rng = np.random.default_rng(55)
    truth = _spearman_of_normal(0.5)
    covered = {"bonett_wright": 0, "bootstrap": 0}
    for i in range(200):
        z = rng.multivariate_normal([0, 0], [[1, 0.5], [0.5, 1]], size=150)
        r = scipy_stats.spearmanr(z[:, 0], z[:, 1])[0]
        low, high = uncertainty.spearman_ci_bonett_wright(r, 150)
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
        low, high = uncertainty.zou_difference_ci(
            r_jh,
            r_kh,
            r_jk,
            200,
            ci_jk=uncertainty.spearman_ci_bonett_wright(r_jh, 200),
            ci_jh=uncertainty.spearman_ci_bonett_wright(r_kh, 200),
        )
        covered += low <= truth <= high
    assert 0.88 <= covered / 200 <= 0.99, covered


def test_partial_spearman_removes_a_planted_confounder():
    """Planted: x and y both driven by commune size z only; their Spearman correlation
    is large, the partial one on z near 0, and it equals the partial-correlation formula
    on the three Spearman coefficients (a second implementation)."""
    from analysis_py.validation import partial_spearman

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


# ---------------------------------------------------------------- regressions (method.md 13)


BH_1995_P_VALUES = [
    0.0001,
    0.0004,
    0.0019,
    0.0095,
    0.0201,
    0.0278,
    0.0298,
    0.0344,
    0.0459,
    0.3240,
    0.4262,
    0.5719,
    0.6528,
    0.7590,
    1.0000,
]


def test_benjamini_hochberg_test_vector():
    """Benjamini & Hochberg (1995), section 4: their 15 p-values give 4 rejections at
    q = 0.05 (the intercept row takes no adjusted p-value)."""
    from analysis_py.validation import adjust_p_values_bh

    tidy = pd.DataFrame(
        {
            "paper_table": "Table 3",
            "cov_type": "HC3",
            "term": ["(Intercept)", *[f"x{i}" for i in range(15)]],
            "p_value": [0.5, *BH_1995_P_VALUES],
        }
    )
    adjusted = adjust_p_values_bh(tidy)
    assert np.isnan(adjusted.iloc[0])
    assert int((adjusted.iloc[1:] <= 0.05).sum()) == 4


def test_benjamini_hochberg_controls_a_planted_false_discovery_rate():
    """Planted: 180 true nulls (uniform p) and 20 effects (p near 0) per table, 200
    tables: the mean share of false discoveries among the rejections stays below 0.05
    x 180 / 200 plus sampling slack, and the effects are found."""
    from analysis_py.validation import adjust_p_values_bh

    rng = np.random.default_rng(88)
    frames = []
    for t in range(200):
        p = np.concatenate([rng.uniform(size=180), rng.uniform(0, 1e-4, size=20)])
        frames.append(
            pd.DataFrame(
                {
                    "paper_table": f"T{t}",
                    "cov_type": "HC3",
                    "term": [f"x{i}" for i in range(200)],
                    "p_value": p,
                    "null": [True] * 180 + [False] * 20,
                }
            )
        )
    tidy = pd.concat(frames, ignore_index=True)
    tidy["rejected"] = adjust_p_values_bh(tidy) <= 0.05
    per_table = tidy.groupby("paper_table").apply(
        lambda g: (g["rejected"] & g["null"]).sum() / max(g["rejected"].sum(), 1),
        include_groups=False,
    )
    assert per_table.mean() < 0.045 + 0.01
    assert tidy.loc[~tidy["null"], "rejected"].mean() > 0.95


def test_regression_spread_over_the_replicates_of_c(con):
    """Table 3's cpc model refitted over the bootstrap replicates of c: statsmodels OLS
    on each replicate's log cpc per 1000 (ln(c_r x Tor x 1000 / pop)), same rows and
    terms, gives the percentile interval of fct_regressions' sexual-violence
    coefficient; the interval of the sexual-violence model's cpc coefficient too."""
    import statsmodels.api as sm

    features = con.execute("select * from marts.fct_commune_features order by code_com").df()
    reps = (
        con.execute(
            """select r.replicate, r.code_com, ln(r.c * cpc.tor_dl * 1000.0 / cpc.pop) as value
        from intermediate.int_commune_factor_replicates as r
        inner join marts.fct_commune_cpc as cpc on r.code_com = cpc.code_com
        where r.correction_method = 'pearson' and r.lag_hours = 0 and cpc.pop > 0"""
        )
        .df()
        .pivot(index="replicate", columns="code_com", values="value")
    )
    for model_id, dependent, term in (
        ("t3_log_cpc", "log_cpc_per_1000", "sexual_violence_per_1000"),
        ("t3_sexual_violence", "sexual_violence_per_1000", "log_cpc_per_1000"),
    ):
        part = con.execute(
            """select term, c_replicates_ci_low, c_replicates_ci_high from marts.fct_regressions
            where model_id = ? and cov_type = 'HC3' order by term_order""",
            [model_id],
        ).df()
        terms = [t for t in part["term"] if t != "(Intercept)"]
        data = features[[dependent, *terms, "code_com"]].dropna()
        estimates = []
        for _, values in reps.iterrows():
            frame = data.copy()
            frame["log_cpc_per_1000"] = values.reindex(frame["code_com"]).to_numpy()
            fit = sm.OLS(frame[dependent], sm.add_constant(frame[terms])).fit()
            estimates.append(fit.params[term])
        low, high = np.quantile(estimates, [0.025, 0.975])
        row = part.set_index("term").loc[term]
        assert (row["c_replicates_ci_low"], row["c_replicates_ci_high"]) == pytest.approx(
            (low, high), rel=1e-8
        ), model_id

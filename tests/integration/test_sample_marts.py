"""The default build on the sample (`make run`: target/cpc_tor.duckdb), read-only:
the marts against second implementations (pandas replays of the authors' notebook,
statsmodels refits, esda on independent weights, the reference keyword classifier, a
bootstrap over the hours) and against the truths the generator planted."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import BUILT_DB, ROOT, query, run_dbt
from scipy import stats as scipy_stats

from analysis_py.publication.export import export
from analysis_py.publication.publish import PUBLICATION_TABLE
from analysis_py.stats import keywords as K
from analysis_py.stats import spatial
from analysis_py.stats.bootstrap import correlation_from_sums, day_weights
from analysis_py.stats.regression import run_regressions

VARS = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]
LISTS = K.load_keyword_lists(ROOT / "seeds" / "keyword_lists.csv")


# ---------------------------------------------------------------- the query filter


def test_sql_normalisation_in_the_pipeline_equals_reference(con):
    rows = con.execute(
        """select raw.query_raw, q.query from staging.stg_queries__query_log as raw
           join intermediate.int_queries_normalised as q using (record_number)"""
    ).fetchall()
    assert len(rows) == 20_000
    assert [K.normalise(raw) for raw, _ in rows] == [q for _, q in rows]


def test_mart_codes_equal_reference_on_every_distinct_query(con):
    rows = con.execute("select query, rule_code from marts.fct_query_classifications").fetchall()
    assert len(rows) > 5_000
    assert all(K.classify(q, LISTS) == code for q, code in rows)


def test_counts_and_clients(con):
    total, empty = con.execute(
        "select count(*), count(*) filter (where is_empty) from intermediate.int_queries_normalised"
    ).fetchone()
    occurrences = con.execute(
        "select sum(n_occurrences) from marts.fct_query_classifications"
    ).fetchone()[0]
    assert occurrences == total - empty  # empty queries dropped, everything else counted once
    assert empty > 0


def test_report_rates_in_the_mart(con):
    rows = dict(
        con.execute(
            "select rate, estimate from marts.fct_filter_error_rates where source = 'report'"
        ).fetchall()
    )
    assert round(100 * rows["f_prime_plus"], 2) == 1.13
    assert round(100 * rows["f_minus"], 1) == 24.9


def test_samples_follow_their_definitions(con):
    rows = con.execute(
        "select sample_set, count(*), min(set_size) from marts.fct_assessment_sample group by 1"
    ).fetchall()
    assert {r[0] for r in rows} == {"F-", "F+>1", "N(F+)"}
    assert all(n == min(1000, size) for _, n, size in rows)
    multi = con.execute(
        """select count(*) from marts.fct_assessment_sample where sample_set = 'F+>1'
           and (rule_code is null or position(' ' in query) = 0)"""
    ).fetchone()[0]
    negatives = con.execute(
        "select count(*) from marts.fct_assessment_sample where sample_set = 'F-' and is_flagged"
    ).fetchone()[0]
    assert multi == 0 and negatives == 0


def test_experts_below_threshold_are_left_out(con):
    rows = con.execute("select n_answers, is_kept from marts.fct_expert_reliability").fetchall()
    assert all(kept == (n >= 300) for n, kept in rows)
    assert sum(1 for _, kept in rows if kept) == 20 and len(rows) == 24


# ---------------------------------------------------------------- the notebook, replayed in pandas

SERVICES = ["Web_Adult", "Tor", "YouTube"]


def _times(day: dt.date) -> list[str]:
    times = [f"{h:02d}:{m:02d}" for h in range(24) for m in (0, 15, 30, 45)]
    if day.isoformat() == "2019-03-31":
        times = [t for t in times if not t.startswith("02:")]
    return times


@pytest.fixture(scope="module")
def notebook(sample_dir) -> tuple[pd.DataFrame, pd.DataFrame]:
    manifest = json.loads((sample_dir / "_truth" / "manifest.json").read_text())
    days = [dt.date.fromisoformat(d) for d in manifest["dates"]]
    tiles = pd.read_csv(sample_dir / "_truth" / "tiles.csv", dtype={"code_com": str})
    frames = []
    for city in manifest["options"]["cities"]:
        map_city = tiles[tiles["city"] == city][["tile_id", "code_com"]]
        df_0 = None
        for app in SERVICES:
            df_1 = []
            for day in days:  # the notebook's per-file read, batched per city and service
                stamp = day.strftime("%Y%m%d")
                path = sample_dir / "netmob" / city / app / stamp / f"{city}_{app}_{stamp}_DL.txt"
                df_2 = pd.read_csv(path, sep=" ", names=["tile_id", *_times(day)])
                df_2["date"] = stamp
                df_1.append(df_2)
            times = _times(days[0] if days[0].isoformat() != "2019-03-31" else days[1])
            df_1 = (
                pd.concat(df_1)
                .merge(map_city, on="tile_id", how="left")
                .groupby(["code_com", "date"])[times]
                .sum(min_count=1)
                .reset_index()
            )
            melted = pd.melt(
                df_1, id_vars=["code_com", "date"], var_name="time", value_name=app
            ).dropna(subset=[app])
            df_0 = (
                melted
                if df_0 is None
                else df_0.merge(melted, on=["code_com", "date", "time"], how="left")
            )
        df_0["cities"] = city
        frames.append(df_0)
    df = pd.concat(frames)
    df["hour"] = df["time"].str.split(":").str[0].astype(int)
    df = df.drop_duplicates(subset=["code_com", "date", "time"])
    df = df[~((df["Web_Adult"] == 0) & ((df["date"] == "20190512") | (df["date"] == "20190331")))]
    totals = df.groupby("code_com")[SERVICES].sum()
    df_hour = (
        df.drop(columns=["time"])
        .groupby(["date", "hour", "code_com"])[SERVICES]
        .sum()
        .reset_index()
    )
    for app in SERVICES:
        df_hour.loc[df_hour[app] == 0, app] = 0.001
        df_hour[f"{app}_log"] = np.log(df_hour[app])
    rho = df_hour.groupby("code_com").apply(
        lambda x: x["Web_Adult_log"].corr(x["Tor_log"], method="pearson"), include_groups=False
    )
    return totals, rho.rename("rho").to_frame()


@pytest.fixture(scope="module")
def pipeline(con) -> pd.DataFrame:
    return (
        con.execute(
            """select code_com, rho, tor_dl, web_adult_dl, youtube_dl
           from marts.fct_commune_cpc order by code_com"""
        )
        .df()
        .set_index("code_com")
    )


def test_rho_equals_notebook_computation(notebook, pipeline):
    _, rho = notebook
    joined = pipeline.join(rho.rename(columns={"rho": "rho_notebook"}), how="outer")
    assert len(joined) == len(pipeline) == len(rho)
    assert np.allclose(joined["rho"], joined["rho_notebook"], rtol=0, atol=1e-9)


def test_commune_totals_equal_notebook_computation(notebook, pipeline):
    totals, _ = notebook
    joined = pipeline.join(totals)
    for ours, theirs in (
        ("tor_dl", "Tor"),
        ("web_adult_dl", "Web_Adult"),
        ("youtube_dl", "YouTube"),
    ):
        assert np.allclose(joined[ours], joined[theirs], rtol=1e-9, atol=0)


def test_rho_close_to_planted_truth(sample_dir, pipeline):
    truth = pd.read_csv(sample_dir / "_truth" / "communes.csv", dtype={"code_com": str})
    joined = pipeline.join(truth.set_index("code_com"))
    # the planted correlation is exact before the files round values to 3 decimals
    assert np.abs(joined["rho"] - joined["planted_rho"]).max() < 1e-3
    assert joined["planted_rho"].min() < 0  # the floor path is exercised


# ---------------------------------------------------------------- spatial statistics


def _independent_knn(frame: pd.DataFrame, k: int):
    """KNN weights built here with scipy's KD-tree, within each metro area, row
    standardised: a second implementation of analysis_py.stats.spatial.knn_weights."""
    from libpysal.weights import W
    from scipy.spatial import cKDTree

    neighbors = {}
    for _, part in frame.groupby("city"):
        xy = part[["x", "y"]].to_numpy()
        _, idx = cKDTree(xy).query(xy, k=min(k, len(part) - 1) + 1)
        codes = part["code_com"].to_numpy()
        for i, code in enumerate(codes):
            neighbors[code] = [codes[j] for j in idx[i] if j != i]
    order = frame["code_com"].tolist()
    # one component per metro area, as intended: silence libpysal's warning about it
    w = W({c: neighbors[c] for c in order}, id_order=order, silence_warnings=True)
    w.transform = "r"
    return w


@pytest.fixture(scope="module")
def sample_frame(con):
    return con.execute(
        """select c.code_com, c.city, c.x_l93 as x, c.y_l93 as y, f.log_cpc_per_1000,
        f.sexual_violence_per_1000
        from intermediate.int_commune_centroids as c
        inner join marts.fct_commune_features as f on c.code_com = f.code_com
        order by c.code_com"""
    ).df()


def test_pooled_moran_equals_esda_on_independent_weights(con, sample_frame):
    """The mart's pooled Moran's I of log cpc per 1000 and of the sexual-violence rate
    equal esda's on KD-tree weights built here (same seed: same permutation p)."""
    k, perms, seed = VARS["spatial_knn"], VARS["spatial_permutations"], VARS["spatial_seed"]
    for variable in ("log_cpc_per_1000", "sexual_violence_per_1000"):
        frame = sample_frame.dropna(subset=[variable]).reset_index(drop=True)
        m = spatial.moran(frame[variable], _independent_knn(frame, k), perms, seed)
        got = con.execute(
            """select moran_i, z, p_value, n from marts.fct_spatial_autocorrelation
            where variable = ? and scope = 'pooled'""",
            [variable],
        ).fetchall()[0]
        assert got[0] == pytest.approx(m.I, abs=1e-12)
        assert got[1] == pytest.approx(m.z_rand, abs=1e-9)
        assert got[2] == pytest.approx(m.p_sim) and got[3] == len(frame)


def test_planted_spatial_component_is_found(con, sample_dir):
    """The generator plants a smooth bump in the sexual-violence rate of each metro area
    (_truth/communes.csv sv_spatial_component; cluster: component >= 0.5): the pooled
    Moran's I of the published rates is positive and significant at 1 %, as is that of
    the sexual-violence model's residuals; the log cpc per 1000, with nothing planted,
    is not significant at 1 %; and at least 80 % of the communes LISA flags as
    significant HH lie in the planted cluster (on the default sample: all 7), against
    its share of about 30 % of the communes."""
    moran = dict(
        (r[0], r[1:])
        for r in con.execute(
            """select variable, moran_i, p_value from marts.fct_spatial_autocorrelation
            where scope = 'pooled'"""
        ).fetchall()
    )
    i, p = moran["sexual_violence_per_1000"]
    assert i > 0 and p <= 0.01
    i, p = moran["residuals_t3_sexual_violence"]
    assert i > 0 and p <= 0.01
    assert moran["log_cpc_per_1000"][1] > 0.01
    truth = pd.read_csv(sample_dir / "_truth" / "communes.csv", dtype={"code_com": str})
    manifest = json.loads((sample_dir / "_truth" / "manifest.json").read_text())["planted"]
    cluster = set(
        truth.loc[truth["sv_spatial_component"] >= manifest["sv_spatial_cluster_min"], "code_com"]
    )
    hh = {
        r[0]
        for r in con.execute(
            """select code_com from marts.fct_commune_lisa
            where variable = 'sexual_violence_per_1000' and quadrant = 'HH' and is_significant"""
        ).fetchall()
    }
    assert len(hh) >= 3
    assert len(hh & cluster) / len(hh) >= 0.8
    assert len(cluster) / len(truth) < 0.5


def test_weights_have_no_island_and_one_component_per_area(con):
    rows = con.execute(
        """select scope, n_islands, n_components, mean_neighbours
        from marts.fct_spatial_weights_summary"""
    ).fetchall()
    by_scope = {r[0]: r[1:] for r in rows}
    areas = [s for s in by_scope if s != "pooled"]
    assert len(areas) == 20
    assert all(by_scope[a][:2] == (0, 1) for a in areas)
    assert by_scope["pooled"][:2] == (0, 20)
    assert by_scope["pooled"][2] == VARS["spatial_knn"]


def test_spatial_regressions_and_count_models_on_the_sample(con):
    """Both Table 3 directions with a lag and an error model (rho / lambda in (-1, 1),
    the LM diagnostics given); the negative binomial converges; the withheld communes
    are left out, not counted as 0."""
    spatial_rows = con.execute(
        """select model_id, spatial_model, count(*), any_value(spatial_parameter),
        any_value(lm_error_p) from marts.fct_spatial_regressions group by 1, 2"""
    ).fetchall()
    assert {(r[0], r[1]) for r in spatial_rows} == {
        (m, s)
        for m in ("t3_log_cpc", "t3_sexual_violence")
        for s in ("spatial_lag", "spatial_error")
    }
    assert all(-1 < r[3] < 1 and 0 <= r[4] <= 1 for r in spatial_rows)
    counts = con.execute(
        """select family, bool_and(converged), any_value(n), any_value(n_excluded_withheld)
        from marts.fct_count_models group by family"""
    ).fetchall()
    assert {r[0]: r[1] for r in counts} == {"poisson": True, "negative_binomial": True}
    withheld = con.execute(
        """select count(*) filter (where n_withheld_years > 0), count(*) filter (where
        n_withheld_years = 0 and facts = 0) from intermediate.int_ssmsi_counts_by_commune"""
    ).fetchall()[0]
    assert counts[0][3] > 0 and withheld[0] > 0


# ---------------------------------------------------------------- intervals


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
        rho = correlation_from_sums(*values)
        assert len(rho) > 100
        assert np.allclose(rho, frame["rho"], rtol=0, atol=1e-12), method


def test_intervals_equal_ewc_and_the_bootstrap_over_the_hours(con):
    """Second implementations from the hourly pairs themselves, for every commune of two
    cities and both lags: (1) the EWC interval (docs/method.md section 13) with the day's
    influence sums computed from the hours (numpy), equal to the mart's rho interval,
    and c's interval the factor at its ends (pearson: c = 0.011 x 105/253 x rho, 0 at
    rho = 0 when the interval straddles it, the floor below); (2) the bootstrap
    replicates (each hour weighted by how often the seeded draws took its day), whose
    2.5 % and 97.5 % percentiles equal those of int_commune_factor_draws' replicates."""
    from scipy import stats as st

    project_vars = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]
    replicates, seed = project_vars["bootstrap_replicates"], project_vars["bootstrap_seed"]
    level = project_vars["bootstrap_level"]
    days = [
        d[0]
        for d in con.execute(
            "select distinct day from intermediate.int_commune_day_sums order by day"
        ).fetchall()
    ]
    weights = day_weights(len(days), replicates, seed, project_vars["bootstrap_block_days"])
    day_index = {pd.Timestamp(d): i for i, d in enumerate(days)}
    hours = con.execute(
        """select p.lag_hours, p.code_com, cast(p.hour_start as date) as day,
        p.pearson_x, p.pearson_y from intermediate.int_commune_hour_pairs as p
        inner join marts.fct_commune_cpc as cpc on p.code_com = cpc.code_com
        where cpc.city in ('Nice', 'Dijon') order by p.lag_hours, p.code_com, p.hour_start"""
    ).df()
    marts = (
        con.execute(
            """select lag_hours, code_com, rho, rho_ci_low, rho_ci_high, c_ci_low, c_ci_high
        from marts.fct_commune_correction_factors where correction_method = 'pearson'"""
        )
        .df()
        .set_index(["lag_hours", "code_com"])
    )
    replicate_rho = (
        con.execute(
            """select lag_hours, code_com, quantile_cont(rho, 0.025) as low,
            quantile_cont(rho, 0.975) as high from intermediate.int_commune_factor_draws
            where correction_method = 'pearson' and replicate > 0 group by all"""
        )
        .df()
        .set_index(["lag_hours", "code_com"])
    )
    factor = 0.011 * 105 / 253
    checked = 0
    for (lag, code), part in hours.groupby(["lag_hours", "code_com"]):
        x, y = part["pearson_x"].to_numpy(), part["pearson_y"].to_numpy()
        # (1) EWC from the hours: centred on the series' means, summed per day
        xc, yc = x - x.mean(), y - y.mean()
        sxx, syy = (xc * xc).sum(), (yc * yc).sum()
        r = (xc * yc).sum() / np.sqrt(sxx * syy)
        by_day = pd.DataFrame(
            {"d": part["day"].to_numpy(), "xy": xc * yc, "xx": xc * xc, "yy": yc * yc}
        )
        sums = by_day.groupby("d", sort=True).sum()
        n, n_days = len(x), len(sums)
        psi = n * (sums["xy"] / np.sqrt(sxx * syy) - r / 2 * (sums["xx"] / sxx + sums["yy"] / syy))
        b = int(np.ceil(0.4 * n_days ** (2 / 3)))
        j, d = np.arange(1, b + 1)[:, None], np.arange(1, n_days + 1)[None, :]
        basis = np.sqrt(2 / n_days) * np.cos(np.pi * j * (d - 0.5) / n_days)
        omega = ((basis @ psi.to_numpy()) ** 2).mean()
        half = st.t.ppf((1 + level) / 2, b) * np.sqrt(n_days * omega) / (n * (1 - r * r))
        low, high = np.tanh(np.arctanh(r) - half), np.tanh(np.arctanh(r) + half)
        row = marts.loc[(lag, code)]
        assert [row["rho_ci_low"], row["rho_ci_high"]] == pytest.approx([low, high], abs=1e-10)
        ends = [low, high] + ([0.0] if low < 0 < high else [])
        c = [1e-5 if factor * e < 0 else factor * e for e in ends]
        assert [row["c_ci_low"], row["c_ci_high"]] == pytest.approx([min(c), max(c)], abs=1e-13)
        # (2) the bootstrap replicates from the hours
        w = weights[:, part["day"].map(day_index).to_numpy()]  # (replicates, hours)
        mx = (w * x).sum(1, keepdims=True) / w.sum(1, keepdims=True)
        my = (w * y).sum(1, keepdims=True) / w.sum(1, keepdims=True)
        rho = (w * (x - mx) * (y - my)).sum(1) / np.sqrt(
            (w * (x - mx) ** 2).sum(1) * (w * (y - my) ** 2).sum(1)
        )
        expected = replicate_rho.loc[(lag, code)]
        assert np.quantile(rho, [0.025, 0.975]) == pytest.approx(
            [expected["low"], expected["high"]], abs=1e-10
        )
        checked += 1
    assert checked >= 20


def test_interval_columns_follow_c(con):
    """cpc and cpc per 1000's bounds are c's times the commune's Tor (and / pop x 1000);
    c's lower bound is 0 exactly where rho's interval straddles 0 (c at rho = 0), else
    positive; every interval contains its estimate (EWC, the default)."""
    rows = con.execute(
        """select c, c_ci_low, c_ci_high, cpc_ci_low, cpc_per_1000_ci_high, tor_dl, pop,
        rho_ci_low, rho, rho_ci_high, ci_method from marts.fct_commune_cpc"""
    ).df()
    assert rows["c_ci_low"].notna().all()
    assert set(rows["ci_method"]) == {"ewc"}
    assert np.allclose(rows["cpc_ci_low"], rows["c_ci_low"] * rows["tor_dl"], rtol=1e-12)
    ok = rows["pop"] > 0
    assert np.allclose(
        rows.loc[ok, "cpc_per_1000_ci_high"],
        rows.loc[ok, "c_ci_high"] * rows.loc[ok, "tor_dl"] * 1000 / rows.loc[ok, "pop"],
        rtol=1e-12,
    )
    straddles = (rows["rho_ci_low"] < 0) & (rows["rho_ci_high"] > 0)
    assert (rows.loc[straddles, "c_ci_low"] == 0).all()
    assert (rows.loc[~straddles, "c_ci_low"] > 0).all()
    inside = (rows["rho_ci_low"] <= rows["rho"] + 1e-12) & (
        rows["rho"] <= rows["rho_ci_high"] + 1e-12
    )
    assert inside.all()
    assert ((rows["c_ci_low"] <= rows["c"]) & (rows["c"] <= rows["c_ci_high"])).all()


def test_headline_intervals_equal_the_replicate_means(con):
    """fct_headline_figures' interval of the unweighted mean c is the 2.5-97.5 %
    percentile range of the replicates' means of c (pandas over
    int_commune_factor_draws), and the sensitivity mart carries the same figure."""
    reps = con.execute(
        """select replicate, avg(c) as mean_c from intermediate.int_commune_factor_draws
        where correction_method = 'pearson' and lag_hours = 0 and replicate > 0
        group by replicate"""
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
        from intermediate.int_commune_factor_draws as r
        inner join marts.fct_commune_cpc as cpc on r.code_com = cpc.code_com
        where r.correction_method = 'pearson' and r.lag_hours = 0 and r.replicate > 0
        and cpc.pop > 0"""
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


# ---------------------------------------------------------------- statistics


def _term(con, model: str, term: str) -> tuple[float, float, int, int]:
    rows = con.execute(
        """select estimate, std_error, n, count(*) over () from marts.fct_regressions
           where model_id = ? and term = ? and cov_type = 'HC3'""",
        [model, term],
    ).fetchall()
    assert len(rows) == 1, (model, term)
    return rows[0]


def test_planted_coefficient_recovered_within_its_interval(con, sample_dir):
    planted = json.loads((sample_dir / "_truth" / "manifest.json").read_text())["planted"]
    estimate, se, n, _ = _term(con, "t3_sexual_violence", "log_cpc_per_1000")
    df = n - (
        len(
            con.execute(
                "select distinct term from marts.fct_regressions "
                "where model_id = 't3_sexual_violence' and cov_type = 'HC3'"
            ).fetchall()
        )
    )
    half = scipy_stats.t.ppf(0.975, df) * se
    assert estimate - half <= planted["sv_beta_log_cpc_per_1000"] <= estimate + half
    # the planted effect of the singles share (a share, 0-1) too
    estimate, se, _, _ = _term(con, "t3_sexual_violence", "share_singles")
    half = scipy_stats.t.ppf(0.975, df) * se
    assert estimate - half <= planted["sv_gamma_singles_share"] <= estimate + half


def test_every_model_estimated_with_hc3_and_by_department(con):
    """Each model twice: HC3 (var regression_cov_type) and cluster-robust by department
    (var regression_extra_cov_types), with the same estimates and n."""
    rows = con.execute(
        "select distinct model_id, status, cov_type from marts.fct_regressions order by 1"
    ).fetchall()
    assert len(rows) == 16
    assert {r[1] for r in rows} == {"estimated"}
    assert {r[2] for r in rows} == {"HC3", "cluster"}
    differ = con.execute(
        """select count(*) filter (where a.estimate <> b.estimate or a.n <> b.n),
        count(*) filter (where a.std_error <> b.std_error), count(*)
        from marts.fct_regressions as a inner join marts.fct_regressions as b
        on a.model_id = b.model_id and a.term = b.term
        where a.cov_type = 'HC3' and b.cov_type = 'cluster'"""
    ).fetchall()[0]
    assert differ[0] == 0 and differ[1] == differ[2] > 100


def test_fallback_levels_are_recorded(con, sample_dir):
    levels = dict(
        con.execute(
            "select election_level, count(*) from marts.fct_commune_features group by 1"
        ).fetchall()
    )
    # arrondissements take their parent's result; the commune created after 2017
    # (two older codes in the file) falls back to its intercommunality
    assert levels.get("parent_commune", 0) > 0
    assert levels.get("epci", 0) >= 1
    renamed = json.loads((sample_dir / "_truth" / "manifest.json").read_text())["planted"][
        "renamed_commune_after_2017"
    ]
    assert con.execute(
        "select election_level from marts.fct_commune_features where code_com = ?", [renamed]
    ).fetchall() == [("epci",)]
    singles = dict(
        con.execute(
            "select singles_level, count(*) from marts.fct_commune_features group by 1"
        ).fetchall()
    )
    assert singles.get("commune", 0) > 0 and singles.get("epci", 0) > 0


def test_trends_pca_keeps_eleven_terms(con):
    status = dict(
        con.execute(
            "select note, count(*) from marts.fct_trends_pca where record_type = 'term_status' "
            "group by 1"
        ).fetchall()
    )
    assert status == {"used": 11, "dropped_no_data": 7}
    ratios = [
        r[0]
        for r in con.execute(
            "select value from marts.fct_trends_pca where record_type = 'explained_variance' "
            "order by component"
        ).fetchall()
    ]
    assert len(ratios) == 3 and ratios == sorted(ratios, reverse=True) and sum(ratios) < 1


def test_regressions_are_computed_in_commune_order(con):
    """fct_regressions equals, to the last bit, run_regressions on the features in
    commune order (a table scan's order would move the estimates by about 1e-8)."""
    features = con.execute("select * from marts.fct_commune_features order by code_com").df()
    models = con.execute("select * from reference.regression_models").df()
    config = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]
    poi = [c for c in config["regression_controls"] if c.startswith("poi_")]
    expected = run_regressions(
        features,
        models,
        config["regression_controls"],
        config["regression_cov_type"],
        rescale=poi,  # var poi_scaling regression_sample, the default
    )
    got = con.execute("select * from marts.fct_regressions where cov_type = 'HC3'").df()
    keys = ["model_id", "term"]
    expected = expected.sort_values(keys).reset_index(drop=True)
    got = got.sort_values(keys).reset_index(drop=True)
    for column in ("estimate", "std_error", "statistic", "p_value", "r2"):
        assert got[column].equals(expected[column].astype(got[column].dtype)), column


def test_regressions_equal_statsmodels_refitted_on_the_features(con):
    """Every estimated model of fct_regressions equals statsmodels OLS (HC3, t on the
    residual df), refitted here from fct_commune_features with the model's terms and
    sample rule (the POI z-scores over the model's rows, var poi_scaling
    regression_sample), independently of analysis_py."""
    import statsmodels.api as sm

    features = con.execute("select * from marts.fct_commune_features order by code_com").df()
    tidy = con.execute(
        "select * from marts.fct_regressions where status = 'estimated' and cov_type = 'HC3'"
    ).df()
    rules = {
        "all": features.index == features.index,
        "sexual_violence_positive": features["sexual_violence_per_1000"] > 0,
        "drug_use_available": features["drug_use_per_1000"].notna(),
    }
    checked = 0
    for model_id, part in tidy.groupby("model_id"):
        part = part.sort_values("term_order")
        terms = [t for t in part["term"] if t != "(Intercept)"]
        dependent = part["dependent"].iloc[0]
        data = features[rules[part["sample_rule"].iloc[0]]][[dependent, *terms]].dropna()
        # var poi_scaling regression_sample: the POI z-scores rescaled over the model's rows
        poi = [t for t in terms if t.startswith("poi_")]
        data[poi] = (data[poi] - data[poi].mean()) / data[poi].std(ddof=1)
        fit = sm.OLS(data[dependent], sm.add_constant(data[terms])).fit(cov_type="HC3", use_t=True)
        assert int(part["n"].iloc[0]) == len(data), model_id
        assert np.allclose(part["estimate"], fit.params.to_numpy(), rtol=1e-9, atol=1e-12)
        assert np.allclose(part["std_error"], fit.bse.to_numpy(), rtol=1e-9, atol=1e-12)
        assert np.allclose(part["p_value"], fit.pvalues.to_numpy(), rtol=1e-7, atol=1e-12)
        assert part["r2"].iloc[0] == pytest.approx(fit.rsquared, rel=1e-10)
        checked += 1
    assert checked == 8


def test_regression_sample_without_fallbacks(tmp_path, con):
    """var regression_fallbacks = false: every model's n is the number of complete rows
    of its sample whose values all sit at the method's level (docs/method.md section 9:
    density and singles commune, poverty intercommunality, unemployment department,
    election commune), counted here from the level columns; every row states the rule.
    The default keeps the fallbacks and is larger."""
    import shutil

    shutil.copy(BUILT_DB, tmp_path / "cpc_tor.duckdb")
    run_dbt(["run", "--select", "fct_regressions"], tmp_path, {"regression_fallbacks": False})
    features = con.execute("select * from marts.fct_commune_features order by code_com").df()
    native = (
        (features["density_level"] == "commune")
        & (features["singles_level"] == "commune")
        & (features["poverty_level"] == "epci")
        & (features["unemployment_level"] == "department")
        & (features["election_level"] == "commune")
    )
    rules = {
        "all": features.index == features.index,
        "sexual_violence_positive": features["sexual_violence_per_1000"] > 0,
        "drug_use_available": features["drug_use_per_1000"].notna(),
    }
    default = dict(
        con.execute(
            "select distinct model_id, n from marts.fct_regressions where cov_type = 'HC3'"
        ).fetchall()
    )
    rows = query(
        tmp_path,
        """select model_id, any_value(sample_rule), any_value(n), any_value(dependent),
        list(term order by term_order), count(distinct fallback_rule),
        any_value(fallback_rule) from marts.fct_regressions where cov_type = 'HC3'
        group by model_id""",
    )
    assert len(rows) == 8
    for model_id, rule, n, dependent, terms, n_rules, fallback_rule in rows:
        terms = [t for t in terms if t != "(Intercept)"]
        complete = features[[dependent, *terms]].notna().all(axis=1)
        assert n == int((complete & native & rules[rule]).sum()), model_id
        assert (n_rules, fallback_rule) == (1, "commune_level_values_only")
        assert 0 < n < default[model_id]
    assert {
        r[0] for r in con.execute("select fallback_rule from marts.fct_regressions").fetchall()
    } == {"fallbacks_kept"}


def test_table1_mart_equals_pandas_describe(con):
    """fct_correction_factor_summary equals pandas' describe() of fct_commune_cpc's rho
    and c (a second implementation: linear quartiles, sample standard deviation)."""
    cpc = con.execute("select rho, c from marts.fct_commune_cpc").df()
    summary = con.execute(
        "select * from marts.fct_correction_factor_summary order by variable_order"
    ).df()
    assert list(summary["variable_name"]) == ["rho", "c"]
    for row in summary.itertuples():
        d = cpc[row.variable_name].dropna().describe()
        assert row.n_communes == d["count"]
        assert row.n_censored == 0  # NetMob mode: every rho is known, negative ones too
        for ours, theirs in (
            (row.mean, d["mean"]),
            (row.std, d["std"]),
            (row.min, d["min"]),
            (row.q25, d["25%"]),
            (row.median, d["50%"]),
            (row.q75, d["75%"]),
            (row.max, d["max"]),
        ):
            assert ours == pytest.approx(theirs, rel=1e-12)


def test_headline_figures_equal_pandas(con):
    cpc = con.execute(
        "select code_com, rho, c, tor_dl, cpc_per_1000 from marts.fct_commune_cpc"
    ).df()
    got = dict(
        con.execute("select figure_name, figure_value from marts.fct_headline_figures").fetchall()
    )
    assert got["mean_c_unweighted"] == pytest.approx(cpc["c"].mean(), rel=1e-12)
    share = (cpc["c"] * cpc["tor_dl"]).sum() / cpc["tor_dl"].sum()
    assert got["traffic_weighted_share"] == pytest.approx(share, rel=1e-12)
    assert got["mean_rho_before_floor"] == pytest.approx(cpc["rho"].mean(), rel=1e-12)
    assert got["n_floored_communes"] == (cpc["c"] == 1e-5).sum() >= 1  # the planted negative
    assert got["max_cpc_per_1000"] == pytest.approx(cpc["cpc_per_1000"].max(), rel=1e-12)
    top = con.execute(
        "select code_com from marts.fct_headline_figures where figure_name = 'max_cpc_per_1000'"
    ).fetchall()
    assert top == [(cpc.loc[cpc["cpc_per_1000"].idxmax(), "code_com"],)]


def test_table2_lagged_row_equals_scipy(con):
    features = (
        con.execute(
            "select log_cpc_per_1000_lag2, sexual_violence_per_1000 from marts.fct_commune_features"
        )
        .df()
        .dropna()
    )
    rho, n, status = con.execute(
        """select spearman_rho, n, status from marts.fct_validation_correlations
        where indicator = 'log_cpc_per_1000_lag2'"""
    ).fetchall()[0]
    expected = scipy_stats.spearmanr(
        features["log_cpc_per_1000_lag2"], features["sexual_violence_per_1000"]
    )
    assert status == "estimated" and n == len(features)
    assert rho == pytest.approx(expected.statistic, rel=1e-12)


def test_rates_are_fractions(con):
    lo, hi = con.execute(
        """select least(min(poverty_rate), min(unemployment_rate)),
        greatest(max(poverty_rate), max(unemployment_rate)) from marts.fct_commune_features"""
    ).fetchall()[0]
    assert 0 <= lo and hi <= 1 and hi > 0.01


def test_wide_regression_table_is_the_one_reshape(con):
    """fct_regression_table (long) is the wide mart's cells; every estimated model's
    estimate appears, formatted, in its column of the wide mart."""
    wide = con.execute("select * from marts.fct_regression_table_wide").df()
    long = con.execute("select * from marts.fct_regression_table").df()
    assert len(long) == wide[[c for c in wide if c.endswith("_label")]].notna().sum().sum()
    tidy = con.execute(
        """select r.paper_table, r.column_label, v.paper_label, r.estimate, r.stars
        from marts.fct_regressions as r
        inner join reference.regression_variables as v on r.term = v.column_name
        where r.status = 'estimated' and r.cov_type = 'HC3'"""
    ).df()
    for row in tidy.itertuples():
        part = wide[wide["paper_table"] == row.paper_table]
        k = next(k for k in (1, 2) if (part[f"model_{k}_label"] == row.column_label).all())
        cell = part.loc[part["term"] == row.paper_label, f"model_{k}"].iloc[0]
        assert cell.startswith(f"{row.estimate:.2f}"[:4]) or abs(row.estimate) < 0.01, cell
        assert (row.stars or "") + " (" in cell


def test_regression_tables_render(tmp_path):
    md, html = export(BUILT_DB, tmp_path)
    text = md.read_text()
    assert "### Table 3" in text and "### Table 7" in text
    assert "Observations" in text and "Adjusted R²" in text
    assert "Heteroscedasticity-robust SE (HC3)" in text
    assert "\\*\\*\\*" in text  # stars survive Markdown
    page = html.read_text()
    assert page.count("<table") == 4 and "<caption>Table 5" in page


def test_table3_poi_coefficients_are_lm_on_the_sample_scaled_after_deletion(con):
    """var poi_scaling regression_sample (the default, the authors' 9_regression.R):
    Table 3's coefficients equal least squares on fct_commune_features' rows complete
    on the model's variables, the six POI columns z-scored over those rows (sd with
    n - 1, R's scale() after drop_na); numpy's lstsq, a second implementation. With the
    study-wide z-scores the POI coefficients would differ."""
    controls = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]["regression_controls"]
    features = con.execute("select * from marts.fct_commune_features order by code_com").df()
    poi = [c for c in controls if c.startswith("poi_")]
    assert len(poi) == 6
    for model_id, dependent, extra in (
        ("t3_log_cpc", "log_cpc_per_1000", "sexual_violence_per_1000"),
        ("t3_sexual_violence", "sexual_violence_per_1000", "log_cpc_per_1000"),
    ):
        terms = [*controls, extra]
        data = features[[dependent, *terms]].dropna()
        scaled = data.copy()
        scaled[poi] = (data[poi] - data[poi].mean()) / data[poi].std(ddof=1)
        design = np.column_stack([np.ones(len(data)), scaled[terms].to_numpy(dtype=float)])
        beta = np.linalg.lstsq(design, data[dependent].to_numpy(dtype=float), rcond=None)[0]
        rows = con.execute(
            """select term, estimate, n, poi_scaling from marts.fct_regressions
            where model_id = ? and cov_type = 'HC3' order by term_order""",
            [model_id],
        ).fetchall()
        assert {r[3] for r in rows} == {"regression_sample"}
        assert rows[0][2] == len(data)
        got = dict((r[0], r[1]) for r in rows)
        for term, value in zip(terms, beta[1:], strict=True):
            assert got[term] == pytest.approx(value, rel=1e-9, abs=1e-12), (model_id, term)
        unscaled = np.column_stack([np.ones(len(data)), data[terms].to_numpy(dtype=float)])
        beta_all = np.linalg.lstsq(unscaled, data[dependent].to_numpy(dtype=float), rcond=None)[0]
        assert not np.allclose(beta_all[1 : 1 + len(controls)], beta[1 : 1 + len(controls)])


def _interval_pairs(columns: list[str]) -> list[tuple[str, str]]:
    """Every (low, high) column pair of a mart: <x>_low / <x>_high."""
    return [
        (c, c[: -len("_low")] + "_high")
        for c in columns
        if c.endswith("_low") and c[: -len("_low")] + "_high" in columns
    ]


def test_every_published_interval_contains_its_estimate_or_says_why(con, built_manifest):
    """Over every interval column of every published mart (publication.json of make
    run's publication): a dbt test interval_contains_estimate guards the pair, and no
    row of the sample's marts has an estimate outside its interval without its note."""
    published = json.loads((ROOT / "publish" / "current" / "publication.json").read_text())
    guards = {}
    for node in built_manifest["nodes"].values():
        meta = node.get("test_metadata") or {}
        if meta.get("name") == "interval_contains_estimate":
            model = node["attached_node"].split(".")[-1]
            kwargs = meta["kwargs"]
            guards[(model, kwargs["low"], kwargs["high"])] = kwargs
    checked = 0
    for mart in sorted(set(published["tables"]) - {PUBLICATION_TABLE}):  # the marts
        columns = [r[0] for r in con.execute(f"describe marts.{mart}").fetchall()]
        for low, high in _interval_pairs(columns):
            kwargs = guards.get((mart, low, high))
            assert kwargs, f"{mart}.{low}/{high}: no interval_contains_estimate test"
            estimate, note = kwargs["estimate"], kwargs.get("note")
            outside = con.execute(
                f"""select count(*) from marts.{mart}
                where {low} is not null and {high} is not null and {estimate} is not null
                and not ({low} - 1e-9 * greatest(abs({estimate}), abs({low}), abs({high}))
                         <= {estimate}
                     and {estimate}
                         <= {high} + 1e-9 * greatest(abs({estimate}), abs({low}), abs({high})))
                {f"and {note} is null" if note else ""}"""
            ).fetchone()[0]
            assert outside == 0, (mart, low, high)
            checked += 1
    assert checked >= 20, checked

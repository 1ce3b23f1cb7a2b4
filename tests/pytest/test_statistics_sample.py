"""The statistics marts on the generated sample: planted truth and table rendering."""

from __future__ import annotations

import json

import numpy as np
import pytest
import yaml
from analysis_py.export import export
from analysis_py.validation import run_regressions
from conftest import BUILT_DB, ROOT
from scipy import stats as scipy_stats


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
    expected = run_regressions(
        features, models, config["regression_controls"], config["regression_cov_type"]
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
    sample rule, independently of analysis_py."""
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
    of its sample whose values all sit at the method's level (method.md section 9:
    density and singles commune, poverty intercommunality, unemployment department,
    election commune), counted here from the level columns; every row states the rule.
    The default keeps the fallbacks and is larger."""
    import shutil

    from conftest import query, run_dbt

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

"""analysis_py.stats.regression: robust and cluster-robust OLS against second
implementations (the sandwich by hand, statsmodels by groups), Benjamini-Hochberg against
its paper's published example and a planted false-discovery rate, and the tidy rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats as scipy_stats

from analysis_py.stats.regression import (
    adjust_p_values_bh,
    label_terms,
    model_terms,
    ols_robust,
    run_regressions,
    stars,
)


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
    ours = ols_robust(y.to_numpy(), x, cov_type)
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
    ours = ols_robust(y.to_numpy(), x, "cluster", groups=np.array([f"d{g}" for g in groups]))
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
        ols_robust(y.to_numpy(), x, "cluster")


def test_hc3_by_hand_on_a_tiny_design():
    # y = [1, 2, 4], x = [0, 1, 2]: slope 1.5, intercept 0.8333; residuals
    # [1/6, -1/3, 1/6], leverages [5/6, 1/3, 5/6]
    x = pd.DataFrame({"x": [0.0, 1.0, 2.0]})
    fit = ols_robust(np.array([1.0, 2.0, 4.0]), x, "HC3")
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
        ols_robust(np.array([1.0, 2.0, 3.0, 5.0]), x)


@pytest.mark.parametrize("p, expected", [(0.001, "***"), (0.03, "**"), (0.07, "*"), (0.2, "")])
def test_stars(p, expected):
    assert stars(p) == expected


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


def _planted_features(seed: int, n: int = 400) -> pd.DataFrame:
    """Communes with two controls and a planted linear outcome y = 1 + 2 a - 0.5 b + e."""
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=(2, n))
    return pd.DataFrame(
        {
            "code_com": [f"{i:05d}" for i in range(n)],
            "a": a,
            "b": b,
            "y": 1 + 2 * a - 0.5 * b + rng.normal(0, 0.5, size=n),
            "dep": [f"{i % 8:02d}" for i in range(n)],
            "n_fallback_values": 0,
        }
    )


MODELS = pd.DataFrame(
    {
        "model_id": ["m1"],
        "paper_table": ["Table 3"],
        "column_label": ["y"],
        "dependent": ["y"],
        "extra_terms": [""],
        "sample_rule": ["all"],
        "position": [1],
    }
)


def test_run_regressions_recovers_a_planted_model():
    """Planted coefficients (1, 2, -0.5) lie within 3 robust standard errors; the rows
    are tidy: one per term, in order, with n, R^2 and the covariance type."""
    tidy = run_regressions(_planted_features(1), MODELS, ["a", "b"], "HC3")
    assert list(tidy["term"]) == ["(Intercept)", "a", "b"]
    assert list(tidy["term_order"]) == [0, 1, 2]
    for truth, row in zip((1.0, 2.0, -0.5), tidy.itertuples(), strict=True):
        assert abs(row.estimate - truth) < 3 * row.std_error
    assert set(tidy["n"]) == {400} and set(tidy["status"]) == {"estimated"}
    assert set(tidy["cov_type"]) == {"HC3"}


def test_run_regressions_equals_statsmodels():
    """A second implementation: statsmodels OLS with HC1 on the same rows."""
    features = _planted_features(2)
    tidy = run_regressions(features, MODELS, ["a", "b"], "HC1")
    fit = sm.OLS(features["y"], sm.add_constant(features[["a", "b"]])).fit(cov_type="HC1")
    assert tidy["estimate"].to_numpy() == pytest.approx(fit.params.to_numpy(), rel=1e-10)
    assert tidy["std_error"].to_numpy() == pytest.approx(fit.bse.to_numpy(), rel=1e-10)


def test_too_few_rows_is_not_estimable_with_its_reason():
    features = _planted_features(3, n=5)
    tidy = run_regressions(features, MODELS, ["a", "b"], "HC3")
    assert len(tidy) == 1
    assert tidy["status"].iloc[0] == "not_estimable: 5 rows for 3 parameters"


def test_a_model_needing_an_unavailable_variable_is_not_estimable():
    tidy = run_regressions(_planted_features(4), MODELS, ["a", "b"], "HC3", available={"y", "a"})
    assert tidy["status"].iloc[0].startswith("not_estimable: b not given by the inputs")


def test_cluster_covariance_needs_its_column():
    with pytest.raises(KeyError, match="unknown cluster column"):
        run_regressions(_planted_features(5), MODELS, ["a", "b"], "cluster", cluster_column="nope")


def test_unknown_feature_column_is_named():
    with pytest.raises(KeyError, match=r"model m1: unknown feature columns \['c'\]"):
        model_terms(next(MODELS.itertuples(index=False)), ["a", "c"], _planted_features(6))


def test_label_terms_adds_order_labels_and_titles():
    tidy = run_regressions(_planted_features(7), MODELS, ["a", "b"], "HC3")
    variables = pd.DataFrame({"column_name": ["a", "b"], "paper_label": ["A label", "B label"]})
    tables = pd.DataFrame({"paper_table": ["Table 3"], "title": ["Table 3. Title"]})
    labelled = label_terms(tidy, MODELS, variables, tables)
    assert list(labelled["term_label"]) == ["Constant", "A label", "B label"]
    assert set(labelled["model_order"]) == {1}
    assert set(labelled["table_title"]) == {"Table 3. Title"}
    with pytest.raises(KeyError, match="no title"):
        label_terms(tidy, MODELS, variables, tables.iloc[0:0])

"""analysis_py.stats.pca (scikit-learn) against an eigen-decomposition by numpy and
scikit-learn 1.4.2's printed output (the authors' sign rule), and the Trends table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis_py.errors import InputError
from analysis_py.stats.pca import pca
from analysis_py.stats.trends import trends_pca_table


def test_pca_equals_eigen_decomposition():
    rng = np.random.default_rng(3)
    latent = rng.normal(size=(21, 2))
    frame = pd.DataFrame(
        latent @ rng.normal(size=(2, 6)) + 0.3 * rng.normal(size=(21, 6)),
        columns=[f"t{i}" for i in range(6)],
    )
    result = pca(frame, 3, sign_rule="loadings")
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
    result = pca(frame, 2, sign_rule="loadings")
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
    result = pca(frame, 2)  # default: the authors' rule
    assert np.allclose(result.scores.to_numpy(), SKLEARN_SCORES, atol=1e-11)
    assert np.allclose(result.loadings.to_numpy().T, SKLEARN_COMPONENTS, atol=1e-11)
    flipped = pca(frame, 2, sign_rule="loadings")
    assert np.allclose(flipped.scores["PC1"], -result.scores["PC1"])
    assert np.allclose(flipped.scores["PC2"], result.scores["PC2"])
    with pytest.raises(ValueError, match="sign_rule"):
        pca(frame, 2, sign_rule="largest")


def test_pca_refuses_constant_columns():
    with pytest.raises(ValueError, match="constant"):
        pca(pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, 1.0, 1.0]}), 1)


def _interest() -> pd.DataFrame:
    rng = np.random.default_rng(9)
    regions = [f"FR-{c}" for c in "ABCDEFG"]
    rows = []
    for term, scale in (("t1", 1.0), ("t2", 2.0), ("t3", 0.5), ("zeros", 0.0)):
        for region in regions:
            rows.append((region, term, float(scale * rng.integers(1, 100))))
    return pd.DataFrame(rows, columns=["region_code", "search_term", "interest"])


def test_trends_table_lists_used_dropped_and_missing_terms():
    departments = pd.DataFrame(
        {"code_dep": ["01", "02", "2A"], "trends_region_code": ["FR-A", "FR-B", "FR-H"]}
    )
    table = trends_pca_table(_interest(), ["t1", "t2", "t3", "zeros", "absent"], departments, 2)
    status = table[table["record_type"] == "term_status"].set_index("item")["note"]
    assert status.to_dict() == {
        "absent": "missing_from_exports",
        "t1": "used",
        "t2": "used",
        "t3": "used",
        "zeros": "dropped_no_data",
    }
    # a department takes its region's score; a region without scores (FR-H) gives none
    scores = table[table["record_type"] == "department_score"]
    assert set(scores["item"]) == {"01", "02"}
    region = table[(table["record_type"] == "region_score") & (table["item"] == "FR-A")]
    dep = scores[scores["item"] == "01"]
    assert (
        dep.sort_values("component")["value"].tolist()
        == region.sort_values("component")["value"].tolist()
    )
    ratios = table[table["record_type"] == "explained_variance"]["value"]
    assert (ratios > 0).all() and ratios.sum() <= 1 + 1e-12


def test_trends_table_refuses_a_missing_value():
    interest = _interest()
    interest.loc[0, "interest"] = np.nan
    with pytest.raises(InputError, match=r"int_trends_interest_by_region, region x term .* x t1"):
        trends_pca_table(
            interest,
            ["t1", "t2", "t3"],
            pd.DataFrame(columns=["code_dep", "trends_region_code"]),
            2,
        )

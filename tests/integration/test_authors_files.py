"""Fidelity to the authors' own files (../shared/real/netmob_tor, docs/method.md section 7).

With var trends_authors_matrix_path pointing at their region x term matrix
(intial_anaysis_gtrends.csv), fct_trends_pca's department scores equal their
gtrends_dep.csv's PC1-PC3, signs included (the default sign rule is theirs:
scikit-learn's svd_flip on the scores).
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import query, real_file, run_dbt


@pytest.fixture(scope="module")
def authors_pca(tmp_path_factory):
    work = tmp_path_factory.mktemp("authors_pca")
    matrix = real_file("netmob_tor", "intial_anaysis_gtrends.csv")
    run_dbt(
        ["build", "--select", "+fct_trends_pca"],
        work,
        {"trends_authors_matrix_path": str(matrix)},
    )
    return work


def test_department_scores_equal_the_authors(authors_pca):
    theirs = pd.read_csv(real_file("netmob_tor", "gtrends_dep.csv"), sep=";")
    theirs["code_dep"] = theirs["code_dep"].astype(str).str.zfill(2)
    ours = pd.DataFrame(
        query(
            authors_pca,
            """select item as code_dep, component, value from marts.fct_trends_pca
            where record_type = 'department_score'""",
        ),
        columns=["code_dep", "component", "value"],
    ).pivot(index="code_dep", columns="component", values="value")
    ours.columns = [f"{c}_ours" for c in ours.columns]
    joined = theirs.set_index("code_dep")[["PC1", "PC2", "PC3"]].join(ours)
    assert len(joined) == len(theirs) == 30
    for pc in ("PC1", "PC2", "PC3"):
        assert (joined[pc] - joined[f"{pc}_ours"]).abs().max() < 1e-8, pc


def test_authors_mode_uses_their_14_terms_over_22_regions(authors_pca):
    used = query(
        authors_pca,
        "select count(*) from marts.fct_trends_pca where record_type = 'term_status' "
        "and note = 'used'",
    )
    regions = query(
        authors_pca,
        "select count(distinct item) from marts.fct_trends_pca where record_type = 'region_score'",
    )
    assert used == [(14,)] and regions == [(22,)]

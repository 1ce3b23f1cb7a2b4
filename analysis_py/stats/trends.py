"""Google Trends PCA (docs/method.md section 7): terms x regions -> components -> departments.

The paper extracts 18 search terms' relative interest for the 21 pre-2016 regions
(Corsica excluded) pooled 2017-2021, discards the terms with no data, standardises each
term (z-score) and runs a PCA with 3 components (scikit-learn StandardScaler + PCA),
keeping PC1 and PC3; the regions' scores are mapped to their departments.
"""

from __future__ import annotations

import pandas as pd

from analysis_py.errors import InputError
from analysis_py.stats.pca import pca

RECORD_TYPES = ("term_status", "loading", "explained_variance", "region_score", "department_score")


def trends_pca_table(
    interest: pd.DataFrame,
    seed_terms: list[str],
    departments: pd.DataFrame,
    n_components: int,
    sign_rule: str = "scores",
) -> pd.DataFrame:
    """Tidy PCA output: one row per record_type x component x item (signs by
    ``sign_rule``, :func:`analysis_py.stats.pca.pca`).

    ``interest``: long (region_code, search_term, interest); ``departments``:
    (code_dep, trends_region_code). Terms are used when they have a non-zero value in
    some region; the others are listed with status ``dropped_no_data`` or, when no
    export has them, ``missing_from_exports``.
    """
    wide = interest.pivot_table(
        index="region_code", columns="search_term", values="interest", aggfunc="first"
    ).sort_index()
    wide = wide.reindex(columns=sorted(wide.columns))
    status = {}
    for term in seed_terms:
        if term not in wide.columns:
            status[term] = "missing_from_exports"
        elif (wide[term].fillna(0) == 0).all():
            status[term] = "dropped_no_data"
        else:
            status[term] = "used"
    used = [t for t in sorted(wide.columns) if status.get(t) == "used"]
    if wide[used].isna().any().any():
        missing = wide[used].isna().stack()
        pairs = ", ".join(f"{region} x {term}" for region, term in missing[missing].index)
        raise InputError(
            "int_trends_interest_by_region",
            f"region x term {pairs}",
            "no interest value; expected every region of the exports for every term used",
        )
    result = pca(wide[used], n_components, sign_rule)
    rows = [
        {"record_type": "term_status", "component": None, "item": t, "value": None, "note": s}
        for t, s in sorted(status.items())
    ]
    for comp in result.loadings.columns:
        for term, value in result.loadings[comp].items():
            rows.append(
                {
                    "record_type": "loading",
                    "component": comp,
                    "item": term,
                    "value": float(value),
                    "note": None,
                }
            )
    for comp, ratio, var in zip(
        result.loadings.columns,
        result.explained_variance_ratio,
        result.explained_variance,
        strict=True,
    ):
        rows.append(
            {
                "record_type": "explained_variance",
                "component": comp,
                "item": "ratio",
                "value": float(ratio),
                "note": f"variance {var:.6g}",
            }
        )
    for comp in result.scores.columns:
        for region, value in result.scores[comp].items():
            rows.append(
                {
                    "record_type": "region_score",
                    "component": comp,
                    "item": region,
                    "value": float(value),
                    "note": None,
                }
            )
    mapped = departments.dropna(subset=["trends_region_code"])
    mapped = mapped[mapped["trends_region_code"].isin(result.scores.index)]
    for comp in result.scores.columns:
        for dep, region in zip(mapped["code_dep"], mapped["trends_region_code"], strict=True):
            rows.append(
                {
                    "record_type": "department_score",
                    "component": comp,
                    "item": dep,
                    "value": float(result.scores.loc[region, comp]),
                    "note": region,
                }
            )
    out = pd.DataFrame(rows, columns=["record_type", "component", "item", "value", "note"])
    return out.sort_values(["record_type", "component", "item"], na_position="first").reset_index(
        drop=True
    )

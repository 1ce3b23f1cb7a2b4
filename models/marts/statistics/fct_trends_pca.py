"""Google Trends PCA (method.md section 7): a thin adapter to analysis_py.trends.

One row per record_type x component x item: term_status (used, dropped_no_data,
missing_from_exports), loading, explained_variance, region_score, department_score.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    n_components = int(dbt.config.get("n_components"))

    from analysis_py.trends import trends_pca_table

    interest = dbt.ref("int_trends_interest_by_region").order("region_code, search_term").df()
    terms = dbt.ref("trends_terms").df()
    departments = dbt.ref("ref_departments").df()
    return trends_pca_table(
        interest,
        terms["search_term"].tolist(),
        departments[["code_dep", "trends_region_code"]],
        n_components,
    )

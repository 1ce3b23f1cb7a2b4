"""Google Trends PCA (docs/method.md section 7): a thin adapter to analysis_py.stats.trends.

One row per record_type x component x item: term_status (used, dropped_no_data,
missing_from_exports), loading, explained_variance, region_score, department_score.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from analysis_py.errors import model_errors

    # a failure names this model and the relations it read (analysis_py.errors)
    with model_errors(dbt):
        n_components = int(dbt.config.get("n_components"))
        sign_rule = dbt.config.get("sign_rule")
        authors_matrix = str(dbt.config.get("authors_matrix")).lower() == "true"

        from analysis_py.stats.trends import trends_pca_table

        interest = dbt.ref("int_trends_interest_by_region").order("region_code, search_term").df()
        # the paper's 18 terms, or the authors' 14 with their matrix (var
        # trends_authors_matrix_path)
        paper_terms = dbt.ref("trends_terms").df()
        authors_terms = dbt.ref("trends_authors_terms").df()
        terms = authors_terms if authors_matrix else paper_terms
        departments = dbt.ref("ref_departments").df()
        result = trends_pca_table(
            interest,
            terms["search_term"].tolist(),
            departments[["code_dep", "trends_region_code"]],
            n_components,
            sign_rule,
        )
    return result

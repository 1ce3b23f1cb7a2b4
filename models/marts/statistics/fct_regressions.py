"""Tables 3, 5, 6, 7 (method.md section 9): OLS with heteroscedasticity-robust SE, one
row per model x term. Models from the seed regression_models, controls and covariance
type from the model's config (vars regression_controls, regression_cov_type,
regression_cluster_column)."""


def model(dbt, session):
    dbt.config(materialized="table")
    cov_type = dbt.config.get("cov_type")
    controls = dbt.config.get("controls")
    cluster_column = dbt.config.get("cluster_column")

    from analysis_py.validation import run_regressions

    # in commune order: a table scan has no guaranteed order, and float results
    # (e.g. OLS on a nearly collinear design) move in the last digits with row order
    features = dbt.ref("fct_commune_features").order("code_com").df()
    models = dbt.ref("regression_models").df()
    return run_regressions(
        features, models, list(controls), cov_type, cluster_column=cluster_column or None
    )

"""Tables 3, 5, 6, 7 (method.md section 9): OLS with heteroscedasticity-robust SE, one
row per model x term. Models from the seed regression_models, controls and covariance
type from the model's config (vars regression_controls, regression_cov_type)."""


def model(dbt, session):
    dbt.config(materialized="table")
    cov_type = dbt.config.get("cov_type")
    controls = dbt.config.get("controls")

    from analysis_py.validation import run_regressions

    features = dbt.ref("fct_commune_features").df()
    models = dbt.ref("regression_models").df()
    return run_regressions(features, models, list(controls), cov_type)

"""Tables 3, 5, 6, 7 (method.md section 9): OLS with heteroscedasticity-robust SE, one
row per model x term. Models from the seed regression_models, controls, covariance type
and the fallback rule from the model's config (vars regression_controls,
regression_cov_type, regression_cluster_column, regression_fallbacks). With the authors'
published totals (traffic_source published) the controls are those their files give
(seed regression_variables, column published_source): the reduced Tables 3 and 6 of
method.md section 12."""


def model(dbt, session):
    dbt.config(materialized="table")
    cov_type = dbt.config.get("cov_type")
    controls = list(dbt.config.get("controls"))
    cluster_column = dbt.config.get("cluster_column")
    fallbacks = dbt.config.get("fallbacks")
    traffic_source = dbt.config.get("traffic_source")

    from analysis_py.validation import published_controls, published_variables, run_regressions

    # in commune order: a table scan has no guaranteed order, and float results
    # (e.g. OLS on a nearly collinear design) move in the last digits with row order
    features = dbt.ref("fct_commune_features").order("code_com").df()
    models = dbt.ref("regression_models").df()
    control_set, available = "paper", None
    if traffic_source == "published":
        # only what the authors' files give: a model needing anything else (the drug-use
        # rate of Table 5, the lagged cpc of Table 7) is listed as not estimable
        variables = dbt.ref("regression_variables").df()
        controls = published_controls(controls, variables)
        control_set, available = "published_reduced", published_variables(variables)
    return run_regressions(
        features,
        models,
        controls,
        cov_type,
        cluster_column=cluster_column or None,
        fallbacks=fallbacks,
        control_set=control_set,
        available=available,
    )

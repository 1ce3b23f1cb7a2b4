"""Table 2 (method.md section 8): Spearman's rho of the sexual-violence rate with each
log per-1000 indicator, over communes with a published commune rate. Thin adapter."""


def model(dbt, session):
    dbt.config(materialized="table")
    outcome = dbt.config.get("outcome")

    from analysis_py.validation import validation_correlations

    # in commune order: a table scan has no guaranteed order, and float results
    # (e.g. OLS on a nearly collinear design) move in the last digits with row order
    features = dbt.ref("fct_commune_features").order("code_com").df()
    variables = dbt.ref("regression_variables").df()
    labels = dict(zip(variables["column_name"], variables["paper_label"], strict=True))
    table = validation_correlations(features, outcome)
    table.insert(1, "paper_label", table["indicator"].map(labels))
    return table

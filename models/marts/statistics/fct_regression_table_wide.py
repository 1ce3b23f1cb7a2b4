"""The paper-style regression tables side by side (Tables 3, 5, 6, 7): one row per
paper table and line, one pair of columns per model. The one reshape of
fct_regressions; the report, the Markdown/HTML export and fct_regression_table read
it. Thin adapter over analysis_py.validation.regression_table_wide."""


def model(dbt, session):
    dbt.config(materialized="table")
    from analysis_py.validation import regression_table_wide

    # models in the seed's order (a table scan has no guaranteed order)
    models = dbt.ref("regression_models").df()
    position = dict(zip(models["model_id"], models["position"], strict=True))
    # the rows of the tables' covariance type (var regression_cov_type)
    cov_type = dbt.config.get("cov_type")
    tidy = dbt.ref("fct_regressions").filter(f"cov_type = '{cov_type}'").df()
    tidy = tidy.assign(_position=tidy["model_id"].map(position))
    tidy = tidy.sort_values(["_position", "term_order"]).drop(columns="_position")
    variables = dbt.ref("regression_variables").df()
    tables = dbt.ref("regression_tables").df()
    labels = dict(zip(variables["column_name"], variables["paper_label"], strict=True))
    titles = dict(zip(tables["paper_table"], tables["title"], strict=True))
    wide = regression_table_wide(tidy, labels, titles)
    wide["cov_type"] = cov_type
    return wide

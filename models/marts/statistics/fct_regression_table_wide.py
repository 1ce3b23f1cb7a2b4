"""The paper-style regression tables side by side (Tables 3, 5, 6, 7): one row per
paper table and line, one pair of columns per model, for the covariance type of var
regression_cov_type. Derived from fct_regressions by the one function that makes the
side-by-side tables (analysis_py.report.tables.side_by_side), which the report and the
Markdown/HTML export use too; fct_regression_table unpivots it for BI. Thin adapter."""


def model(dbt, session):
    dbt.config(materialized="table")
    from analysis_py.errors import model_errors

    # a failure names this model and the relations it read (analysis_py.errors)
    with model_errors(dbt):
        cov_type = dbt.config.get("cov_type")

        from analysis_py.report.tables import side_by_side, wide_frame

        tidy = dbt.ref("fct_regressions").filter(f"cov_type = '{cov_type}'").df()
        wide = wide_frame(side_by_side(tidy))
        wide["cov_type"] = cov_type
        result = wide
    return result

"""Does cpc correlate more strongly with sexual violence than the other indicators?
(docs/method.md section 8). The notebook's ad-hoc t (labelled as such), Williams' t,
Steiger's Z and Meng-Rosenthal-Rubin's Z with p-values, and Zou's interval for the
difference of the two correlations (docs/method.md section 13). Thin adapter."""


def model(dbt, session):
    dbt.config(materialized="table")
    from analysis_py.errors import model_errors

    # a failure names this model and the relations it read (analysis_py.errors)
    with model_errors(dbt):
        outcome = dbt.config.get("outcome")

        from analysis_py.stats.validation import correlation_comparisons

        # in commune order: a table scan has no guaranteed order, and float results
        # (e.g. OLS on a nearly collinear design) move in the last digits with row order
        features = dbt.ref("fct_commune_features").order("code_com").df()
        level = float(dbt.config.get("level"))
        result = correlation_comparisons(features, outcome, level=level)
    return result

"""Does cpc correlate more strongly with sexual violence than the other indicators?
(method.md section 8). The notebook's ad-hoc t (labelled as such), Williams' t,
Steiger's Z and Meng-Rosenthal-Rubin's Z with p-values. Thin adapter."""


def model(dbt, session):
    dbt.config(materialized="table")
    outcome = dbt.config.get("outcome")

    from analysis_py.validation import correlation_comparisons

    features = dbt.ref("fct_commune_features").df()
    return correlation_comparisons(features, outcome)

"""One row per count model (Poisson, negative binomial) and term: the commune's
recorded sexual-violence facts over the years of var ssmsi_years with offset
log(population-years), on the controls of Table 3 and log cpc per 1000 (docs/method.md
section 15; statsmodels). Sample: the communes whose value is published every year;
a commune with any year withheld under the disclosure rule is excluded, never counted
as 0 (its count is only known to be below the threshold)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from analysis_py.errors import model_errors

    # a failure names this model and the relations it read (analysis_py.errors)
    with model_errors(dbt):
        controls = list(dbt.config.get("controls"))
        poi_scaling = dbt.config.get("poi_scaling")

        import pandas as pd

        from analysis_py.stats.counts import count_models
        from analysis_py.stats.regression import rescaled_columns, scale_within

        features = dbt.ref("fct_commune_features").order("code_com").df()
        counts = dbt.ref("int_ssmsi_counts_by_commune").order("code_com").df()
        frame = features.merge(counts, on="code_com", how="inner")
        complete = frame["n_withheld_years"] == 0
        terms = [*controls, "log_cpc_per_1000"]
        data = frame[complete & (frame["population_years"] > 0)].dropna(subset=[*terms, "facts"])
        data = data.rename(columns={"population_years": "exposure"}).reset_index(drop=True)
        # the POI z-scores over the model's own rows (var poi_scaling)
        rescale = rescaled_columns(dbt.ref("regression_variables").df(), poi_scaling)
        data = scale_within(data, [t for t in terms if t in rescale])
        n_parameters = len(terms) + 2
        if len(data) < 2 * n_parameters:
            tidy = pd.DataFrame(
                [
                    {
                        "model_id": f"sv_count_{family}",
                        "family": family,
                        "n": len(data),
                        "converged": False,
                        "status": f"not_estimable: {len(data)} rows for {n_parameters} parameters",
                    }
                    for family in ("poisson", "negative_binomial")
                ]
            )
        else:
            tidy = pd.DataFrame(count_models(data, terms, "sv_count"))
            tidy["status"] = "estimated"
        tidy["n_excluded_withheld"] = int((~complete).sum())
        tidy["sample_rule"] = "every_year_published"
        columns = ["model_id", "family", "term", "term_order", "estimate", "std_error", "z"]
        columns += ["p_value", "n", "log_likelihood", "aic", "converged"]
        columns += ["n_excluded_withheld", "sample_rule", "status"]
        text = ["model_id", "family", "term", "sample_rule", "status"]
        numbers = ["estimate", "std_error", "z", "p_value", "log_likelihood", "aic"]
        # typed even when no model is estimable (an all-NULL column reads as DOUBLE)
        types = {c: "string" for c in text} | {c: "float64" for c in numbers}
        result = tidy.reindex(columns=columns).astype(types | {"converged": "bool"})
    return result

"""One row per count model (Poisson, negative binomial) and term: the commune's
recorded sexual-violence facts over the years of var ssmsi_years with offset
log(population-years), on the controls of Table 3 and log cpc per 1000 (method.md
section 15; statsmodels). Sample: the communes whose value is published every year;
a commune with any year withheld under the disclosure rule is excluded, never counted
as 0 (its count is only known to be below the threshold)."""


def model(dbt, session):
    dbt.config(materialized="table")
    controls = list(dbt.config.get("controls"))

    import pandas as pd

    from analysis_py.spatial import count_models

    features = dbt.ref("fct_commune_features").order("code_com").df()
    counts = dbt.ref("int_ssmsi_counts_by_commune").order("code_com").df()
    frame = features.merge(counts, on="code_com", how="inner")
    complete = frame["n_withheld_years"] == 0
    terms = [*controls, "log_cpc_per_1000"]
    data = frame[complete & (frame["population_years"] > 0)].dropna(subset=[*terms, "facts"])
    data = data.rename(columns={"population_years": "exposure"}).reset_index(drop=True)
    tidy = pd.DataFrame(count_models(data, terms, "sv_count"))
    tidy["n_excluded_withheld"] = int((~complete).sum())
    tidy["sample_rule"] = "every_year_published"
    return tidy

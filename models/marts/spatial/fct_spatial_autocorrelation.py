"""One row per variable and scope (pooled, then each metro area): global Moran's I
(esda) with seeded permutations of log cpc per 1000, log Tor per 1000, the
sexual-violence rate and the OLS residuals of every model of the seed regression_models
(docs/method.md section 15), on k-nearest-neighbour weights within each metro area over the
communes that have the value."""


def model(dbt, session):
    dbt.config(materialized="table")
    from analysis_py.errors import model_errors

    # a failure names this model and the relations it read (analysis_py.errors)
    with model_errors(dbt):
        knn = int(dbt.config.get("knn"))
        permutations = int(dbt.config.get("permutations"))
        seed = int(dbt.config.get("seed"))
        controls = list(dbt.config.get("controls"))
        fallbacks = dbt.config.get("fallbacks")

        import pandas as pd
        import statsmodels.api as sm

        from analysis_py.stats.regression import model_frame, model_terms
        from analysis_py.stats.spatial import moran_rows

        centroids = dbt.ref("int_commune_centroids").order("code_com").df()
        features = dbt.ref("fct_commune_features").order("code_com").df()
        models = dbt.ref("regression_models").order("position").df()
        frame = centroids.rename(columns={"x_l93": "x", "y_l93": "y"}).merge(
            features.drop(columns=["city"]), on="code_com", how="inner"
        )
        variables = ["log_cpc_per_1000", "log_tor_per_1000", "sexual_violence_per_1000"]
        for spec in models.itertuples(index=False):
            terms = model_terms(spec, controls, frame)
            data = model_frame(frame, spec, terms, fallbacks)
            if len(data) <= 2 * (len(terms) + 1):
                continue  # fct_regressions lists it as not estimable
            fit = sm.OLS(data[spec.dependent], sm.add_constant(data[terms])).fit()
            frame[f"residuals_{spec.model_id}"] = fit.resid.reindex(frame.index)
            variables.append(f"residuals_{spec.model_id}")
        rows = []
        for variable in variables:
            rows.extend(moran_rows(frame, variable, knn, permutations, seed))
        result = pd.DataFrame(rows)
    return result

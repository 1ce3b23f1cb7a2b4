"""One row per Table 3 model, spatial model (spatial_lag, spatial_error) and term:
spreg ML_Lag and ML_Error of the Table 3 specifications, both directions, on the
pooled k-nearest-neighbour weights of the model's communes (docs/method.md section 15),
with rho or lambda, the log-likelihood and AIC, and the LM diagnostics (LM-lag,
LM-error and their robust forms) of the OLS fit on the same rows and weights. A model
with too few rows (fewer than 2 per parameter) or a failed fit is listed with its
reason."""


def model(dbt, session):
    dbt.config(materialized="table")
    from analysis_py.errors import model_errors

    # a failure names this model and the relations it read (analysis_py.errors)
    with model_errors(dbt):
        knn = int(dbt.config.get("knn"))
        controls = list(dbt.config.get("controls"))
        fallbacks = dbt.config.get("fallbacks")
        paper_table = dbt.config.get("paper_table")
        poi_scaling = dbt.config.get("poi_scaling")

        import numpy as np
        import pandas as pd

        from analysis_py.stats.regression import model_frame, model_terms, rescaled_columns
        from analysis_py.stats.spatial import SPATIAL_REGRESSION_COLUMNS as COLUMNS
        from analysis_py.stats.spatial import knn_weights, spatial_regressions

        centroids = dbt.ref("int_commune_centroids").order("code_com").df()
        features = dbt.ref("fct_commune_features").order("code_com").df()
        models = dbt.ref("regression_models").order("position").df()
        rescale = rescaled_columns(dbt.ref("regression_variables").df(), poi_scaling)
        frame = centroids.rename(columns={"x_l93": "x", "y_l93": "y"}).merge(
            features.drop(columns=["city"]), on="code_com", how="inner"
        )
        rows = []
        for spec in models[models["paper_table"] == paper_table].itertuples(index=False):
            terms = model_terms(spec, controls, frame)
            chosen = model_frame(frame, spec, terms, fallbacks, rescale)
            data = frame.loc[chosen.index].copy()
            data[chosen.columns] = chosen  # the POI z-scores over these rows (var poi_scaling)
            data = data.sort_values("code_com").reset_index(drop=True)
            parameters = len(terms) + 2  # intercept and rho / lambda
            try:
                if len(data) < 2 * parameters:
                    raise ValueError(f"{len(data)} rows for {parameters} parameters")
                w = knn_weights(data, knn)
                tidy, diagnostics = spatial_regressions(
                    data, spec.dependent, terms, w, spec.model_id
                )
            except (ValueError, np.linalg.LinAlgError) as exc:
                rows.append(
                    {
                        "model_id": spec.model_id,
                        "dependent": spec.dependent,
                        "n": len(data),
                        "status": f"not_estimable: {exc}",
                    }
                )
                continue
            rows.extend({**row, **diagnostics, "status": "estimated"} for row in tidy)
        text = ["model_id", "spatial_model", "dependent", "term", "status"]
        frame = pd.DataFrame(rows, columns=COLUMNS)
        # typed even when every model is not estimable (an all-NULL column reads as DOUBLE)
        result = frame.astype(
            {c: "string" for c in text}
            | {
                c: "float64"
                for c in COLUMNS
                if c not in text and c not in ("term_order", "n", "n_parameters", "is_lower_aic")
            }
            | {"n_parameters": "Int64", "is_lower_aic": "boolean"}
        )
    return result

"""One row per commune and variable (log cpc per 1000, the sexual-violence rate) where
the commune has the value: local Moran's I (esda.Moran_Local) on the pooled
k-nearest-neighbour weights, its seeded permutation p-value, the quadrant (HH, LH, LL,
HL) and significance at var spatial_significance_level (docs/method.md section 15). The
publication suppresses the commune-level columns of small communes (column meta
privacy min_population) as it does the cpc rates."""


def model(dbt, session):
    dbt.config(materialized="table")
    from analysis_py.errors import model_errors

    # a failure names this model and the relations it read (analysis_py.errors)
    with model_errors(dbt):
        knn = int(dbt.config.get("knn"))
        permutations = int(dbt.config.get("permutations"))
        seed = int(dbt.config.get("seed"))
        level = float(dbt.config.get("level"))

        import pandas as pd

        from analysis_py.stats.spatial import local_moran

        centroids = dbt.ref("int_commune_centroids").order("code_com").df()
        features = dbt.ref("fct_commune_features").order("code_com").df()
        frame = centroids.rename(columns={"x_l93": "x", "y_l93": "y"}).merge(
            features[["code_com", "pop", "log_cpc_per_1000", "sexual_violence_per_1000"]],
            on="code_com",
        )
        parts = [
            local_moran(frame, variable, knn, permutations, seed, level)
            for variable in ("log_cpc_per_1000", "sexual_violence_per_1000")
        ]
        out = pd.concat(parts, ignore_index=True)
        result = out.merge(frame[["code_com", "pop"]], on="code_com", how="left")
    return result

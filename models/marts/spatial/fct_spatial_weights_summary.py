"""One row per scope (each metro area, then pooled): the k-nearest-neighbour weights of
the study communes' centroids (docs/method.md section 15; analysis_py.stats.spatial): communes, k,
mean neighbours, islands and connected components."""


def model(dbt, session):
    dbt.config(materialized="table")
    from analysis_py.errors import model_errors

    # a failure names this model and the relations it read (analysis_py.errors)
    with model_errors(dbt):
        knn = int(dbt.config.get("knn"))
        from analysis_py.stats.spatial import weights_summary

        centroids = dbt.ref("int_commune_centroids").order("code_com").df()
        frame = centroids.rename(columns={"x_l93": "x", "y_l93": "y"})
        result = weights_summary(frame, knn)
    return result

"""One row per commune, Tor lag, correlation (of the methods computed) and bootstrap
replicate: the replicate's correlation, from the per-day sums of int_commune_day_sums
(docs/method.md section 13; analysis_py.stats.bootstrap). Vars bootstrap_replicates,
bootstrap_seed and bootstrap_block_days; the draws of days are made once and shared by
every commune, correlation and lag."""


def model(dbt, session):
    dbt.config(materialized="table")
    from analysis_py.errors import model_errors

    # a failure names this model and the relations it read (analysis_py.errors)
    with model_errors(dbt):
        from analysis_py.stats.bootstrap import commune_correlation_replicates

        day_sums = dbt.ref("int_commune_day_sums").order("lag_hours, code_com, day").df()
        # the correlations of the methods computed (var correction_methods may restrict them)
        methods = dbt.ref("correction_methods").df()
        computed = dbt.ref("int_commune_correlations").project("correction_method").distinct().df()
        correlations = sorted(
            set(
                methods.loc[
                    methods["correction_method"].isin(computed["correction_method"]), "correlation"
                ]
            )
        )
        result = commune_correlation_replicates(
            day_sums,
            correlations,
            replicates=int(dbt.config.get("replicates")),
            seed=int(dbt.config.get("seed")),
            block_days=int(dbt.config.get("block_days")),
        )
    return result

"""One row per commune, Tor lag and correlation (those of the methods computed): the EWC
interval of rho from the per-day sums of int_commune_day_sums and the leave-one-day-out
diagnostic (docs/method.md section 13; analysis_py.stats.longrun). Vars bootstrap_level (the
level of every commune interval) and ewc_degrees_factor (B = ceil(factor x D^(2/3)))."""


def model(dbt, session):
    dbt.config(materialized="table")
    from analysis_py.errors import model_errors

    # a failure names this model and the relations it read (analysis_py.errors)
    with model_errors(dbt):
        level = float(dbt.config.get("level"))
        factor = float(dbt.config.get("degrees_factor"))

        from analysis_py.stats.longrun import commune_rho_intervals

        day_sums = dbt.ref("int_commune_day_sums").order("lag_hours, code_com, day").df()
        methods = dbt.ref("correction_methods").df()
        computed = dbt.ref("int_commune_correlations").project("correction_method").distinct().df()
        correlations = sorted(
            set(
                methods.loc[
                    methods["correction_method"].isin(computed["correction_method"]),
                    "correlation",
                ]
            )
        )
        result = commune_rho_intervals(day_sums, correlations, level, factor)
    return result

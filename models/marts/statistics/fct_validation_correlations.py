"""Table 2 (docs/method.md section 8): Spearman's rho of the sexual-violence rate with each
log per-1000 indicator, over communes with a published commune rate, with its intervals
(docs/method.md section 13): Fisher's z with the Bonett-Wright variance, a seeded commune
bootstrap, and for the cpc indicators the spread over the bootstrap replicates of c.
Thin adapter."""


def model(dbt, session):
    dbt.config(materialized="table")
    from analysis_py.errors import model_errors

    # a failure names this model and the relations it read (analysis_py.errors)
    with model_errors(dbt):
        outcome = dbt.config.get("outcome")
        level = float(dbt.config.get("level"))
        replicates = int(dbt.config.get("replicates"))
        seed = int(dbt.config.get("seed"))
        method = dbt.config.get("correction_method")
        lag = int(dbt.config.get("tor_lag_hours"))
        robustness_lag = int(dbt.config.get("robustness_lag_hours"))
        lags = {"log_cpc_per_1000": lag, "log_cpc_per_1000_lag2": robustness_lag}

        from analysis_py.stats.validation import (
            add_correlation_intervals,
            replicate_matrix,
            validation_correlations,
        )

        # in commune order: a table scan has no guaranteed order, and float results
        # (e.g. OLS on a nearly collinear design) move in the last digits with row order
        features = dbt.ref("fct_commune_features").order("code_com").df()
        variables = dbt.ref("regression_variables").df()
        labels = dict(zip(variables["column_name"], variables["paper_label"], strict=True))
        # the replicates of log cpc per 1000, computed in int_commune_factor_draws
        draws = (
            dbt.ref("int_commune_factor_draws")
            .filter(f"correction_method = '{method}' and replicate > 0")
            .project("lag_hours, replicate, code_com, log_cpc_per_1000")
            .order("lag_hours, replicate, code_com")
            .df()
        )
        table = validation_correlations(features, outcome)
        table = add_correlation_intervals(
            table,
            features,
            level,
            replicates,
            seed,
            {indicator: replicate_matrix(draws, lag) for indicator, lag in lags.items()},
        )
        table.insert(1, "paper_label", table["indicator"].map(labels))
        # a published interval never excludes its estimate without saying why
        from analysis_py.stats.bootstrap import interval_note

        table["bootstrap_ci_note"] = interval_note(
            table["spearman_rho"],
            table["bootstrap_ci_low"],
            table["bootstrap_ci_high"],
            "the percentile interval of the commune bootstrap excludes rho (a skewed"
            " bootstrap distribution)",
        )
        table["c_replicates_ci_note"] = interval_note(
            table["spearman_rho"],
            table["c_replicates_ci_low"],
            table["c_replicates_ci_high"],
            "the spread of rho over the replicates of c excludes the estimate: c's floor on"
            " each replicate shifts the communes near rho = 0",
        )
        result = table
    return result

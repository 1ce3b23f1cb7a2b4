"""Tables 3, 5, 6, 7 (docs/method.md section 9): OLS with heteroscedasticity-robust SE, one
row per model x term x covariance type: var regression_cov_type (the paper-style
tables read it) and those of var regression_extra_cov_types (by default cluster-robust
by department, docs/method.md section 13). Models from the seed regression_models, controls,
covariance and the fallback rule from the model's config (vars regression_controls,
regression_cluster_column, regression_fallbacks). Benjamini-Hochberg adjusted p-values
within each paper table and covariance type; every model with log cpc per 1000 refitted
over the bootstrap replicates of c (percentile interval of each estimate). With the
authors' published totals (traffic_source published) the controls are those their
files give (seed regression_variables, column published_source): the reduced Tables 3
and 6 of docs/method.md section 12."""


def model(dbt, session):
    dbt.config(materialized="table")
    from analysis_py.errors import model_errors

    # a failure names this model and the relations it read (analysis_py.errors)
    with model_errors(dbt):
        # each config value read in a plain assignment: dbt finds the keys a Python model
        # uses by reading these calls, and misses one inside a starred list or a comprehension
        cov_type = dbt.config.get("cov_type")
        extra_cov_types = dbt.config.get("extra_cov_types")
        level = float(dbt.config.get("level"))
        cov_types = list(dict.fromkeys([cov_type, *extra_cov_types]))
        controls = list(dbt.config.get("controls"))
        cluster_column = dbt.config.get("cluster_column")
        fallbacks = dbt.config.get("fallbacks")
        traffic_source = dbt.config.get("traffic_source")
        method = dbt.config.get("correction_method")
        authors_poi = dbt.config.get("authors_poi_rates_path")
        authors_trends = dbt.config.get("authors_trends_scores_path")
        lag = int(dbt.config.get("tor_lag_hours"))
        poi_scaling = dbt.config.get("poi_scaling")

        import pandas as pd

        from analysis_py.stats.regression import (
            adjust_p_values_bh,
            label_terms,
            published_controls,
            published_variables,
            rescaled_columns,
            run_regressions,
        )
        from analysis_py.stats.validation import replicate_matrix

        # in commune order: a table scan has no guaranteed order, and float results
        # (e.g. OLS on a nearly collinear design) move in the last digits with row order
        features = dbt.ref("fct_commune_features").order("code_com").df()
        models = dbt.ref("regression_models").df()
        control_set, available = "paper", None
        if traffic_source == "published":
            # only what the authors' files give: a model needing anything else (the drug-use
            # rate of Table 5, the lagged cpc of Table 7) is listed as not estimable
            # the authors' files actually read: cpc_com.csv and the department sheet (var
            # insee_department_indicators_path) always, poi.csv and gtrends_dep.csv when their
            # vars are set (otherwise those columns come from raw_dir and are not theirs)
            given = {"cpc_com.csv", "department sheet"}
            given |= {"poi.csv"} if authors_poi else set()
            given |= {"gtrends_dep.csv"} if authors_trends else set()
            variables = dbt.ref("regression_variables").df()
            controls = published_controls(controls, variables, given)
            control_set, available = "published_reduced", published_variables(variables, given)
        # the replicates of log cpc per 1000, computed in int_commune_factor_draws
        draws = (
            dbt.ref("int_commune_factor_draws")
            .filter(f"correction_method = '{method}' and lag_hours = {lag} and replicate > 0")
            .project("lag_hours, replicate, code_com, log_cpc_per_1000")
            .order("replicate, code_com")
            .df()
        )
        replicates = replicate_matrix(draws, lag)
        rescale = rescaled_columns(dbt.ref("regression_variables").df(), poi_scaling)
        tidy = pd.concat(
            [
                run_regressions(
                    features,
                    models,
                    controls,
                    one_cov_type,
                    cluster_column=cluster_column or None,
                    fallbacks=fallbacks,
                    control_set=control_set,
                    available=available,
                    replicates=replicates,
                    level=level,
                    rescale=rescale,
                    poi_scaling=poi_scaling,
                )
                for one_cov_type in cov_types
            ],
            ignore_index=True,
        )
        tidy["p_value_bh"] = adjust_p_values_bh(tidy)
        # for the side-by-side tables (analysis_py.report.tables): each model's place in the
        # seed, each term's paper label, each table's title
        variables = dbt.ref("regression_variables").df()
        tables = dbt.ref("regression_tables").df()
        result = label_terms(tidy, models, variables, tables)
        # a published interval never excludes its estimate without saying why
        from analysis_py.stats.bootstrap import interval_note

        result["c_replicates_ci_note"] = interval_note(
            result["estimate"],
            result["c_replicates_ci_low"],
            result["c_replicates_ci_high"],
            "the spread of the estimate over the replicates of c excludes it: c's floor on"
            " each replicate shifts the communes near rho = 0",
        )
    return result

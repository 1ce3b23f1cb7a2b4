"""Is Table 2's validation robust? (docs/method.md section 14): one row per specification x
indicator with Spearman's rho, its Bonett-Wright interval and n: as published, non-zero
values only, partial on log population, within-metro-area ranks, and withheld values
counted as zero where the input identifies them (a commune without a published commune
rate but with the department's fallback). Thin adapter over
analysis_py.stats.validation.validation_robustness."""


def model(dbt, session):
    dbt.config(materialized="table")
    from analysis_py.errors import model_errors

    # a failure names this model and the relations it read (analysis_py.errors)
    with model_errors(dbt):
        outcome = dbt.config.get("outcome")
        level = float(dbt.config.get("level"))

        from analysis_py.stats.validation import validation_robustness

        features = dbt.ref("fct_commune_features").order("code_com").df()
        variables = dbt.ref("regression_variables").df()
        labels = dict(zip(variables["column_name"], variables["paper_label"], strict=True))
        # withheld: no commune value published in any year, the department's value instead
        # (NetMob mode reads the raw SSMSI file; the authors' derivative writes 0 instead)
        suppressed = features[outcome].isna() & features["sv_17_21"].notna()
        traffic_source = dbt.config.get("traffic_source")
        if traffic_source == "published":
            suppressed = None
        table = validation_robustness(features, outcome, level=level, suppressed=suppressed)
        table.insert(3, "paper_label", table["indicator"].map(labels))
        result = table
    return result

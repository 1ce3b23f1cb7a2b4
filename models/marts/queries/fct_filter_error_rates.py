"""The filter's error rates f'+ and f- (technical report, sections 4-7) with 95 %
Wilson and Clopper-Pearson intervals: from this project's query log, samples and kept
experts' labels (source `query_log`), and from the report's own counts (source
`report`, the test vector: f'+ = 1.13 %, f- = 24.9 %). Thin adapter."""


def model(dbt, session):
    dbt.config(materialized="table")
    from analysis_py.errors import model_errors

    # a failure names this model and the relations it read (analysis_py.errors)
    with model_errors(dbt):
        confidence = float(dbt.config.get("confidence"))
        import pandas as pd

        from analysis_py.stats.assessment import error_rates

        classified = dbt.ref("fct_query_classifications").df()
        labels = dbt.ref("fct_assessment_labels").df()
        report_rows = dbt.ref("report_assessment_counts").df()
        flagged = classified[classified["rule_code"].notna()]
        multi = labels[(labels["sample_set"] == "F+>1") & labels["label"].notna()]
        neighbours = labels[(labels["sample_set"] == "N(F+)") & (labels["label"] == "paedophile")]
        ours = error_rates(
            n_flagged=len(flagged),
            n_flagged_multiword=int((flagged["n_words"] > 1).sum()),
            sample_multiword_labelled=len(multi),
            sample_multiword_negative=int((multi["label"] == "not_paedophile").sum()),
            sample_neighbours_positive=len(neighbours),
            sample_neighbours_positive_unflagged=int(
                (~neighbours["is_flagged"].astype(bool)).sum()
            ),
            source="query_log",
            confidence=confidence,
        )
        report = dict(zip(report_rows["quantity"], report_rows["value"], strict=True))
        theirs = error_rates(
            **{k: int(v) for k, v in report.items()}, source="report", confidence=confidence
        )
        result = pd.concat([ours, theirs], ignore_index=True)
    return result

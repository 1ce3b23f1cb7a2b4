"""One row per Google Trends search term of the paper: its normalised form and the
query filter's rule code (NULL when the filter does not flag it). Thin adapter to the
reference classifier analysis_py.stats.keywords.classify."""


def model(dbt, session):
    dbt.config(materialized="table")
    from analysis_py.errors import model_errors

    # a failure names this model and the relations it read (analysis_py.errors)
    with model_errors(dbt):
        import pandas as pd

        from analysis_py.stats.keywords import classify, load_keyword_lists, normalise

        keyword_rows = dbt.ref("keyword_lists").df()
        terms = dbt.ref("trends_terms").df()
        lists = load_keyword_lists(keyword_rows)
        out = pd.DataFrame({"search_term": sorted(terms["search_term"])})
        out["query"] = out["search_term"].map(normalise)
        out["rule_code"] = out["query"].map(lambda q: classify(q, lists))
        out["is_flagged"] = out["rule_code"].notna()
        result = out
    return result

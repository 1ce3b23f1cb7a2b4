"""One row per distinct normalised query: the filter's rule code (technical report,
appendix A; NULL when not flagged), occurrences and distinct clients. The bulk path:
analysis_py.stats.keywords.sql_classify, regular expressions run by DuckDB, equal to the
reference classify() on every query (tested). Empty queries are left out (counted in
int_queries_normalised). Thin adapter."""


def model(dbt, session):
    dbt.config(materialized="table")
    from analysis_py.errors import model_errors

    # a failure names this model and the relations it read (analysis_py.errors)
    with model_errors(dbt):
        from analysis_py.stats.keywords import load_keyword_lists, sql_classify

        keyword_rows = dbt.ref("keyword_lists").df()
        lists = load_keyword_lists(keyword_rows)
        records = dbt.ref("int_queries_normalised")
        result = records.query(
            "records",
            f"""
            select
                query,
                {sql_classify("query", lists)} as rule_code,
                count(*) as n_occurrences,
                count(distinct client_hash) as n_clients,
                any_value(n_words) as n_words
            from records
            where not is_empty
            group by query
            order by query
            """,
        )
    return result

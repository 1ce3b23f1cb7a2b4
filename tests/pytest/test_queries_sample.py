"""The query-filter marts on the generated sample log, against the reference code."""

from __future__ import annotations

from analysis_py import keywords as K


def test_sql_normalisation_in_the_pipeline_equals_reference(con):
    rows = con.execute(
        """select raw.query_raw, q.query from staging.stg_queries__query_log as raw
           join intermediate.int_queries_normalised as q using (record_number)"""
    ).fetchall()
    assert len(rows) == 20_000
    assert [K.normalise(raw) for raw, _ in rows] == [q for _, q in rows]


def test_mart_codes_equal_reference_on_every_distinct_query(con):
    rows = con.execute("select query, rule_code from marts.fct_query_classifications").fetchall()
    assert len(rows) > 5_000
    assert all(K.classify(q) == code for q, code in rows)


def test_counts_and_clients(con):
    total, empty = con.execute(
        "select count(*), count(*) filter (where is_empty) from intermediate.int_queries_normalised"
    ).fetchone()
    occurrences = con.execute(
        "select sum(n_occurrences) from marts.fct_query_classifications"
    ).fetchone()[0]
    assert occurrences == total - empty  # empty queries dropped, everything else counted once
    assert empty > 0


def test_report_rates_in_the_mart(con):
    rows = dict(
        con.execute(
            "select rate, estimate from marts.fct_filter_error_rates where source = 'report'"
        ).fetchall()
    )
    assert round(100 * rows["f_prime_plus"], 2) == 1.13
    assert round(100 * rows["f_minus"], 1) == 24.9


def test_samples_follow_their_definitions(con):
    rows = con.execute(
        "select sample_set, count(*), min(set_size) from marts.fct_assessment_sample group by 1"
    ).fetchall()
    assert {r[0] for r in rows} == {"F-", "F+>1", "N(F+)"}
    assert all(n == min(1000, size) for _, n, size in rows)
    multi = con.execute(
        """select count(*) from marts.fct_assessment_sample where sample_set = 'F+>1'
           and (rule_code is null or position(' ' in query) = 0)"""
    ).fetchone()[0]
    negatives = con.execute(
        "select count(*) from marts.fct_assessment_sample where sample_set = 'F-' and is_flagged"
    ).fetchone()[0]
    assert multi == 0 and negatives == 0


def test_experts_below_threshold_are_left_out(con):
    rows = con.execute("select n_answers, is_kept from marts.fct_expert_reliability").fetchall()
    assert all(kept == (n >= 300) for n, kept in rows)
    assert sum(1 for _, kept in rows if kept) == 20 and len(rows) == 24

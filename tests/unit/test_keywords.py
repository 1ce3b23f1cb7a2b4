"""The query filter: hand-checked cases, the vectorised path against the reference on
generated queries, normalisation, and the report's error-rate figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT
from statsmodels.stats.proportion import proportion_confint

from analysis_py.engines.duck import connect
from analysis_py.stats import keywords as K
from analysis_py.stats.assessment import clopper_pearson_interval, error_rates, wilson_interval
from analysis_py.synth.queries import generate_queries

# the seed keyword_lists, the one place the appendix's lists are stated
LISTS = K.load_keyword_lists(ROOT / "seeds" / "keyword_lists.csv")


@pytest.mark.parametrize(
    "query, code",
    [
        ("pthc", "01"),
        ("kid sex", "02"),
        ("little girl nude", "03"),
        ("12 yo girl", "04"),
        ("baby dad sex", "05"),
        ("r ygold", "00"),
        ("journal du hard pthc", None),  # skipped before any rule
        ("you 12", None),  # "you" is hidden before the age test
        ("12 you", None),  # ... which would otherwise read "12 yo"
        ("16 yo girl", None),  # ages below 16 only
        ("15yo girl", "04"),
        ("007 ans sexy", "04"),  # "007" is all digits, 7 < 16
        ("trans 8 yo", None),  # an age alone is not enough
        ("yoga 3 ans", None),
        ("boys 10", None),  # "boys" is not "boy"
        ("transexual kids", "02"),
        ("madonna mp3", None),
        ("3 years old child", "04"),
        ("child 3y", "04"),
        ("sex 15 year old", "04"),
        ("girl mom porn", "05"),
    ],
)
def test_hand_checked_cases(query, code):
    assert K.classify(query, LISTS) == code
    with connect(names=()) as con:
        got = con.execute(
            f"select {K.sql_classify('q', LISTS)} from (select ?::varchar as q)", [query]
        ).fetchone()[0]
    assert got == code


@pytest.mark.parametrize(
    "raw, normalised",
    [
        ("Madonna.MP3", "madonna mp3"),
        ("Pénétration", "pntration"),
        ("  12YO--girl!! ", "12yo girl"),
        ("k!ds", "k ds"),
        ("r@ygold", "r ygold"),
        ("???", ""),
        ("e\u0301cole", "ecole"),  # the combining accent is deleted, the e stays
        ("naïve_ÉTÉ", "nave t"),  # accented capitals are deleted too
    ],
)
def test_normalisation(raw, normalised):
    assert K.normalise(raw) == normalised
    with connect(names=()) as con:
        sql = f"select {K.sql_normalise('r')} from (select ?::varchar as r)"
        assert con.execute(sql, [raw]).fetchone()[0] == normalised


@pytest.fixture(scope="module")
def generated():
    raw = generate_queries(np.random.default_rng(20090301), 120_000)
    return raw


def test_vectorised_path_agrees_with_reference_on_generated_queries(generated):
    normalised = [K.normalise(q) for q in generated]
    reference = [K.classify(q, LISTS) for q in normalised]
    # every rule, the traps and ages with every suffix are represented
    assert {c for c in reference if c} == set(K.RULE_CODES)
    for suffix in LISTS.agesuffix:
        assert any(suffix in q for q in normalised)
    with connect(names=()) as con:
        con.register("raw", pd.DataFrame({"raw": generated}))
        out = con.execute(
            f"""select q, {K.sql_classify("q", LISTS)} as code
                from (select {K.sql_normalise("raw")} as q, row_number() over () as i from raw)
                order by i"""
        ).df()
    assert out["q"].tolist() == normalised
    vectorised = [c if isinstance(c, str) else None for c in out["code"]]
    mismatches = [
        (q, a, b) for q, a, b in zip(normalised, vectorised, reference, strict=True) if a != b
    ]
    assert mismatches == []
    assert len(generated) >= 100_000


def test_appendix_port_equals_reference(generated):
    normalised = [K.normalise(q) for q in generated[:30_000]]
    ported = dict()
    for line in K.appendix_script(normalised, LISTS):
        code, _, query = line.partition(" ")
        ported[query] = code
    for q in normalised:
        assert ported.get(q.strip()) == K.classify(q, LISTS)


def test_seed_lists_match_the_appendix():
    lists = LISTS
    assert len(lists.explicit) == 26 and "qwerty" not in lists.explicit
    assert "baby" not in lists.child and "nina" not in lists.child
    assert "an" not in lists.agesuffix and "nu" not in lists.sex and "nue" not in lists.sex
    assert lists.agesuffix[:2] == ("yo", "yr")


def test_report_figures_reproduce():
    rates = error_rates(204_846, 154_243, 1000, 15, 759, 189, "report").set_index("rate")
    assert round(100 * rates.at["f_prime_plus", "estimate"], 2) == 1.13
    assert round(100 * rates.at["f_minus", "estimate"], 1) == 24.9
    assert rates.at["f_prime_plus", "wilson_low"] < rates.at["f_prime_plus", "estimate"]


@pytest.mark.parametrize("x, n", [(15, 1000), (189, 759), (0, 50), (50, 50)])
def test_intervals_equal_statsmodels(x, n):
    assert wilson_interval(x, n) == pytest.approx(proportion_confint(x, n, method="wilson"))
    assert clopper_pearson_interval(x, n) == pytest.approx(proportion_confint(x, n, method="beta"))


def test_keyword_lists_refuse_an_unknown_or_empty_list():
    rows = pd.read_csv(ROOT / "seeds" / "keyword_lists.csv", dtype=str)
    with pytest.raises(ValueError, match="unknown list 'nope'"):
        K.load_keyword_lists(
            pd.concat([rows, pd.DataFrame([{"list_name": "nope", "position": 1, "keyword": "x"}])])
        )
    with pytest.raises(ValueError, match="empty lists"):
        K.load_keyword_lists(rows[rows["list_name"] != "sexy"])


@pytest.mark.parametrize(
    "x, n, message",
    [(-1, 10, "x"), (11, 10, "x"), (1, 0, "n")],
    ids=["negative", "above-n", "no-trial"],
)
def test_intervals_refuse_impossible_counts(x, n, message):
    with pytest.raises(ValueError, match=message):
        wilson_interval(x, n)

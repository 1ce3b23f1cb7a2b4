"""Counted quarantines in a whole build: rows set aside are counted by their dbt test,
which fails past its threshold, and the marts say so (fct_source_audit). One build on a
small raw folder (one city, three days) with several independent problems. The clear
errors and warnings of each fault, source by source, are the bad-input matrix
(test_bad_input_matrix.py).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import query, run_dbt

from analysis_py.synth import Options, generate

CITY = "Nice"
VARS = {"netmob_cities": [CITY], "study_start": "2019-03-16", "study_end": "2019-03-18"}
UNKNOWN_TILE_BOUND = 0.01


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("base") / "raw"
    generate(
        Options(
            out=raw,
            seed=99,
            cities=(CITY,),
            n_days=3,
            tiles_per_city=30,
            communes_per_city=4,
            n_queries=400,
            progress=False,
        )
    )
    return raw


# ------------------------------------------------------------------ counted quarantines


@pytest.fixture(scope="module")
def quarantined(base, tmp_path_factory):
    """One build with several independent problems, each counted by its test. (A
    duplicated tile row, or unknown-tile traffic past its threshold, stops the build at
    the parse: test_gates.)"""
    work = tmp_path_factory.mktemp("quarantine")
    raw = work / "raw"
    shutil.copytree(base, raw)
    # a tile id absent from the city's GeoJSON, below the threshold set for this build
    path = raw / "netmob/Nice/Web_Adult/20190318/Nice_Web_Adult_20190318_DL.txt"
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join([*lines, "999999 " + " ".join(["1.0"] * 96) + "\n"]))
    # a study commune with zero population
    study_code = (raw / "_truth" / "communes.csv").read_text().splitlines()[1].split(",")[0]
    pop = raw / "insee" / "donnees_communes.csv"
    pop_lines = pop.read_text().splitlines()
    zero_line = next(
        i for i, line in enumerate(pop_lines) if "".join(line.split(";")[2:6:3]) == study_code
    )
    fields = pop_lines[zero_line].split(";")
    fields[7], fields[9] = "0", fields[8]  # PMUN 0, PTOT = PMUN + PCAP still
    pop_lines[zero_line] = ";".join(fields)
    pop.write_text("\n".join(pop_lines) + "\n")
    # many empty queries
    log = raw / "queries" / "query_log.csv"
    q_lines = log.read_text().splitlines()
    q_lines += [f"2009-03-09 10:{i % 60:02d}:00,10.0.0.9,???" for i in range(40)]
    log.write_text("\n".join(q_lines) + "\n")
    proc = run_dbt(
        ["build"],
        work / "work",
        {"raw_dir": str(raw), **VARS, "max_share_unknown_tile_traffic": UNKNOWN_TILE_BOUND},
        check=False,
    )
    return work / "work", proc, {"zero_population": study_code}


def _failed_tests(proc) -> set[str]:
    return set(re.findall(r"Failure in test (\S+)", proc.stdout))


def _warned_tests(proc) -> set[str]:
    return set(re.findall(r"Warning in test (\S+)", proc.stdout))


def _audit_failures(work) -> dict[str, int]:
    rows = query(
        work,
        """select check_name, count(*) from marts.fct_source_audit
        where not passed group by check_name""",
    )
    return dict(rows)


def test_unknown_tile_is_counted_below_its_bound(quarantined):
    work, proc, _ = quarantined
    assert not any("traffic_share_at_most" in t for t in _failed_tests(proc))
    rows = query(
        work,
        """select tile_id, service, n_rows, n_study_days
        from intermediate.int_traffic_aggregated_to_tiles
        where n_rows <> n_study_days order by tile_id""",
    )
    assert rows == [(999999, "Web_Adult", 1, 3)]  # in one file of three
    share = query(
        work,
        """select share_unknown_tile from marts.fct_tile_allocation_summary
        where service = 'Web_Adult'""",
    )
    assert 0 < share[0][0] < UNKNOWN_TILE_BOUND
    observed = query(
        work,
        """select share, max_share, passed from marts.fct_source_audit
        where check_name = 'unknown_tile_traffic'""",
    )
    assert observed == [(share[0][0], UNKNOWN_TILE_BOUND, True)]
    audit = query(
        work,
        """select n_expected - n_found, passed from marts.fct_source_audit
        where check_name = 'tile_rows_per_day'""",
    )
    assert audit == [(1, False)]


def test_zero_population_is_counted_and_fails(quarantined):
    work, proc, planted = quarantined
    assert any("population_status" in t for t in _failed_tests(proc))
    rows = query(
        work,
        """select code_com, population_status, cpc_per_1000 from marts.fct_commune_cpc
        where population_status <> 'ok'""",
    )
    assert rows == [(planted["zero_population"], "zero", None)]


def test_empty_queries_are_counted_and_fail_past_threshold(quarantined):
    work, proc, _ = quarantined
    assert any("share_of_rows_at_most_int_queries_normalised" in t for t in _failed_tests(proc))
    n_empty = query(work, "select count(*) from intermediate.int_queries_normalised where is_empty")
    assert n_empty[0][0] >= 40


def test_corsica_and_leading_zeros_survive(quarantined):
    work, _, _ = quarantined
    codes = {r[0] for r in query(work, "select code_com from staging.stg_admin__communes")}
    assert "2A004" in codes and any(c.startswith("06") for c in codes)


def test_trends_blanks_and_below_one_are_counted(quarantined):
    work, _, _ = quarantined
    blank, below = query(
        work,
        """select count(*) filter (where is_too_little_data),
        count(*) filter (where is_below_one) from staging.stg_trends__interest_by_region""",
    )[0]
    assert blank > 0
    filled = query(
        work,
        """select count(*) from intermediate.int_trends_interest_by_region
        where is_too_little_data and interest = 0""",
    )
    assert filled[0][0] > 0 and below >= 0

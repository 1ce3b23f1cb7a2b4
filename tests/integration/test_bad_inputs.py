"""The bad-input matrix: every case ends in a clear error naming the file and the line
or key and what was expected, or in a counted quarantine whose dbt test fails past its
threshold. Never a silent drop or coercion.

A small valid raw folder (one city, three days) is generated once; each case copies it,
breaks one thing by hand and builds the models concerned.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import dbt_output, edit_line, query, run_dbt

from analysis_py.synth import Options, generate

CITY = "Nice"
VARS = {"netmob_cities": [CITY], "study_start": "2019-03-16", "study_end": "2019-03-18"}
TOR_DAY = Path("netmob/Nice/Tor/20190317/Nice_Tor_20190317_DL.txt")
UNKNOWN_TILE_BOUND = 0.01
SSMSI = Path("ssmsi/donnee-data.gouv-2022-geographie2023-produit-le2023-07-17.csv")


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


@pytest.fixture
def raw(base, tmp_path) -> Path:
    copy = tmp_path / "raw"
    shutil.copytree(base, copy)
    return copy


def _build(
    raw: Path, tmp_path: Path, select: list[str], extra_vars: dict | None = None, command="build"
):
    args = [command, "--select", *select, "resource_type:seed"]
    if command == "run":  # the models and their parents, without tests
        args = [command, "--select", *[f"+{name}" for name in select]]
    return run_dbt(
        args, tmp_path / "work", {"raw_dir": str(raw), **VARS, **(extra_vars or {})}, check=False
    )


# ------------------------------------------------------------------ errors


def test_wrong_number_of_values_on_a_regular_day(raw, tmp_path):
    path = raw / TOR_DAY
    text = path.read_text().splitlines()
    path.write_text("\n".join(" ".join(line.split()[:93]) for line in text) + "\n")  # 92 values
    proc = _build(raw, tmp_path, ["int_traffic_parsed_by_partition"], command="run")
    out = dbt_output(proc)
    assert proc.returncode != 0
    assert str(path) in out and "Expected Number of Columns: 97 Found: 93" in out


def test_tile_id_out_of_range(raw, tmp_path):
    edit_line(raw / TOR_DAY, 2, lambda line: "99999999 " + line.split(" ", 1)[1])
    proc = _build(raw, tmp_path, ["int_traffic_parsed_by_partition"], command="run")
    out = dbt_output(proc)
    assert proc.returncode != 0
    assert f"{raw / TOR_DAY}: tile 99999999 has a daily total of" in out
    assert "expected a tile id in [0, 8388607]" in out


def test_unknown_ssmsi_layout_refused_by_name(raw, tmp_path):
    path = raw / SSMSI
    data = path.read_bytes().decode("utf-8-sig").replace("tauxpourmille", "taux_mille", 1)
    path.write_bytes(data.encode("utf-8"))
    proc = _build(raw, tmp_path, ["stg_ssmsi__communal_crime"], command="run")
    out = dbt_output(proc)
    assert proc.returncode != 0
    assert "unrecognised SSMSI edition" in out and "taux_mille" in out and str(path) in out


def test_later_ssmsi_edition_recognised(raw, tmp_path):
    path = raw / SSMSI
    lines = path.read_bytes().decode("utf-8-sig").splitlines()
    renamed = (
        "CODGEO_2024;annee;indicateur;unite_de_compte;est_diffuse;nombre;taux_pour_mille;"
        "complement_info_nombre;complement_info_taux;insee_pop;insee_pop_millesime;insee_log;"
        "insee_log_millesime"
    )
    path.write_text("\n".join([renamed, *lines[1:]]) + "\n")
    proc = _build(raw, tmp_path, ["stg_ssmsi__communal_crime"])
    assert proc.returncode == 0, dbt_output(proc)[-3000:]
    assert query(
        tmp_path / "work", "select distinct source_edition from staging.stg_ssmsi__communal_crime"
    ) == [("geographie2024",)]


def test_ssmsi_malformed_number_names_commune_and_year(raw, tmp_path):
    path = raw / SSMSI
    lines = path.read_bytes().decode("utf-8-sig").splitlines()
    target = next(i for i, line in enumerate(lines) if ";diff;" in line)
    fields = lines[target].split(";")
    fields[6] = "1,2,3"
    lines[target] = ";".join(fields)
    path.write_text("\n".join(lines) + "\n")
    proc = _build(raw, tmp_path, ["stg_ssmsi__communal_crime"], command="run")
    out = dbt_output(proc)
    assert proc.returncode != 0
    assert f"commune {fields[0]}, year {fields[1]}" in out and 'found "1,2,3"' in out


def test_commune_code_read_as_integer_fails(raw, tmp_path):
    path = raw / SSMSI
    lines = path.read_bytes().decode("utf-8-sig").splitlines()
    target = next(i for i, line in enumerate(lines[1:], 1) if line.startswith("0"))
    lines[target] = lines[target][1:]  # "06088;..." written by a tool that read an integer
    path.write_text("\n".join(lines) + "\n")
    proc = _build(raw, tmp_path, ["stg_ssmsi__communal_crime"])
    assert proc.returncode != 0
    assert any(t.startswith("commune_code_stg_ssmsi") for t in _failed_tests(proc))
    bad = query(
        tmp_path / "work",
        "select count(*) from staging.stg_ssmsi__communal_crime where length(code_com) <> 5",
    )
    assert bad == [(1,)]


def _edit_trends_cell(raw: Path, column: int, value: str) -> Path:
    """Write ``value`` into a column of the first data row of the first geoMap export
    (column 0: the region name); returns the file."""
    path = sorted((raw / "trends").glob("*.csv"))[0]
    text = path.read_bytes().decode("utf-8-sig").splitlines()
    cells = text[3].split(",")
    cells[column] = value
    text[3] = ",".join(cells)
    path.write_text("\n".join(text) + "\n")
    return path


def test_trends_bad_cell(raw, tmp_path):
    path = _edit_trends_cell(raw, 1, "lots")
    proc = _build(raw, tmp_path, ["stg_trends__interest_by_region"], command="run")
    out = dbt_output(proc)
    assert proc.returncode != 0
    assert str(path) in out and "expected an integer 0-100, blank or <1" in out and '"lots"' in out


def test_trends_unknown_region_named_with_its_file(raw, tmp_path):
    path = _edit_trends_cell(raw, 0, "Atlantis")
    proc = _build(raw, tmp_path, ["+int_trends_interest_by_region"])
    out = dbt_output(proc)
    assert proc.returncode != 0
    assert f'{path}: region "Atlantis" matches no region of the seed ref_trends_regions' in out


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
    fields[7] = "0"
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
    assert any("n_rows_n_study_days" in t for t in _warned_tests(proc))
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

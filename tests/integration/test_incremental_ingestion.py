"""Incremental ingestion: a rebuild reads only the NetMob files that changed.

What a build read is taken from DuckDB's own file-system log (env CPC_DUCKDB_FILE_LOG,
macro duckdb_file_log), not from the project's account of it; a cold parse, which must
show every file in the log, is the positive control.

- The sample (a copy of `make run`'s build): the parse rebuilt cold (--full-refresh)
  equals `make run`'s byte for byte; the parse run with another correction method reads
  no NetMob traffic file and takes under a tenth of the cold one, and so does the parse
  back with the default vars; the statistics after the spine (the models downstream of
  the parse that no spine mart reads: regressions, spatial statistics, validation),
  rebuilt from the same tables, read no file either and every mart equals `make run`'s
  byte for byte (determinism; the spine's own is the full refresh's below).
- A one-city folder of 8 days: a build adds a day (reads its 3 files only), the next
  changes a file and drops the first day (reads the changed file only, the day's rows
  go); the spine marts and the parse then equal a --full-refresh of the final folder,
  byte for byte.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import BUILT_DB, copy_build, files_read, model_seconds, query, run_dbt

from analysis_py.synth import Options, generate

PARSE = "int_traffic_parsed_by_partition"
SERVICES = ("Tor", "Web_Adult", "YouTube")


def build(args: list[str], work: Path, dbt_vars: dict | None, log: Path) -> set[str]:
    """dbt with DuckDB's file log in ``log``; the NetMob traffic files it read."""
    run_dbt(args, work, dbt_vars, env={"CPC_DUCKDB_FILE_LOG": str(log)})
    return {p for p in files_read(log) if "/netmob/" in p}


# ------------------------------------------------------------------ the sample


@pytest.fixture(scope="module")
def sample(tmp_path_factory, sample_dir):
    root = tmp_path_factory.mktemp("incremental-sample")
    work = copy_build(root / "work")
    expected = {str(p.resolve()) for p in (sample_dir / "netmob").rglob("*_DL.txt")}
    cold = build(["run", "--select", PARSE, "--full-refresh"], work, None, root / "log-cold")
    cold_seconds = model_seconds(work, PARSE)
    # a statistical var changed: the parse (the only model that reads the text) keeps
    # every file; the other models are tables rebuilt whatever the vars
    spearman = build(
        ["run", "--select", PARSE], work, {"correction_method": "spearman"}, root / "log-spearman"
    )
    spearman_seconds = model_seconds(work, PARSE)
    # the parse back with the default vars, then the statistics after the spine
    back = build(["run", "--select", PARSE], work, None, root / "log-back")
    after_spine = [
        "--select",
        f"{PARSE}+",
        "--exclude",
        *(f"+{mart}" for mart in SPINE_MARTS),
    ]
    back |= build(["run", *after_spine], work, None, root / "log-after-spine")
    back_results = json.loads((work / "target" / "run_results.json").read_text())["results"]
    return {
        "work": work,
        "expected": expected,
        "cold": cold,
        "cold_seconds": cold_seconds,
        "spearman": spearman,
        "spearman_seconds": spearman_seconds,
        "back": back,
        # the models the last run rebuilt, by name
        "back_models": {r["unique_id"].rsplit(".", 1)[1] for r in back_results},
    }


def test_cold_parse_reads_every_file(sample):
    """The positive control: the log sees a cold parse read every traffic file."""
    assert len(sample["expected"]) == 20 * 3 * 77
    assert sample["cold"] == sample["expected"]


def test_statistical_var_change_reads_no_netmob_file(sample):
    assert sample["spearman"] == set()
    assert sample["back"] == set()
    methods = query(
        sample["work"], "select distinct correction_method from marts.dim_build_settings"
    )
    assert methods == [("pearson",)]


def test_warm_parse_does_no_work(sample):
    assert sample["spearman_seconds"] < 0.1 * sample["cold_seconds"], (
        sample["spearman_seconds"],
        sample["cold_seconds"],
    )


def _parquet(database: Path, table: str, path: Path, columns: str = "*") -> bytes:
    """A table written to Parquet by one thread in a fixed row order: its bytes."""
    with duckdb.connect(str(database), read_only=True) as con:
        con.execute("set threads = 1")
        con.execute(
            f"copy (select {columns} from {table} order by all) to '{path}' (format parquet)"
        )
    return path.read_bytes()


# the parse's tile lists sorted: their order is the parallel aggregation's
PARSE_COLUMNS = "* replace (list_sort(tile_totals) as tile_totals)"


def test_cold_parse_equals_make_runs_byte_for_byte(sample, tmp_path):
    table = f"intermediate.{PARSE}"
    a = _parquet(BUILT_DB, table, tmp_path / "a.parquet", PARSE_COLUMNS)
    b = _parquet(sample["work"] / "cpc_tor.duckdb", table, tmp_path / "b.parquet", PARSE_COLUMNS)
    assert a == b


def test_rebuilt_statistics_give_the_same_marts_byte_for_byte(sample, tmp_path):
    """`make run`'s build and the copy (the statistics after the spine rebuilt from the
    same tables) hold the same marts, byte for byte: same inputs and vars, same marts."""
    with duckdb.connect(str(BUILT_DB), read_only=True) as con:
        marts = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by all"
            ).fetchall()
        ]
    assert "fct_commune_cpc" in marts and len(marts) >= 20
    rebuilt = sample["back_models"]
    assert {
        "fct_regressions",
        "fct_spatial_autocorrelation",
        "fct_validation_correlations",
        "fct_count_models",
    } <= rebuilt
    assert not rebuilt & set(SPINE_MARTS)
    for mart in marts:
        table = f"marts.{mart}"
        a = _parquet(BUILT_DB, table, tmp_path / f"{mart}.a.parquet")
        b = _parquet(sample["work"] / "cpc_tor.duckdb", table, tmp_path / f"{mart}.b.parquet")
        assert a == b, mart


# ------------------------------------------------------------------ a changing folder

# the marts of the NetMob spine that a one-city folder can build
SPINE_MARTS = (
    "fct_commune_correction_factors",
    "fct_commune_cpc",
    "fct_correction_factor_summary",
    "fct_cpc_sensitivity",
    "fct_global_composition",
    "fct_headline_figures",
    "fct_heatmap_day_hour",
    "fct_outage_sensitivity",
    "fct_tile_allocation_summary",
    "fct_top_commune_hourly",
    "fct_netmob_file_audit",
)
SELECTION = ["--select", *(f"+{m}" for m in SPINE_MARTS)]
DAYS = [(dt.date(2019, 3, 16) + dt.timedelta(days=i)).strftime("%Y%m%d") for i in range(8)]


def _traffic(raw: Path, day: str, service: str) -> Path:
    return raw / "netmob" / "Nice" / service / day / f"Nice_{service}_{day}_DL.txt"


def _iso(day: str) -> str:
    return f"{day[:4]}-{day[4:6]}-{day[6:]}"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("incremental-folder")
    raw = root / "raw"
    generate(
        Options(
            out=raw,
            seed=77,
            cities=("Nice",),
            n_days=8,
            tiles_per_city=24,
            communes_per_city=4,
            n_queries=300,
            progress=False,
        )
    )
    raw = raw.resolve()
    work = root / "work"
    base = {"raw_dir": str(raw), "netmob_cities": ["Nice"]}
    seven = {**base, "study_end": _iso(DAYS[6])}
    runs = {"cold": build(["build", *SELECTION], work, seven, root / "log-cold")}
    # the next builds run the models only (their tests ran on the cold build)
    runs["add"] = build(
        ["run", *SELECTION], work, {**base, "study_end": _iso(DAYS[7])}, root / "log-add"
    )
    # a corrected file (new values, later modification time), and the first day gone
    changed = _traffic(raw, DAYS[2], "Tor")
    lines = changed.read_text().splitlines(keepends=True)
    head, *values = lines[0].split(" ")
    lines[0] = " ".join([head, f"{float(values[0]) + 1.5:.3f}", *values[1:]])
    changed.write_text("".join(lines))
    # DuckDB lists modification times to the second: the file is rewritten a second later
    stat = changed.stat()
    os.utime(changed, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    for service in SERVICES:
        shutil.rmtree(_traffic(raw, DAYS[0], service).parent)
    final = {**base, "study_start": _iso(DAYS[1]), "study_end": _iso(DAYS[7])}
    runs["change"] = build(["run", *SELECTION], work, final, root / "log-change")
    full = root / "full"
    runs["full"] = build(["build", *SELECTION, "--full-refresh"], full, final, root / "log-full")
    return {"raw": raw, "work": work, "full": full, "runs": runs, "changed": changed}


def test_cold_build_reads_the_window(folder):
    raw = folder["raw"]
    assert folder["runs"]["cold"] == {
        str(_traffic(raw, day, s)) for day in DAYS[:7] for s in SERVICES
    }


def test_adding_a_day_reads_its_files_only(folder):
    assert folder["runs"]["add"] == {str(_traffic(folder["raw"], DAYS[7], s)) for s in SERVICES}


def test_changed_file_is_read_again_and_removed_day_goes(folder):
    assert folder["runs"]["change"] == {str(folder["changed"])}
    days = query(
        folder["work"],
        f"select distinct strftime(traffic_date, '%Y%m%d') from intermediate.{PARSE}",
    )
    assert sorted(d for (d,) in days) == DAYS[1:]


def test_incremental_equals_full_refresh_byte_for_byte(folder, tmp_path):
    """Each spine mart and the parse (tile lists sorted: their order is the parallel
    aggregation's), written to Parquet by one thread in a fixed row order, from the
    incremental build and from a full refresh of the final folder."""
    assert len(folder["runs"]["full"]) == 7 * 3
    tables = [f"marts.{m}" for m in SPINE_MARTS] + [f"intermediate.{PARSE}"]
    for table in tables:
        columns = PARSE_COLUMNS if PARSE in table else "*"
        out = {
            name: _parquet(
                folder[name] / "cpc_tor.duckdb",
                table,
                tmp_path / f"{table}.{name}.parquet",
                columns,
            )
            for name in ("work", "full")
        }
        assert out["work"] == out["full"], table
        assert len(out["work"]) > 0

"""Shared helpers: run dbt against a throw-away database and raw folder."""

from __future__ import annotations

import atexit
import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis_py.engines.dbt_session import DbtSession
from analysis_py.engines.duck import connect

ROOT = Path(__file__).resolve().parents[1]
# the team's shared folder beside the project (docs, seeds, the authors' real data);
# CPC_SHARED_DIR points elsewhere, e.g. for a clone outside the workspace
SHARED = Path(os.environ.get("CPC_SHARED_DIR") or ROOT.parent / "shared")
BIN = Path(sys.executable).parent
SAMPLE = ROOT / "data" / "raw_sample"
BUILT_DB = ROOT / "target" / "cpc_tor.duckdb"  # the default build of `make run`


def real_file(*parts: str) -> Path:
    """A file of the authors' published data under SHARED/real; fails the test with the
    path and the remedy when it is missing (tests never copy it into the project)."""
    path = SHARED.joinpath("real", *parts)
    if not path.is_file():
        pytest.fail(
            f"real data file {path} not found: the tests read the authors' published data "
            "from ../shared/real; clone the project beside shared/ or set CPC_SHARED_DIR"
        )
    return path


# one process per pytest process runs its dbt invocations (analysis_py.engines.dbt_session):
# Python, dbt and the models' packages start once, not once per invocation
_SESSION: DbtSession | None = None


def dbt_session() -> DbtSession:
    """This pytest process's dbt session, started on first use, stopped at exit."""
    global _SESSION
    if _SESSION is None:
        _SESSION = DbtSession(project=ROOT)
        _SESSION.start()
        atexit.register(_SESSION.stop)
    return _SESSION


def run_dbt(
    args: list[str],
    workdir: Path,
    dbt_vars: dict | None = None,
    *,
    check: bool = True,
    env: dict | None = None,
) -> subprocess.CompletedProcess:
    """Run dbt in the project with its own database, target and log folders; its output
    (both streams) is the result's stdout, its exit code dbt's command line's."""
    if "--select" in args and "--indirect-selection" not in args:
        # tests only when all their models are selected
        args = [*args, "--indirect-selection", "cautious"]
    outcome = dbt_session().invoke(args, workdir, dbt_vars, env=env)
    proc = subprocess.CompletedProcess(
        outcome.args, outcome.returncode, outcome.output, outcome.exception
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"dbt {' '.join(args)} failed:\n{proc.stdout[-6000:]}\n{proc.stderr}")
    return proc


def copy_build(work: Path) -> Path:
    """A working copy of the default build (`make run`'s): its database and dbt's records
    of it, in ``work``."""
    if not BUILT_DB.exists():
        pytest.fail(f"{BUILT_DB} is missing: run `make run` (dbt build) before pytest")
    (work / "target").mkdir(parents=True)
    shutil.copy(BUILT_DB, work / "cpc_tor.duckdb")
    for name in ("manifest.json", "run_results.json"):
        shutil.copy(BUILT_DB.parent / name, work / "target" / name)
    return work


def files_read(log_dir: Path, suffix: str = ".txt") -> set[str]:
    """The files a dbt invocation run with env CPC_DUCKDB_FILE_LOG=<log_dir> opened and
    read through DuckDB (its file-system log, macro duckdb_file_log), ending in
    ``suffix`` (the NetMob traffic files by default)."""
    entries = log_dir / "duckdb_log_entries.csv"
    if not entries.is_file():
        pytest.fail(f"no DuckDB file log in {log_dir}: was CPC_DUCKDB_FILE_LOG set?")
    paths = set()
    with entries.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["type"] != "FileSystem":
                continue
            message = json.loads(row["message"])
            if message.get("op") == "READ" and message.get("path", "").endswith(suffix):
                paths.add(message["path"])
    return paths


def model_seconds(workdir: Path, model: str) -> float:
    """A model's execution time in the last invocation's run_results.json."""
    results = json.loads((workdir / "target" / "run_results.json").read_text())["results"]
    times = [r["execution_time"] for r in results if r["unique_id"] == f"model.cpc_tor.{model}"]
    if len(times) != 1:
        pytest.fail(f"model {model} not in {workdir}/target/run_results.json")
    return times[0]


def edit_line(path: Path, line_number: int, edit) -> str:
    """Replace line ``line_number`` (1-based) of a text file by ``edit(line)``; returns
    the new line (bad-input cases break one line of a valid file)."""
    lines = path.read_text().splitlines(keepends=True)
    lines[line_number - 1] = edit(lines[line_number - 1])
    path.write_text("".join(lines))
    return lines[line_number - 1]


def dbt_output(proc: subprocess.CompletedProcess) -> str:
    """What dbt printed, both streams: the errors to look for."""
    return proc.stdout + proc.stderr


def query(workdir: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Run SQL on a build's database, read-only, with the spatial extension loaded."""
    with connect(str(workdir / "cpc_tor.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def write_nice_geometry(raw: Path, tiles: dict[int, list], communes: list[tuple]) -> None:
    """Hand-made geometry for a Nice-only raw folder, in the publishers' layouts: the
    city's tile GeoJSON ({tile_id: polygon coordinates}) and an ADMIN EXPRESS commune
    GeoJSON ((INSEE_COM, NOM_COM, POPULATION, polygon coordinates) in department 06)."""
    tile_features = [
        {
            "type": "Feature",
            "properties": {"tile_id": tile_id},
            "geometry": {"type": "Polygon", "coordinates": ring},
        }
        for tile_id, ring in tiles.items()
    ]
    commune_features = [
        {
            "type": "Feature",
            "properties": {
                "INSEE_COM": code,
                "NOM_COM": name,
                "INSEE_DEP": "06",
                "INSEE_REG": "93",
                "CODE_EPCI": "200030195",
                "POPULATION": pop,
            },
            "geometry": {"type": "Polygon", "coordinates": ring},
        }
        for code, name, pop, ring in communes
    ]
    for path, features in (
        (raw / "netmob" / "Nice" / "Nice.geojson", tile_features),
        (raw / "admin" / "COMMUNE.geojson", commune_features),
    ):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))


@pytest.fixture(scope="module")
def con():
    """A read-only connection to the default build on the sample (`make run`)."""
    if not BUILT_DB.exists():
        pytest.fail(f"{BUILT_DB} is missing: run `make run` (dbt build) before pytest")
    with connect(str(BUILT_DB), read_only=True) as connection:
        yield connection


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The generated default sample (make run creates it)."""
    if not (SAMPLE / "_truth" / "manifest.json").exists():
        pytest.fail("the sample raw data is missing: run `make run` (or `make sample`) first")
    return SAMPLE


# the vars of a parse in each traffic mode: the published mode enables the variants the
# default disables
MODE_VARS = {
    "netmob": None,
    "published": {"traffic_source": "published", "published_commune_totals_path": "x.csv"},
}


def parse_manifest(mode: str, work: Path) -> dict:
    """dbt's manifest of a parse (no build) of the project in a traffic mode."""
    run_dbt(["parse", "--no-partial-parse"], work, MODE_VARS[mode])
    return json.loads((work / "target" / "manifest.json").read_text())


@pytest.fixture(scope="session")
def manifest(tmp_path_factory) -> dict:
    """The default (NetMob) parse's manifest."""
    return parse_manifest("netmob", tmp_path_factory.mktemp("parse-netmob"))


@pytest.fixture(scope="session")
def built_manifest() -> dict:
    """The manifest of `make run`'s build, the build the integration tests read (no
    parse of their own)."""
    path = BUILT_DB.parent / "manifest.json"
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `make run` (dbt build) before pytest")
    return json.loads(path.read_text())


@pytest.fixture(scope="session")
def manifests(manifest, tmp_path_factory) -> dict[str, dict]:
    """dbt's manifest in each traffic mode."""
    return {
        "netmob": manifest,
        "published": parse_manifest("published", tmp_path_factory.mktemp("parse-published")),
    }


# the integration modules, longest first (their seconds on 2 cores, measured): xdist
# hands whole modules to its two workers in collection order (`make integration` runs
# it with --no-loadscope-reorder), so the longest start first and the short ones fill
# in at the end; a module not listed runs after these
LONGEST_FIRST = (
    "test_spark.py",  # ~150 s
    "test_incremental_ingestion.py",  # ~125 s
    "test_bad_input_matrix.py",  # ~95 s
    "test_gates.py",
    "test_publication.py",
    "test_other_raw_folder.py",
    "test_sample_marts.py",
    "test_tile_allocation.py",
    "test_report.py",
    "test_published_mode.py",
    "test_bad_inputs.py",
    "test_correction_variants.py",
    "test_authors_files.py",
    "test_miniatures.py",
)


def pytest_collection_modifyitems(items):
    """tests/integration reads dbt builds: each of its tests is marked `integration`.
    Its modules run whole on one xdist worker (`--dist loadfile`), so that a module's
    builds (module-scoped fixtures) are made once, longest module first
    (:data:`LONGEST_FIRST`); the default build is `make run`'s, made before pytest."""
    for item in items:
        if "tests/integration/" in str(item.fspath):
            item.add_marker(pytest.mark.integration)

    def rank(item) -> int:
        name = Path(str(item.fspath)).name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)

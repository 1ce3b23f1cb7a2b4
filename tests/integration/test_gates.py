"""Gates on the path to every mart (issue: integrity checks upstream of the marts).

A user with NetMob files, one commune GeoJSON and the populations (no elections, SSMSI,
INSEE indicators, Overture or Trends) builds `+fct_commune_cpc` on a fresh database.
With planted faults the same build fails, and the dbt log names the file (and the
tile): the checks guarding the mart run upstream of it. The gates that are dbt tests
(unknown tile ids, a duplicated tile row, a stray file) run in one build, one fault per
file; a fault that stops the parse itself (a value that is not a number, a short row, a
negative value, a missing file) gets a build of its own. Each build starts from an
empty database; the builds share one raw path and one target folder, so dbt parses the
project once for all of them (its partial parse).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import dbt_output, edit_line, query, run_dbt

from analysis_py.engines.duck import connect
from analysis_py.synth import Options, generate

CITIES = ("Nice", "Rennes", "Dijon")
VARS = {
    "netmob_cities": list(CITIES),
    "study_start": "2019-03-30",
    "study_end": "2019-04-01",
    "admin_communes_path": "admin/COMMUNE.geojson",
    "admin_arrondissements_path": "",
}
TOR_DAY = Path("netmob/Rennes/Tor/20190401/Rennes_Tor_20190401_DL.txt")


@pytest.fixture(scope="module")
def full_raw(tmp_path_factory) -> Path:
    """A generated raw folder of the three cities, every source."""
    full = tmp_path_factory.mktemp("full") / "raw"
    generate(
        Options(
            out=full,
            seed=7,
            cities=CITIES,
            n_days=3,
            start="2019-03-30",
            tiles_per_city=24,
            communes_per_city=4,
            n_queries=50,
            progress=False,
        )
    )
    return full


@pytest.fixture(scope="module")
def minimal_raw(full_raw, tmp_path_factory) -> Path:
    """NetMob, communes as one GeoJSON and populations only: every other source removed."""
    full = full_raw
    raw = tmp_path_factory.mktemp("minimal") / "raw"
    shutil.copytree(full / "netmob", raw / "netmob")
    (raw / "insee").mkdir(parents=True)
    shutil.copy(full / "insee" / "donnees_communes.csv", raw / "insee")
    (raw / "admin").mkdir()
    with connect(":memory:") as con:
        con.execute(
            f"copy (select * from st_read('{full / 'admin' / 'COMMUNE.shp'}')) "
            f"to '{raw / 'admin' / 'COMMUNE.geojson'}' (format gdal, driver 'GeoJSON')"
        )
    return raw


@pytest.fixture(scope="module")
def gate_dirs(tmp_path_factory) -> tuple[Path, Path]:
    """The raw folder and the work folder every `+fct_commune_cpc` build of the module
    uses: one path each, so that the vars, and with them dbt's partial parse (kept in
    the work folder's target/), carry over from one build to the next."""
    root = tmp_path_factory.mktemp("gates")
    return root / "raw", root / "work"


@pytest.fixture
def raw(minimal_raw, gate_dirs) -> Path:
    """A fresh copy of the minimal raw folder, at the module's one raw path."""
    copy = gate_dirs[0]
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(minimal_raw, copy)
    return copy


@pytest.fixture
def work(gate_dirs) -> Path:
    """The module's work folder without a database: each build starts from an empty
    database (only dbt's target/, with the parse, is kept)."""
    folder = gate_dirs[1]
    for database in folder.glob("cpc_tor.duckdb*"):
        database.unlink()
    return folder


def _build_cpc(raw: Path, work: Path, *extra: str):
    # eager indirect selection (dbt's default, what a user runs): every test touching a
    # selected model runs, so no test may need a node outside the selection
    return run_dbt(
        ["build", "--select", "+fct_commune_cpc", "--indirect-selection", "eager", *extra],
        work,
        {"raw_dir": str(raw), **VARS},
        check=False,
    )


def _reset(minimal_raw: Path, gate_dirs: tuple[Path, Path]) -> tuple[Path, Path]:
    """The module's raw path holding a fresh copy of the minimal folder, and its work
    folder without a database."""
    raw, work = gate_dirs
    shutil.rmtree(raw, ignore_errors=True)
    shutil.copytree(minimal_raw, raw)
    for database in work.glob("cpc_tor.duckdb*"):
        database.unlink()
    return raw, work


def _statuses(work: Path) -> dict[str, str]:
    """Each node's status in the last invocation, by the name of its test or model."""
    results = json.loads((work / "target" / "run_results.json").read_text())["results"]
    return {r["unique_id"].split(".")[2]: r["status"] for r in results}


RENNES_ALLOCATION = """select tile_id, code_com from intermediate.int_tiles_allocated_to_communes
    where city = 'Rennes' order by tile_id, code_com"""


@pytest.fixture(scope="module")
def good(minimal_raw, gate_dirs) -> dict:
    """The unfaulted build, and what the tests read of it (its database is gone when
    the next test of the module builds)."""
    raw, work = _reset(minimal_raw, gate_dirs)
    proc = _build_cpc(raw, work)
    assert proc.returncode == 0, dbt_output(proc)[-4000:]
    return {
        "cpc": query(
            work,
            "select count(*), count(distinct city) from marts.fct_commune_cpc where c is not null",
        )[0],
        "rennes_allocation": query(work, RENNES_ALLOCATION),
    }


def test_minimal_raw_folder_builds_fct_commune_cpc(minimal_raw, good):
    assert sorted(p.name for p in minimal_raw.iterdir()) == ["admin", "insee", "netmob"]
    n, cities = good["cpc"]
    assert n >= 3 * len(CITIES) and cities == len(CITIES)


# the gates that are dbt tests (on the parse and on the listing) all run in one build,
# one fault per file: each names its own file
DUPLICATED_DAY = Path("netmob/Nice/Tor/20190330/Nice_Tor_20190330_DL.txt")
STRAY_COPY = Path("netmob/Dijon/Tor/20190330/Dijon_Tor_20190330_DL (copy).txt")


@pytest.fixture(scope="module")
def tested_faults(minimal_raw, gate_dirs, good) -> dict:
    raw, work = _reset(minimal_raw, gate_dirs)
    # traffic from a tile id absent from the city's GeoJSON
    unknown = raw / TOR_DAY
    unknown.write_text(unknown.read_text() + "777777 " + " ".join(["2.5"] * 96) + "\n")
    # a tile row twice in one file
    duplicated = raw / DUPLICATED_DAY
    lines = duplicated.read_text().splitlines(keepends=True)
    duplicated.write_text("".join([*lines, lines[3]]))
    # a file no var calls for, in a day folder
    stray = raw / STRAY_COPY
    shutil.copy(stray.with_name(stray.name.replace(" (copy)", "")), stray)
    proc = _build_cpc(raw, work)
    return {
        "returncode": proc.returncode,
        "out": dbt_output(proc),
        "status": _statuses(work),
        "unknown": unknown,
        "duplicated": duplicated,
        "duplicated_tile": int(lines[3].split()[0]),
    }


def _test_status(faults: dict, prefix: str) -> list[str]:
    return [status for name, status in faults["status"].items() if name.startswith(prefix)]


def test_unknown_tile_id_fails_naming_file_and_tile(tested_faults):
    out = tested_faults["out"]
    assert tested_faults["returncode"] != 0
    assert _test_status(
        tested_faults, "traffic_share_at_most_int_traffic_parsed_by_partition_unknown"
    ) == ["error"]
    assert "unknown_tile traffic above 0.0" in out
    assert f"{tested_faults['unknown']} (tiles 777777)" in out
    assert "Rennes Tor DL: share" in out


def test_duplicated_tile_row_fails_naming_file_and_tile(tested_faults):
    # the gate on the parse stops its query with an error that names the file and the
    # tile, from the packed tile totals (macro fail_naming)
    assert _test_status(tested_faults, "no_duplicated_tile_rows_int_traffic") == ["error"]
    path, tile = tested_faults["duplicated"], tested_faults["duplicated_tile"]
    assert f"{path}: tile {tile} is on 2 rows; expected one row per tile" in tested_faults["out"]


def test_stray_file_in_a_day_folder_warns_naming_it(tested_faults):
    # severity warn: the test passes, and its warning names the file (macro fail_naming)
    assert _test_status(tested_faults, "no_unexpected_files") == ["pass"]
    out = tested_faults["out"]
    assert "WARNING: NetMob day folders hold files the vars do not call for (not read)" in out
    assert str(STRAY_COPY).split("/", 1)[1] in out


def test_non_numeric_value_fails_naming_file(raw, work):
    path = raw / TOR_DAY
    edit_line(path, 2, lambda line: " ".join([line.split()[0], "n/a", *line.split()[2:]]) + "\n")
    proc = _build_cpc(raw, work)
    out = dbt_output(proc)
    assert proc.returncode != 0
    assert str(path) in out and re.search(r"[Ll]ine:? *2\b", out)
    assert "Could not convert string \"n/a\" to 'DOUBLE'" in out


def test_truncated_row_fails_naming_file(raw, work):
    path = raw / TOR_DAY
    edit_line(path, 4, lambda line: " ".join(line.split()[:50]) + "\n")
    proc = _build_cpc(raw, work)
    out = dbt_output(proc)
    assert proc.returncode != 0
    assert str(path) in out and "Expected Number of Columns: 97 Found: 50" in out


def test_missing_file_fails_naming_every_missing_file(raw, work):
    other = raw / "netmob/Dijon/YouTube/20190330/Dijon_YouTube_20190330_DL.txt"
    (raw / TOR_DAY).unlink()
    other.unlink()
    proc = _build_cpc(raw, work)
    out = dbt_output(proc)
    assert proc.returncode != 0
    assert "missing NetMob files: 2 failing" in out
    for path in (raw / TOR_DAY, other):
        assert f"{path}: expected by the vars" in out
    # the gate ran before the parse: the parse was skipped, not failed
    assert re.search(r"SKIP relation \S*int_traffic_parsed_by_partition", out)


def test_negative_value_is_located(raw, work):
    path = raw / TOR_DAY
    edit_line(path, 3, lambda line: " ".join([*line.split()[:5], "-1.5", *line.split()[6:]]) + "\n")
    tile = int(path.read_text().splitlines()[2].split()[0])
    proc = _build_cpc(raw, work)
    out = dbt_output(proc)
    assert proc.returncode != 0
    assert f"{path}: tile {tile} has a daily total of" in out
    assert "a smallest value of -1.5; expected a tile id in [0, 8388607], no negative value" in out


def test_shapefile_without_prj_is_refused_naming_it(raw, tmp_path, full_raw):
    for part in (full_raw / "admin").glob("COMMUNE.*"):
        if part.suffix != ".prj":
            shutil.copy(part, raw / "admin")
    proc = run_dbt(
        ["build", "--select", "stg_admin__communes"],
        tmp_path / "work",
        {"raw_dir": str(raw), **VARS, "admin_communes_path": "admin/COMMUNE.shp"},
        check=False,
    )
    out = dbt_output(proc)
    assert proc.returncode != 0
    assert f"{raw / 'admin' / 'COMMUNE.shp'}: the geometry declares no coordinate reference" in out


def test_tile_geojson_in_lambert93_is_reprojected(raw, work, minimal_raw, good):
    """A city's tiles in Lambert-93 with a `crs` member give the same allocation as
    WGS84 (the unfaulted build's)."""
    path = raw / "netmob" / "Rennes" / "Rennes.geojson"
    with connect(":memory:") as con:
        con.execute(
            f"copy (select tile_id, st_transform(geom, 'EPSG:4326', 'EPSG:2154', always_xy := true)"
            f" as geom from st_read('{minimal_raw / 'netmob/Rennes/Rennes.geojson'}'))"
            f" to '{path}' (format gdal, driver 'GeoJSON', srs 'EPSG:2154')"
        )
    assert '"crs"' in path.read_text()[:300]
    run_dbt(
        ["build", "--select", "+int_tiles_allocated_to_communes"],
        work,
        {"raw_dir": str(raw), **VARS},
    )
    rows = query(
        work,
        """select city, source_crs, count(*) from staging.stg_netmob__tiles
        group by city, source_crs order by city""",
    )
    assert rows == [
        ("Dijon", "EPSG:4326", 24),
        ("Nice", "EPSG:4326", 24),
        ("Rennes", "EPSG:2154", 24),
    ]
    assert query(work, RENNES_ALLOCATION) == good["rennes_allocation"]

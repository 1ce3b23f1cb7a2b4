"""The NetMob spine on Spark (docs/method.md section 16): the three stages of `make spark`
(analysis_py.engines.spark_path) on a small sample (2 cities x 3 services x 8 days, the
clock-change day included), against the DuckDB build of the same files and vars. One
JVM for the module (analysis_py.engines.dbt_session), which the tests check.

- Parity: every published mart computed from the spine (fct_commune_cpc,
  fct_commune_correction_factors, the sensitivity, composition, heatmaps, ...:
  parity.DEFAULT_MARTS) is equal (integers exactly, doubles within 1e-9 relative), the
  communes rank identically, and the drift suite against the DuckDB publication passes.
- Strictness: a non-numeric value and a short row stop the Spark stage naming the file;
  a missing file stops stage 1 (the listing's tests) naming the file, before Spark.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import run_dbt

from analysis_py.engines.dbt_session import SparkDbt
from analysis_py.engines.spark_path import StageFailed, run_stages
from analysis_py.publication import parity, quality
from analysis_py.publication import publish as pub
from analysis_py.synth import Options, generate

pytestmark = pytest.mark.spark

CITIES = ("Nice", "Rennes")
# the eight days to the clock change (2019-03-31): every day of the week, two Sundays
VARS = {"netmob_cities": list(CITIES), "study_start": "2019-03-24", "study_end": "2019-03-31"}
BAD_FILE = "netmob/Nice/Tor/20190330/Nice_Tor_20190330_DL.txt"


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    folder = tmp_path_factory.mktemp("spark_raw")
    generate(
        Options(
            out=folder,
            seed=11,
            cities=CITIES,
            n_days=8,
            start="2019-03-24",
            tiles_per_city=40,
            communes_per_city=14,
            n_queries=2000,
            progress=False,
        )
    )
    return folder


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    """One JVM for every Spark build of this module (their warehouse is its own)."""
    with SparkDbt(tmp_path_factory.mktemp("spark_warehouse")) as session:
        yield session


@pytest.fixture(scope="module")
def spark_build(raw, spark, tmp_path_factory):
    work = tmp_path_factory.mktemp("spark_path")
    seconds = run_stages(work, {"raw_dir": str(raw), **VARS}, spark=spark)
    return work, seconds


def _publish(work):
    return pub.publish(work / "cpc_tor.duckdb", work / "target", work / "publish")


def test_spark_path_publishes_the_duckdb_marts(raw, spark_build, tmp_path):
    work, seconds = spark_build
    assert set(seconds) == {
        "stage 1 (DuckDB: allocation, listing)",
        "stage 2 (Spark: spine)",
        "stage 3 (DuckDB: the rest)",
    }
    duck = tmp_path / "duckdb"
    run_dbt(["build"], duck, {"raw_dir": str(raw), **VARS})
    a = _publish(duck)
    # the drift suite compares the Spark build with the DuckDB publication (spine_engine
    # is not a setting that changes the marts) and finds them equal
    results = quality.validate_database(work / "cpc_tor.duckdb", a)
    drift = [(r.status, r.failures) for r in results if r.mart.startswith("drift")]
    assert drift == [("passed", [])] * 4
    b = _publish(work)
    assert parity.compare(a, b) == []
    # the comparison is not vacuous: the two engines' doubles differ in the last bits
    assert parity.compare(a, b, rtol=0, atol=0) != []


def _broken_raw(raw, tmp_path, edit):
    folder = tmp_path / "raw"
    shutil.copytree(raw, folder)
    path = folder / BAD_FILE
    lines = path.read_text().splitlines()
    lines[4] = edit(lines[4])
    path.write_text("\n".join(lines) + "\n")
    return folder


@pytest.mark.parametrize(
    "edit",
    [
        lambda line: line.split(" ", 2)[0] + " abc " + line.split(" ", 2)[2],
        lambda line: line.rsplit(" ", 1)[0],
    ],
    ids=["non_numeric_value", "short_row"],
)
def test_bad_text_stops_the_spark_stage_naming_the_file(raw, spark, spark_build, tmp_path, edit):
    """Stage 2 on a copy of the raw folder with one broken line (stage 1's hand-over
    of the good build is reused: the allocation does not read the text)."""
    work, _ = spark_build
    broken = _broken_raw(raw, tmp_path, edit)
    scratch = tmp_path / "work"
    shutil.copytree(work / "handover", scratch / "handover")
    with pytest.raises(StageFailed) as failure:
        run_stages(scratch, {"raw_dir": str(broken), **VARS}, stages=(2,), spark=spark)
    message = str(failure.value)
    assert message.startswith("stage 2 (Spark) failed")
    assert str(broken / BAD_FILE) in message
    assert "MALFORMED_RECORD_IN_PARSING" in message
    # the JVM started once for the module: every invocation ran in one Spark application
    assert len(spark.applications) >= 4 and len(set(spark.applications)) == 1


def test_missing_file_stops_before_spark_naming_it(raw, tmp_path):
    """As `cpc-tor spark` runs the stages: in a session of their own."""
    folder = tmp_path / "raw"
    shutil.copytree(raw, folder)
    (folder / BAD_FILE).unlink()
    with pytest.raises(StageFailed) as failure:
        run_stages(tmp_path / "work", {"raw_dir": str(folder), **VARS}, stages=(1, 2, 3))
    message = str(failure.value)
    assert message.startswith("stage 1 (DuckDB) failed")
    assert BAD_FILE.split("/", 1)[1] in message

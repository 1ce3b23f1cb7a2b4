"""Quality suites, safe publication, determinism and privacy of the published marts.

A small raw folder (two cities, one week) is generated once and built twice, into two
databases, from the same inputs and vars. The tests then publish, break and interrupt.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, query, run_dbt

from analysis_py import publish as pub
from analysis_py import quality
from analysis_py.synth import Options, generate

CITIES = ("Nice", "Rennes")
VARS = {"netmob_cities": list(CITIES), "study_start": "2019-03-16", "study_end": "2019-03-22"}
MIN_TILES = 3


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    root = tmp_path_factory.mktemp("publication")
    raw = root / "raw"
    generate(
        Options(
            out=raw,
            seed=7,
            cities=CITIES,
            n_days=7,
            tiles_per_city=40,
            communes_per_city=14,
            n_queries=2000,
            progress=False,
        )
    )
    works = []
    for name in ("a", "b"):
        work = root / name
        run_dbt(["build"], work, {"raw_dir": str(raw), **VARS})
        works.append(work)
    # a population threshold that suppresses some communes of this small sample
    pops = sorted(p for (p,) in query(works[0], "select pop from marts.fct_commune_cpc"))
    return {"raw": raw, "a": works[0], "b": works[1], "min_population": pops[len(pops) // 4]}


def _publish(work: Path, out: Path, min_population: int, **kwargs) -> Path:
    return pub.publish(
        work / "cpc_tor.duckdb", work / "target", out, min_population, MIN_TILES, **kwargs
    )


def _current(out: Path) -> Path:
    return (out / "current").resolve()


def _read(version: Path, sql: str):
    with duckdb.connect(str(version / pub.PUBLICATION_DB), read_only=True) as con:
        return con.execute(sql).fetchall()


# ------------------------------------------------------------------ quality suites


def test_suites_pass_on_a_good_build(builds):
    results = quality.validate_database(builds["a"] / "cpc_tor.duckdb")
    assert {r.status for r in results} == {"passed"}, [r for r in results if r.failures]


def test_broken_mart_fails_its_suite(builds, tmp_path):
    broken = tmp_path / "broken.duckdb"
    shutil.copy(builds["a"] / "cpc_tor.duckdb", broken)
    with duckdb.connect(str(broken)) as con:
        con.execute(
            "update marts.fct_commune_cpc set c = 2.5 "
            "where code_com = (select min(code_com) from marts.fct_commune_cpc)"
        )
        con.execute("update marts.fct_validation_correlations set p_value = -0.1")
    out = tmp_path / "gx.json"
    proc = subprocess.run(
        [sys.executable, "-m", "analysis_py.quality", "--db", str(broken), "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    failed = {r["mart"]: r["failures"] for r in json.loads(out.read_text()) if r["failures"]}
    assert set(failed) == {"fct_commune_cpc", "fct_validation_correlations"}
    assert any("'column': 'c'" in f for f in failed["fct_commune_cpc"])
    assert any("'column': 'p_value'" in f for f in failed["fct_validation_correlations"])


def test_publication_refuses_failed_suites(builds, tmp_path):
    results = tmp_path / "gx.json"
    results.write_text(json.dumps([{"mart": "fct_commune_cpc", "status": "failed"}]))
    with pytest.raises(pub.PublicationRefused, match="Great Expectations suites failed"):
        _publish(builds["a"], tmp_path / "out", builds["min_population"], quality_results=results)
    assert not (tmp_path / "out" / "current").exists()


# ------------------------------------------------------------------ determinism


def test_two_builds_publish_byte_identical_parquet(builds, tmp_path):
    a = _publish(builds["a"], tmp_path / "out_a", builds["min_population"])
    b = _publish(builds["b"], tmp_path / "out_b", builds["min_population"])
    files_a = sorted(p.name for p in a.glob("*.parquet"))
    assert files_a == sorted(p.name for p in b.glob("*.parquet"))
    assert "fct_commune_cpc.parquet" in files_a and len(files_a) >= 15
    for name in files_a:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


# ------------------------------------------------------------------ privacy


@pytest.fixture(scope="module")
def published(builds, tmp_path_factory):
    out = tmp_path_factory.mktemp("published")
    return _publish(builds["a"], out, builds["min_population"])


def _published_columns(version: Path) -> dict[str, list[str]]:
    with duckdb.connect() as con:
        describe = "describe select * from read_parquet('{}')"
        return {
            p.stem: [r[0] for r in con.execute(describe.format(p)).fetchall()]
            for p in sorted(version.glob("*.parquet"))
        }


def test_no_tile_or_location_column_is_published(published):
    columns = _published_columns(published)
    location = re.compile(r"tile_?id|geom|^(lon|lat)|_(lon|lat)$|longitude|latitude|^[xy]$")
    for mart, cols in columns.items():
        for c in cols:
            assert not location.search(c), (mart, c)
    # the internal tile-level and query-level tables stay out
    assert not any(m.startswith(("int_", "stg_")) for m in columns)
    assert "fct_query_classifications" not in columns and "fct_assessment_labels" not in columns
    # the read-only DuckDB file holds the same tables
    tables = {r[0] for r in _read(published, "select table_name from information_schema.tables")}
    assert tables == set(columns)


def test_no_published_traffic_value_is_a_single_tiles_value(builds, published):
    tile_totals = {
        round(v, 6)
        for (v,) in query(
            builds["a"],
            """select total_traffic from intermediate.int_traffic_aggregated_to_tiles
            where service = 'Tor' and direction = 'DL' and total_traffic > 0""",
        )
    }
    commune_totals = _read(
        published, "select tor_dl, n_contributing_tiles, is_few_tiles from marts.fct_commune_cpc"
    )
    assert any(n == 1 for _, n, _ in commune_totals)  # the sample has one-tile communes
    assert any(n >= MIN_TILES for _, n, _ in commune_totals)
    shown = {round(v, 6) for v, _, _ in commune_totals if v is not None}
    assert not shown & tile_totals
    for tor, n_tiles, few in commune_totals:
        assert few == (n_tiles < MIN_TILES) and (tor is None) == few
    # internally the totals of communes with one Tor tile are exactly that tile's total
    internal = {
        round(v, 6)
        for (v,) in query(
            builds["a"],
            """select tor_dl from marts.fct_commune_cpc
            where n_contributing_tiles = 1 and tor_dl > 0""",
        )
    }
    assert internal and internal <= tile_totals


def test_small_communes_are_flagged_and_their_rates_suppressed(builds, published):
    threshold = builds["min_population"]
    internal = dict(query(builds["a"], "select code_com, pop from marts.fct_commune_cpc"))
    rows = _read(
        published,
        "select code_com, pop, cpc_per_1000, log_tor_per_1000, is_small_population, "
        "is_few_tiles from marts.fct_commune_cpc",
    )
    small = {r[0] for r in rows if r[4]}
    assert small == {code for code, pop in internal.items() if pop < threshold}
    assert 0 < len(small) < len(rows)
    for code, pop, rate, log_rate, is_small, few in rows:
        if is_small:
            assert pop is None and rate is None and log_rate is None
        elif not few:
            assert pop == internal[code] and rate is not None
    features = _read(
        published,
        "select pop, log_cpc_per_1000, is_small_population from marts.fct_commune_features",
    )
    assert all(p is None and r is None for p, r, s in features if s)
    record = json.loads((published / "publication.json").read_text())
    assert record["min_population"] == threshold and record["min_tiles"] == MIN_TILES


def test_intervals_are_suppressed_wherever_their_value_is(builds, published):
    """Every published `<value>_ci_low` / `_ci_high` beside a `<value>` column is NULL
    on each row where the publication suppressed the value (small population, few
    tiles), in every mart; and some rows keep both."""
    checked = 0
    for mart, columns in _published_columns(published).items():
        for column in columns:
            if not column.endswith("_ci_low") or column[: -len("_ci_low")] not in columns:
                continue
            value = column[: -len("_ci_low")]
            rows = _read(
                published, f'select "{value}", "{column}", "{value}_ci_high" from marts."{mart}"'
            )
            internal = query(builds["a"], f'select count("{value}") from marts."{mart}"')[0][0]
            shown = [r for r in rows if r[0] is not None]
            assert all(r[1] is None and r[2] is None for r in rows if r[0] is None), (mart, value)
            if value.startswith("cpc_per_1000"):
                assert len(shown) < internal, (mart, value)  # the rule did suppress some
                assert any(r[1] is not None for r in shown), (mart, value)
            checked += 1
    # cpc_per_1000 in fct_commune_cpc and fct_commune_correction_factors, cpc, rho, c
    assert checked >= 5


def test_lisa_is_suppressed_for_small_communes(builds, published):
    """fct_commune_lisa's commune-level columns (meta privacy small_area) are NULL for
    the communes under the population threshold, as their cpc rates are."""
    threshold = builds["min_population"]
    internal = dict(query(builds["a"], "select code_com, pop from marts.fct_commune_cpc"))
    rows = _read(
        published,
        "select code_com, local_i, p_value, quadrant, is_significant, is_small_population "
        "from marts.fct_commune_lisa",
    )
    small = [r for r in rows if internal[r[0]] < threshold]
    assert small and len(small) < len(rows)
    for code, local_i, p, quadrant, significant, is_small in rows:
        hidden = (local_i, p, quadrant, significant) == (None, None, None, None)
        assert is_small == (internal[code] < threshold) == hidden, code
    record = json.loads((published / "publication.json").read_text())
    assert set(record["tables"]["fct_commune_lisa"]["suppressed_columns"]) >= {
        "local_i",
        "p_value",
        "quadrant",
        "is_significant",
        "pop",
    }


def test_a_mart_with_a_tile_column_is_refused(tmp_path):
    with duckdb.connect(str(tmp_path / "leak.duckdb")) as con:
        con.execute("create schema marts")
        con.execute("create table marts.fct_leak as select 1 as tile_id, 2.0 as tor_dl")
        with pytest.raises(pub.PublicationRefused, match=r"fct_leak carries .*tile_id"):
            pub._privacy_select(con, pub.Mart("fct_leak", "", {}), 500, MIN_TILES)


# ------------------------------------------------------------------ safe publication


def test_failing_build_is_not_published_and_previous_stays(builds, tmp_path):
    out = tmp_path / "out"
    first = _publish(builds["a"], out, builds["min_population"])
    # a real failing build: a NetMob file goes missing, the listing's gate fails
    raw = tmp_path / "raw"
    shutil.copytree(builds["raw"], raw)
    next(raw.glob("netmob/Nice/Tor/*/*.txt")).unlink()
    work = tmp_path / "c"
    shutil.copytree(builds["a"], work)
    proc = run_dbt(
        ["build", "--select", "+fct_netmob_file_audit"],
        work,
        {"raw_dir": str(raw), **VARS},
        check=False,
    )
    assert proc.returncode != 0
    with pytest.raises(pub.PublicationRefused, match="failures"):
        _publish(work, out, builds["min_population"])
    assert _current(out) == first
    assert _read(_current(out), "select count(*) from marts.fct_commune_cpc")[0][0] > 0


def test_interrupted_publication_leaves_previous_intact(builds, tmp_path):
    out = tmp_path / "out"
    first = _publish(builds["a"], out, builds["min_population"])
    before = _read(first, "select * from marts.fct_commune_cpc order by all")
    with pytest.raises(RuntimeError, match="interrupted"):
        _publish(builds["a"], out, builds["min_population"], fail_after=3)
    assert _current(out) == first
    assert _read(_current(out), "select * from marts.fct_commune_cpc order by all") == before
    leftovers = list((out / "versions").glob(".incomplete-*"))
    assert len(leftovers) == 1 and len(list(leftovers[0].glob("*.parquet"))) == 3


READER = textwrap.dedent(
    """
    import sys, duckdb
    con = duckdb.connect(sys.argv[1] + "/current/cpc_tor_marts.duckdb", read_only=True)
    sql = "select count(*), sum(c) from marts.fct_commune_cpc"
    print(con.execute(sql).fetchone(), flush=True)
    sys.stdin.readline()
    print(con.execute(sql).fetchone(), flush=True)
    """
)


def test_reader_holding_the_publication_does_not_block_builds(builds, tmp_path):
    out = tmp_path / "out"
    first = _publish(builds["a"], out, builds["min_population"])
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        seen = reader.stdout.readline()
        assert seen.startswith("(")
        # a build (another correction method) and publications while the reader holds on
        work = tmp_path / "a"
        shutil.copytree(builds["a"], work)
        run_dbt(
            ["build", "--select", "fct_commune_cpc"],
            work,
            {"raw_dir": str(builds["raw"]), **VARS, "correction_method": "spearman"},
        )
        for _ in range(pub.KEEP_VERSIONS + 1):  # enough to prune the reader's version
            latest = _publish(work, out, builds["min_population"])
        assert _current(out) == latest and not first.exists()
        after = reader.communicate("\n", timeout=60)
    finally:
        reader.kill()
    assert reader.returncode == 0, after[1]
    assert after[0].strip() == seen.strip()  # the reader kept its version
    new = _read(latest, "select count(*), sum(c) from marts.fct_commune_cpc")[0]
    assert str(new) != seen.strip()  # and new readers see the new build

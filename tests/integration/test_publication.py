"""Quality suites, safe publication and privacy of the published marts.

The default build (`make run`'s, on the sample) is the build published here; the tests
publish, break and interrupt copies. That a second build publishes the same bytes is
test_incremental_ingestion's (a cold re-parse, then warm builds).
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
from conftest import BUILT_DB, ROOT, copy_build, query, run_dbt

from analysis_py.publication import publish as pub
from analysis_py.publication import quality
from analysis_py.publication.manifest import PublicationRefused, exposure_gaps, published_marts

MIN_TILES = 3


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    root = tmp_path_factory.mktemp("publication")
    a = copy_build(root / "a")
    # a population threshold that suppresses some communes of the sample
    pops = sorted(p for (p,) in query(a, "select pop from marts.fct_commune_cpc") if p)
    return {"a": a, "min_population": pops[len(pops) // 4]}


def _publish(work: Path, out: Path, min_population: int, **kwargs) -> Path:
    return pub.publish(
        work / "cpc_tor.duckdb", work / "target", out, min_population, MIN_TILES, **kwargs
    )


def _current(out: Path) -> Path:
    return (out / "current").resolve()


def _read(version: Path, sql: str):
    with duckdb.connect(str(version / pub.PUBLICATION_DB), read_only=True) as con:
        return con.execute(sql).fetchall()


# ------------------------------------------------------------------ determinism


def test_the_same_build_publishes_the_same_bytes(builds, tmp_path):
    """`make run`'s database and a copy of it publish the same Parquet, byte for byte
    (one thread, a fixed row order); only dim_publication's version differs."""
    a = pub.publish(BUILT_DB, BUILT_DB.parent, tmp_path / "out_a")
    b = pub.publish(builds["a"] / "cpc_tor.duckdb", builds["a"] / "target", tmp_path / "out_b")
    files = sorted(p.name for p in a.glob("*.parquet"))
    assert files == sorted(p.name for p in b.glob("*.parquet"))
    assert "fct_commune_cpc.parquet" in files and len(files) >= 15
    for name in files:
        if name == f"{pub.PUBLICATION_TABLE}.parquet":
            continue  # it names its publication (version): the other columns are compared
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    with duckdb.connect() as con:
        rows = [
            con.execute(
                f"select * exclude (publication_version) from read_parquet('{folder}/"
                f"{pub.PUBLICATION_TABLE}.parquet')"
            ).fetchall()
            for folder in (a, b)
        ]
    assert rows[0] == rows[1] and len(rows[0]) == 1


# ------------------------------------------------------------------ quality suites


def test_suites_pass_on_a_good_build(builds):
    results = quality.validate_database(builds["a"] / "cpc_tor.duckdb")
    drift = [r for r in results if r.mart == "drift"]
    assert drift == [quality.SuiteResult("drift", "skipped", [], "no previous publication")]
    others = [r for r in results if r.mart != "drift"]
    assert {r.status for r in others} == {"passed"}, [r for r in others if r.failures]


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
        [
            sys.executable,
            "-m",
            "analysis_py.cli",
            "quality",
            "--db",
            str(broken),
            "--json",
            str(out),
        ],
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
    with pytest.raises(PublicationRefused, match="Great Expectations suites failed"):
        _publish(builds["a"], tmp_path / "out", builds["min_population"], quality_results=results)
    assert not (tmp_path / "out" / "current").exists()


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
    # internally the total of a commune with one Tor tile is that tile's total (less the
    # slots the outage filter dropped): one tile's value, which the rule keeps out
    pairs = query(
        builds["a"],
        """select cpc.tor_dl, tiles.total_traffic
        from marts.fct_commune_cpc as cpc
        inner join intermediate.int_tiles_allocated_to_communes as allocation
            on cpc.code_com = allocation.code_com
        inner join intermediate.int_traffic_aggregated_to_tiles as tiles
            on allocation.city = tiles.city and allocation.tile_id = tiles.tile_id
        where cpc.n_contributing_tiles = 1 and tiles.service = 'Tor' and tiles.total_traffic > 0""",
    )
    assert pairs
    for tor, tile in pairs:
        assert 0.95 * tile <= tor <= tile


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
    """fct_commune_lisa's commune-level columns (meta privacy min_population) are NULL for
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


def test_failing_build_is_not_published_and_previous_stays(builds, tmp_path):
    out = tmp_path / "out"
    first = _publish(builds["a"], out, builds["min_population"])
    # a real failing build: a study day past the sample's, whose files are missing, so
    # the listing's gate fails
    work = copy_build(tmp_path / "c")
    proc = run_dbt(
        ["build", "--select", "+fct_netmob_file_audit"],
        work,
        {"netmob_cities": ["Nice"], "study_end": "2019-06-01"},
        check=False,
    )
    assert proc.returncode != 0
    with pytest.raises(PublicationRefused, match="failures"):
        _publish(work, out, builds["min_population"])
    assert _current(out) == first
    assert _read(_current(out), "select count(*) from marts.fct_commune_cpc")[0][0] > 0


def test_a_partial_build_with_other_vars_is_refused(builds, tmp_path):
    """The issue's case: `dbt build --select fct_commune_cpc --vars '{correction_method:
    spearman}'` on a built database, then the publisher. fct_commune_cpc would say
    spearman while the settings mart, the features and the regressions say pearson: the
    publisher refuses, naming the marts not rebuilt and the var that differs."""
    work = copy_build(tmp_path / "partial")
    run_dbt(["build", "--select", "fct_commune_cpc"], work, {"correction_method": "spearman"})
    out = tmp_path / "out"
    with pytest.raises(PublicationRefused) as refused:
        _publish(work, out, builds["min_population"])
    message = str(refused.value)
    assert "not built by the last dbt invocation (dbt build --select fct_commune_cpc" in message
    assert "'dim_build_settings'" in message and "'fct_regressions'" in message
    assert "'fct_commune_cpc'" not in message.split("not built")[1].split("]")[0]
    assert "correction_method: 'spearman' given, 'pearson' recorded" in message
    assert not (out / "current").exists()


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
        # the database rewritten (other values of c) and publications while the reader
        # holds on
        work = copy_build(tmp_path / "a")
        with duckdb.connect(str(work / "cpc_tor.duckdb")) as con:
            con.execute("update marts.fct_commune_cpc set c = 2 * c")
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


# ------------------------------------------------------------------ documentation and types


def test_every_published_column_is_documented_in_duckdb_and_parquet(published):
    """Every column of every published table has a non-empty comment in the read-only
    DuckDB file and a description in its Parquet file (Arrow field metadata), and each
    table its description; the texts are the YAML's (checked on one column)."""
    import pyarrow.parquet as pq

    with duckdb.connect(str(published / pub.PUBLICATION_DB), read_only=True) as con:
        columns = con.execute(
            "select table_name, column_name, comment from duckdb_columns() "
            "where schema_name = 'marts'"
        ).fetchall()
        tables = con.execute(
            "select table_name, comment from duckdb_tables() where schema_name = 'marts'"
        ).fetchall()
    assert len(columns) > 300
    assert [c for c in columns if not (c[2] or "").strip()] == []
    assert [t for t in tables if not (t[1] or "").strip()] == []
    for path in sorted(published.glob("*.parquet")):
        schema = pq.read_schema(path)
        assert schema.metadata[b"description"].strip(), path.name
        for field in schema:
            assert (field.metadata or {}).get(b"description", b"").strip(), (path.name, field.name)
    comment = dict(((t, c), d) for t, c, d in columns)[("fct_commune_cpc", "n_tiles_weighted")]
    assert comment.startswith("Sum of those tiles' allocation weights")


def test_types_read_right_in_pandas_and_arrow(published):
    """Counts are integers (nullable where suppressed), GeoJSON is text, dates are dates."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    cpc = pd.read_parquet(published / "fct_commune_cpc.parquet")
    assert cpc["pop"].isna().any()  # suppressed for small communes
    for column in ("pop", "n_tiles", "n_contributing_tiles", "n_hours"):
        assert str(cpc[column].dtype) == "Int64", column
    heat = pq.read_schema(published / "fct_heatmap_day_hour.parquet")
    assert heat.field("n_contributing_tiles").type == pa.int64()
    shapes = pq.read_schema(published / "dim_commune_boundaries.parquet")
    assert shapes.field("commune_boundary_geojson").type == pa.string()
    audit = pq.read_schema(published / "fct_netmob_file_audit.parquet")
    assert audit.field("day").type == pa.date32()
    settings = pq.read_schema(published / "dim_build_settings.parquet")
    assert settings.field("study_start").type == pa.date32()


def test_privacy_classes_cover_every_rate_and_traffic_column(builds, published):
    """The privacy classes are declared in the YAML (column meta), not guessed from
    names; this independent check guesses from names and finds every per-1000 rate of
    a table with a population, and every traffic value of a table with a tile count,
    declared and suppressed."""
    record = json.loads((published / "publication.json").read_text())
    traffic = re.compile(r"(^|_)(tor|web_adult|youtube|cpc|traffic)($|_)")
    counts = re.compile(r"_lag_hours$|^n_|^traffic_source$")
    for mart, columns in _published_columns(published).items():
        suppressed = set(record["tables"][mart]["suppressed_columns"])
        for c in columns:
            if counts.search(c) or c.startswith("is_"):
                continue
            if "pop" in columns and ("per_1000" in c or c == "pop"):
                assert c in suppressed, (mart, c)
            if "n_contributing_tiles" in columns and traffic.search(c):
                assert c in suppressed, (mart, c)


def test_a_mart_published_but_not_in_an_exposure_is_refused(builds, tmp_path):
    """exposure_gaps finds nothing on the real manifest; a mart added to the
    publication (a new mart of schema marts) but to no exposure makes the publisher
    refuse, naming it; so does an exposure listing a mart that is not published."""
    manifest = json.loads((builds["a"] / "target" / "manifest.json").read_text())
    marts = [m.name for m in published_marts(manifest)]
    assert exposure_gaps(manifest, marts) == []
    assert exposure_gaps(manifest, [*marts, "fct_new_mart"]) == [
        "published but listed by no publication exposure: ['fct_new_mart']"
    ]
    gaps = exposure_gaps(manifest, [m for m in marts if m != "fct_commune_cpc"])
    assert any("not published: ['fct_commune_cpc']" in g for g in gaps)
    # end to end: a build whose database and manifest hold one more mart
    work = copy_build(tmp_path / "extra")
    with duckdb.connect(str(work / "cpc_tor.duckdb")) as con:
        con.execute("create table marts.fct_new_mart as select 1 as n_things")
    node = json.loads(json.dumps(manifest["nodes"]["model.cpc_tor.fct_global_composition"]))
    node.update(
        name="fct_new_mart",
        unique_id="model.cpc_tor.fct_new_mart",
        description="A new mart.",
        columns={"n_things": {"name": "n_things", "description": "Things."}},
    )
    manifest["nodes"][node["unique_id"]] = node
    (work / "target" / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(PublicationRefused, match=r"no publication exposure: \['fct_new_mart'\]"):
        _publish(work, tmp_path / "out", builds["min_population"])


def _doctored(version: Path, tmp_path: Path, mart: str, sql: str) -> Path:
    """A copy of a publication whose ``mart`` Parquet is rewritten by ``sql`` (over
    ``t``): the 'previous publication' of a drift test."""
    previous = tmp_path / "previous"
    shutil.copytree(version, previous)
    path = previous / f"{mart}.parquet"
    with duckdb.connect() as con:
        con.execute(f"create table t as select * from read_parquet('{path}')")
        con.execute(sql)
        con.execute(f"copy t to '{path}' (format parquet)")
    return previous


def _drift(builds, previous: Path) -> dict[str, quality.SuiteResult]:
    results = quality.validate_database(builds["a"] / "cpc_tor.duckdb", previous)
    return {r.mart: r for r in results if r.mart.startswith("drift")}


def test_drift_passes_against_the_same_build(builds, published):
    drift = _drift(builds, published)
    assert {r.status for r in drift.values()} == {"passed"} and len(drift) == 4


def test_drift_fails_when_the_row_count_moves(builds, published, tmp_path):
    """The previous publication had 10 % more communes: past the 5 % bound."""
    previous = _doctored(
        published,
        tmp_path,
        "fct_commune_cpc",
        "insert into t select * from t using sample 10 percent (reservoir, 1)",
    )
    drift = _drift(builds, previous)
    assert drift["drift:fct_commune_cpc"].status == "failed"
    assert "expect_table_row_count_to_be_between" in drift["drift:fct_commune_cpc"].failures[0]
    assert drift["drift:fct_validation_correlations"].status == "passed"


def test_drift_fails_when_mean_rho_moves_and_the_publication_is_refused(
    builds, published, tmp_path
):
    previous = _doctored(published, tmp_path, "fct_commune_cpc", "update t set rho = rho + 0.03")
    drift = _drift(builds, previous)
    failures = drift["drift:fct_commune_cpc"].failures
    assert len(failures) == 1 and "'column': 'rho'" in failures[0]
    # a shift within the bound passes
    within = _doctored(
        published, tmp_path / "w", "fct_commune_cpc", "update t set rho = rho + 0.01"
    )
    assert _drift(builds, within)["drift:fct_commune_cpc"].status == "passed"
    # through the command line and the publisher, as `make publish` runs them
    results = tmp_path / "gx.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis_py.cli",
            "quality",
            "--db",
            str(builds["a"] / "cpc_tor.duckdb"),
            "--json",
            str(results),
            "--previous",
            str(previous),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1, proc.stdout
    with pytest.raises(PublicationRefused, match=r"drift:fct_commune_cpc"):
        _publish(builds["a"], tmp_path / "out", builds["min_population"], quality_results=results)


def test_drift_fails_when_a_validation_rho_moves(builds, published, tmp_path):
    previous = _doctored(
        published,
        tmp_path,
        "fct_validation_correlations",
        "update t set spearman_rho = spearman_rho - 0.08 where indicator = 'log_tor_per_1000'",
    )
    drift = _drift(builds, previous)
    assert drift["drift:fct_validation_correlations"].status == "failed"
    assert drift["drift:fct_commune_cpc"].status == "passed"


def test_drift_is_skipped_against_other_settings(builds, published, tmp_path):
    previous = tmp_path / "previous"
    shutil.copytree(published, previous)
    record = json.loads((previous / "publication.json").read_text())
    record["settings"]["correction_method"] = "spearman"
    (previous / "publication.json").write_text(json.dumps(record))
    drift = _drift(builds, previous)
    assert [r.status for r in drift.values()] == ["skipped"]
    assert "correction_method" in drift["drift"].note


# ------------------------------------------------------------------ readers


READ_ALL = textwrap.dedent(
    """
    import json, sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    tables = [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts'"
    ).fetchall()]
    counts = {t: con.execute(f'select count(*) from marts."{t}"').fetchone()[0] for t in tables}
    print(json.dumps({"version": duckdb.__version__, "rows": counts}))
    """
)


def _duckdb_release(version: str, folder: Path) -> Path:
    """One DuckDB release from PyPI into its own folder (not the project's venv)."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--target",
            str(folder),
            f"duckdb=={version}",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return folder


def test_oldest_supported_duckdb_opens_the_publication(published, tmp_path):
    """The README's minimum DuckDB version reads every published table (row counts as
    the project's DuckDB sees them); the release before it cannot open the file."""
    record = json.loads((published / "publication.json").read_text())
    oldest = record["duckdb_min_version"]
    assert (
        oldest == pub.MIN_DUCKDB_VERSION and f"DuckDB {oldest}" in (ROOT / "README.md").read_text()
    )
    expected = {t: info["rows"] for t, info in record["tables"].items()}
    database = str(published / pub.PUBLICATION_DB)
    for version, opens in ((oldest, True), ("0.9.2", False)):
        folder = _duckdb_release(version, tmp_path / version)
        proc = subprocess.run(
            [sys.executable, "-c", READ_ALL, database],
            env={"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
        )
        if opens:
            assert proc.returncode == 0, proc.stderr
            seen = json.loads(proc.stdout)
            assert seen == {"version": version, "rows": expected}
        else:
            assert proc.returncode != 0 and "Serialization" in proc.stderr, proc.stderr


def test_drift_fails_when_the_share_of_floored_factors_moves(builds, published, tmp_path):
    """Seven more floored communes before (c = the seed's floor): the share moves by
    more than 0.02 of this sample's communes."""
    floor = query(
        builds["a"], "select value from reference.method_constants where constant_name = 'c_floor'"
    )[0][0]
    n = query(builds["a"], "select count(*) from marts.fct_commune_cpc")[0][0]
    extra = 7
    assert extra / n > 0.02
    previous = _doctored(
        published,
        tmp_path,
        "fct_commune_cpc",
        f"update t set c = {floor!r} where code_com in "
        f"(select code_com from t where c > {floor!r} order by code_com limit {extra})",
    )
    failures = _drift(builds, previous)["drift:fct_commune_cpc"].failures
    assert len(failures) == 1 and "'column': 'is_floored'" in failures[0]

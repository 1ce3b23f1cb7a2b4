"""The publication's rules, without a build: which marts are published and each
column's privacy class (from a parse's manifest), the exposures that must list them, the
small-area suppression on a hand-made mart, the refusal of failed or untested builds,
the data's origin, the atomic swap and the pruning of old versions."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import duckdb
import pytest

from analysis_py.publication import publish as pub
from analysis_py.publication.manifest import (
    Mart,
    PublicationRefused,
    check_build,
    exposure_gaps,
    published_marts,
    whole_build_gaps,
)
from analysis_py.publication.origin import data_origin


def test_published_marts_are_the_marts_not_marked_internal(manifest):
    names = {m.name for m in published_marts(manifest)}
    assert {"fct_commune_cpc", "dim_build_settings", "fct_regressions"} <= names
    # query-level marts hold clear search queries: meta publish false
    assert "fct_query_classifications" not in names
    assert all(not n.startswith(("stg_", "int_")) for n in names)


def test_privacy_classes_come_from_column_meta(manifest):
    cpc = next(m for m in published_marts(manifest) if m.name == "fct_commune_cpc")
    assert "cpc_per_1000" in cpc.columns_of("min_population")
    assert "tor_dl" in cpc.columns_of("min_tiles")
    assert "code_com" not in cpc.columns_of("min_population") + cpc.columns_of("min_tiles")


def test_undeclared_privacy_class_is_refused(manifest):
    doctored = json.loads(json.dumps(manifest))
    node = doctored["nodes"]["model.cpc_tor.fct_commune_cpc"]
    node["columns"]["cpc_per_1000"]["meta"] = {"privacy": "secret"}
    with pytest.raises(PublicationRefused, match=r"fct_commune_cpc\.cpc_per_1000.*secret"):
        published_marts(doctored)


def test_exposures_must_list_exactly_the_published_marts(manifest):
    marts = [m.name for m in published_marts(manifest)]
    assert exposure_gaps(manifest, marts) == []
    assert exposure_gaps(manifest, [*marts, "fct_new_mart"]) == [
        "published but listed by no publication exposure: ['fct_new_mart']"
    ]
    gaps = exposure_gaps(manifest, [m for m in marts if m != "fct_commune_cpc"])
    assert any("not published: ['fct_commune_cpc']" in g for g in gaps)


def test_a_mart_with_a_tile_column_is_refused(tmp_path):
    with duckdb.connect(str(tmp_path / "leak.duckdb")) as con:
        con.execute("create schema marts")
        con.execute("create table marts.fct_leak as select 1 as tile_id, 2.0 as tor_dl")
        with pytest.raises(PublicationRefused, match=r"fct_leak carries .*tile_id"):
            pub._privacy_select(con, Mart("fct_leak", "", {}), 500, 3)


def _suppressed(rows: list[tuple], privacy: dict) -> list[tuple]:
    with duckdb.connect() as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.fct_x (code_com varchar, pop bigint, n_contributing_tiles bigint, "
            "rate double, traffic double, name varchar)"
        )
        con.executemany("insert into marts.fct_x values (?, ?, ?, ?, ?, ?)", rows)
        mart = Mart("fct_x", "", {}, {c: frozenset(v) for c, v in privacy.items()})
        select, suppressed, names = pub._privacy_select(con, mart, 500, 3)
        assert sorted(suppressed) == sorted(c for c, v in privacy.items() if v != {"public"})
        assert names[-2:] == ["is_small_population", "is_few_tiles"]
        return con.execute(f"{select} order by code_com").fetchall()


def test_small_area_rules_suppress_exactly_their_columns():
    """Hand-made rows: a commune under 500 inhabitants loses its rate, one drawn from
    fewer than 3 tiles its traffic; unknown tile counts (published totals) are kept; the
    flags say why; public columns stay."""
    rows = [
        ("01001", 499, 10, 1.0, 10.0, "small"),
        ("01002", 500, 2, 2.0, 20.0, "few tiles"),
        ("01003", 5000, None, 3.0, 30.0, "unknown tiles"),
        ("01004", None, 3, 4.0, 40.0, "no population"),
    ]
    privacy = {"rate": {"min_population"}, "traffic": {"min_tiles"}, "name": {"public"}}
    got = _suppressed(rows, privacy)
    assert got == [
        ("01001", 499, 10, None, 10.0, "small", True, False),
        ("01002", 500, 2, 2.0, None, "few tiles", False, True),
        ("01003", 5000, None, 3.0, 30.0, "unknown tiles", False, False),
        ("01004", None, 3, None, 40.0, "no population", True, False),
    ]


def test_a_column_of_both_classes_needs_both_guards():
    got = _suppressed(
        [("01001", 499, 10, 1.0, 1.0, "a"), ("01002", 600, 1, 1.0, 1.0, "b")],
        {"rate": {"min_population", "min_tiles"}, "traffic": {"public"}, "name": {"public"}},
    )
    assert [r[3] for r in got] == [None, None]


def _run_results(tmp_path, statuses, which="build"):
    results = [{"unique_id": f"model.x.m{i}", "status": s} for i, s in enumerate(statuses)]
    (tmp_path / "run_results.json").write_text(
        json.dumps({"results": results, "args": {"which": which}})
    )
    return tmp_path


@pytest.mark.parametrize("status", ["error", "fail", "runtime error"])
def test_a_failed_build_is_refused(tmp_path, status):
    with pytest.raises(PublicationRefused, match="failures"):
        check_build(_run_results(tmp_path, ["success", status]), None)


def test_a_run_without_its_tests_is_refused(tmp_path):
    with pytest.raises(PublicationRefused, match="not `dbt build`"):
        check_build(_run_results(tmp_path, ["success"], which="run"), None)


def test_failed_quality_suites_are_refused(tmp_path):
    target = _run_results(tmp_path, ["success", "pass"])
    check_build(target, None)
    results = tmp_path / "gx.json"
    results.write_text(json.dumps([{"mart": "fct_commune_cpc", "status": "failed"}]))
    with pytest.raises(
        PublicationRefused, match=r"Great Expectations suites failed: \['fct_commune_cpc'\]"
    ):
        check_build(target, results)


def test_quality_results_older_than_the_build_are_refused(tmp_path):
    results = tmp_path / "gx.json"
    results.write_text(json.dumps([{"mart": "fct_commune_cpc", "status": "passed"}]))
    target = _run_results(tmp_path, ["success"])
    os.utime(results, (1, 1))  # written before the build it claims to check
    with pytest.raises(PublicationRefused, match="predate the last dbt invocation"):
        check_build(target, results)


def _graph(marts: dict[str, list[str]]) -> dict:
    """A manifest with models and the data tests on them: {mart: [test names]}."""
    nodes = {}
    for mart, tests in marts.items():
        nodes[f"model.p.{mart}"] = {"resource_type": "model", "name": mart, "config": {}}
        for test in tests:
            nodes[f"test.p.{test}"] = {
                "resource_type": "test",
                "name": test,
                "config": {},
                "depends_on": {"nodes": [f"model.p.{mart}"]},
            }
    return {"nodes": nodes}


def _results(statuses: dict[str, str], **args) -> dict:
    return {
        "results": [{"unique_id": u, "status": s} for u, s in statuses.items()],
        "args": {"which": "build", **args},
    }


def test_one_build_has_no_gaps():
    manifest = _graph({"a": ["t1"], "dim_build_settings": []})
    results = _results(
        {"model.p.a": "success", "test.p.t1": "pass", "model.p.dim_build_settings": "success"},
        vars={"correction_method": "spearman", "netmob_cities": ["Nice"]},
    )
    settings = {"correction_method": "spearman", "netmob_cities": '["Nice"]'}
    assert whole_build_gaps(manifest, results, ["a", "dim_build_settings"], settings) == []


def test_a_partial_build_with_other_vars_names_the_marts_and_the_var():
    # hand-made: `dbt build --select a --vars {correction_method: spearman}` over a
    # database whose other marts (b, the settings) were built with pearson
    manifest = _graph({"a": ["t1"], "b": ["t2"], "dim_build_settings": []})
    results = _results(
        {"model.p.a": "success", "test.p.t1": "pass"},
        select=["a"],
        vars={"correction_method": "spearman"},
    )
    gaps = whole_build_gaps(
        manifest, results, ["a", "b", "dim_build_settings"], {"correction_method": "pearson"}
    )
    invocation = 'dbt build --select a --vars {"correction_method": "spearman"}'
    assert gaps == [
        f"not built by the last dbt invocation ({invocation}): ['b', 'dim_build_settings']",
        "vars of the last invocation that differ from the settings the published marts record "
        "(marts.dim_build_settings): correction_method: 'spearman' given, 'pearson' recorded",
    ]


def test_a_mart_built_without_its_tests_is_named():
    manifest = _graph({"a": ["t1", "t2"]})
    results = _results({"model.p.a": "success", "test.p.t1": "pass"}, select=["a"])
    assert whole_build_gaps(manifest, results, ["a"], {}) == [
        "not tested by the last dbt invocation (dbt build --select a): ['a']"
    ]


@pytest.mark.parametrize(
    "source, seed, kind",
    [
        ("netmob", 11, "synthetic_sample"),
        ("netmob", None, "raw_folder"),
        ("published", 11, "published_derivative_with_synthetic_sources"),
        ("published", None, "published_derivative"),
    ],
)
def test_data_origin_from_the_build_settings(source, seed, kind):
    origin = data_origin({"raw_dir": "/data/raw", "traffic_source": source, "synthetic_seed": seed})
    assert origin["kind"] == kind
    assert origin["synthetic_seed"] == seed
    if seed is not None:
        assert f"seed {seed}" in origin["summary"]
    if kind == "raw_folder":
        assert "/data/raw" in origin["summary"]
    # the sentence that opens every published table's comment names the origin first
    first = {
        "synthetic_sample": f"SYNTHETIC DATA (sample generated with seed {seed})",
        "raw_folder": "COMPUTED FROM THE RAW FILES IN /data/raw",
        "published_derivative": "THE AUTHORS' PUBLISHED DERIVATIVE",
        "published_derivative_with_synthetic_sources": "THE AUTHORS' PUBLISHED DERIVATIVE",
    }[kind]
    assert origin["label"].startswith(first)
    assert (f"seed {seed}" in origin["label"]) == (seed is not None)


def test_swap_points_current_at_the_new_version(tmp_path):
    versions = tmp_path / "versions"
    for name in ("v1", "v2"):
        (versions / name).mkdir(parents=True)
        (versions / name / "x").write_text(name)
    pub.swap(tmp_path, versions / "v1")
    assert (tmp_path / "current" / "x").read_text() == "v1"
    pub.swap(tmp_path, versions / "v2")
    assert (tmp_path / "current" / "x").read_text() == "v2"
    assert os.readlink(tmp_path / "current") == "versions/v2"


def test_prune_keeps_the_last_versions_and_the_current_one(tmp_path):
    versions = tmp_path / "versions"
    for name in ("v1", "v2", "v3", "v4", "v5"):
        (versions / name).mkdir(parents=True)
    pub.swap(tmp_path, versions / "v1")
    # a killed publication's folder (its process is gone) and one being written now
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (versions / f".incomplete-v0-{dead.pid}").mkdir()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (versions / f".incomplete-v6-{alive.pid}").mkdir()
        pub.prune(tmp_path, keep=3)
    finally:
        alive.kill()
        alive.wait()
    assert sorted(p.name for p in versions.iterdir()) == [
        f".incomplete-v6-{alive.pid}",
        "v1",
        "v3",
        "v4",
        "v5",
    ]

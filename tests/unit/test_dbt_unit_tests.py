"""dbt's own unit tests (``unit_tests:`` in the models' YAML: given rows, expected
rows) of the tricky SQL: the Tor lag pairing and average ranks, the outage filter, the
query neighbours. They run in one dbt invocation on a miniature raw folder with
``--empty``: the models they test get empty parents (dbt reads the parents' column
types from them), and no mart is built."""

from __future__ import annotations

import json

import pytest
from conftest import dbt_output, run_dbt

from analysis_py.synth import Options, generate

MODELS = ("int_commune_hour_pairs", "int_traffic_filtered_for_outages", "int_query_neighbours")


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, dict]:
    root = tmp_path_factory.mktemp("dbt-unit")
    raw = root / "raw"
    generate(
        Options(
            out=raw,
            seed=3,
            cities=("Nice",),
            n_days=2,
            tiles_per_city=6,
            communes_per_city=3,
            n_queries=300,
            jobs=1,
            progress=False,
        )
    )
    selection = [f"+{m}" for m in MODELS]
    proc = run_dbt(
        ["build", "--empty", "--select", *selection, "--exclude", "test_type:data"],
        root / "work",
        {
            "raw_dir": str(raw),
            "netmob_cities": ["Nice"],
            "study_start": "2019-03-16",
            "study_end": "2019-03-17",
        },
        check=False,
    )
    run = json.loads((root / "work" / "target" / "run_results.json").read_text())
    unit = {
        r["unique_id"].split(".")[-1]: r
        for r in run["results"]
        if r["unique_id"].startswith("unit_test.")
    }
    assert unit, dbt_output(proc)[-3000:]
    return {"unit": unit, "output": dbt_output(proc)}


@pytest.mark.parametrize(
    "name",
    [
        "tor_lagged_pairs_with_average_ranks",
        "outage_slots_dropped_for_every_service",
        "outage_windows_missing_for_every_service",
        "neighbours_within_two_hours_of_the_same_client",
    ],
)
def test_unit_test_passes(results, name):
    result = results["unit"][name]
    assert result["status"] == "pass", (result.get("message"), results["output"][-3000:])

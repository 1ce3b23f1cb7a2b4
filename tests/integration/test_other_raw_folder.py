"""The acceptance command: another database file and another raw folder, same layout.

`CPC_DUCKDB_PATH=<file> dbt build --vars '{raw_dir: <absolute path>}'` must build against
a second generated folder with nothing else changed, and read that folder's data.
"""

from __future__ import annotations

import pandas as pd
from conftest import query, run_dbt

from analysis_py.synth import Options, generate


def test_build_against_another_raw_folder(tmp_path):
    raw = tmp_path / "other_raw"
    generate(
        Options(
            out=raw,
            seed=4242,
            tiles_per_city=24,
            communes_per_city=4,
            n_queries=500,
            jobs=2,
            progress=False,
        )
    )
    work = tmp_path / "build"
    run_dbt(["build"], work, {"raw_dir": str(raw.resolve())})
    truth = pd.read_csv(raw / "_truth" / "communes.csv", dtype={"code_com": str})
    tiles = query(work, "select count(*) from staging.stg_netmob__tiles")
    assert tiles == [(20 * 24,)]
    codes = {r[0] for r in query(work, "select code_com from staging.stg_insee__legal_populations")}
    assert set(truth["code_com"]) <= codes
    days = query(
        work,
        "select count(distinct traffic_date) from intermediate.int_traffic_parsed_by_partition",
    )
    assert days == [(77,)]

"""The NetMob spine on Spark (docs/method.md section 16, README "Spark"): the three stages
of `make spark`, in one place for the Makefile, the tests and the benchmark.

1. DuckDB: the seeds, the tile -> commune allocation (spatial extension) and the file
   listing with its tests (a missing file stops here, named), then the hand-over of
   the allocation and the seeds as Parquet (macro export_for_spark).
2. Spark (dbt-spark, target `spark`): the hand-over registered under the same names,
   then the spine models (SPINE): the strict parse, the tile totals, commune days, the
   outage filter, hours, logs, hour pairs and correlations.
3. DuckDB: `dbt build` of everything else with var spine_engine spark, the spine
   models read from Spark's Parquet by the import models of the same names.

Every dbt invocation of the stages runs in one process, so Python and dbt start once
and Spark's JVM once (analysis_py.engines.dbt_session); the tests share one such
process across all their Spark builds.

    cpc-tor spark [--workdir DIR] [--warehouse DIR] [--vars '{...}']

The database, dbt target, logs and hand-over go to --workdir (default
target/spark-path, as `make spark`); Spark's tables to --warehouse (default: env
CPC_SPARK_WAREHOUSE, else target/spark-warehouse). :func:`run_stages` without a
warehouse keeps everything in its workdir (tests, bench).
"""

from __future__ import annotations

import json
from pathlib import Path

from analysis_py.engines.dbt_session import DbtSession, SparkDbt

# the models stage 2 builds on Spark: the spine (dbt_project.yml, variants)
SPINE = ("tag:spine",)


class StageFailed(RuntimeError):
    """A stage's dbt command failed; the message carries dbt's output."""


def _run(
    session: DbtSession,
    args: list[str],
    workdir: Path,
    dbt_vars: dict,
    stage: str,
    reuse_parse=False,
) -> float:
    """``dbt <args>`` on ``workdir`` in ``session``, parsing the project afresh unless
    ``reuse_parse`` (the invocation just before, in the same folder, parsed it with the
    same vars and target: dbt's partial parse then reads that parse instead of parsing
    again); returns its seconds."""
    flags = [] if reuse_parse else ["--no-partial-parse"]
    outcome = session.invoke([*args, *flags], workdir, dbt_vars)
    if outcome.returncode != 0:
        raise StageFailed(f"{stage} failed:\n{outcome.output[-12000:]}\n{outcome.exception}")
    return outcome.seconds


def run_stages(
    workdir: Path,
    dbt_vars: dict | None = None,
    stages=(1, 2, 3),
    spark: SparkDbt | None = None,
    warehouse: Path | None = None,
) -> dict:
    """Run the stages in ``workdir`` (database cpc_tor.duckdb, target/, the hand-over
    handover/) with Spark's tables in ``warehouse`` (default workdir/spark-warehouse);
    returns seconds per stage. Every dbt invocation runs in ``spark``, a running
    :class:`SparkDbt` (its process, JVM and warehouse), or else in a session of its own
    for this call: one process, one JVM."""
    workdir = workdir.resolve()
    if spark is None:
        with SparkDbt(Path(warehouse or workdir / "spark-warehouse")) as own:
            return run_stages(workdir, dbt_vars, stages, own)
    if warehouse and Path(warehouse).resolve() != spark.warehouse:
        raise ValueError(f"warehouse {warehouse} is not the Spark session's {spark.warehouse}")
    dbt_vars = dict(dbt_vars or {})
    handover = workdir / "handover"
    handover.mkdir(parents=True, exist_ok=True)
    seconds = {}
    if 1 in stages:
        seconds["stage 1 (DuckDB: allocation, listing)"] = _run(
            spark,
            [
                "build",
                "--full-refresh",
                "--indirect-selection",
                "cautious",
                "--select",
                "resource_type:seed",
                "+int_tiles_allocated_to_communes",
                "+int_netmob_files_listed",
            ],
            workdir,
            dbt_vars,
            "stage 1 (DuckDB)",
        ) + _run(
            spark,
            ["run-operation", "export_for_spark", "--args", json.dumps({"out": str(handover)})],
            workdir,
            dbt_vars,
            "stage 1 (hand-over)",
            reuse_parse=True,
        )
    if 2 in stages:
        seconds["stage 2 (Spark: spine)"] = spark_stage(
            spark, workdir / "spark", dbt_vars, handover
        )
    if 3 in stages:
        seconds["stage 3 (DuckDB: the rest)"] = _run(
            spark,
            ["build", "--full-refresh"],
            workdir,
            {**dbt_vars, "spine_engine": "spark"},
            "stage 3 (DuckDB)",
        )
    return seconds


def spark_stage(spark: SparkDbt, spark_dir: Path, dbt_vars: dict, handover: Path) -> float:
    """Stage 2 in a running session: the hand-over registered, then the spine built."""
    target = ["--target", "spark"]
    return _run(
        spark,
        [
            "run-operation",
            "register_from_duckdb",
            *target,
            "--args",
            json.dumps({"dir": str(handover)}),
        ],
        spark_dir,
        dbt_vars,
        "stage 2 (register)",
    ) + _run(
        spark,
        ["run", *target, "--select", *SPINE],
        spark_dir,
        dbt_vars,
        "stage 2 (Spark)",
        # the same target and vars as the registration's parse, which dbt reuses
        reuse_parse=True,
    )

"""Benchmark of the NetMob spine on Spark against DuckDB, on the same generated files.

One generated raw folder (default: 2 cities x 3 services x 30 days, 2,000 tiles per
city). It times, each in its own processes:

  (a) the DuckDB baseline: `dbt run` of the spine models (the parse through the
      correlations) on the DuckDB target, after stage 1;
  (b) stage 2 on Spark with `local[1]` and (c) with `local[2]` (dbt-spark's session:
      the JVM start-up is inside, as a user pays it);

and prints the throughput in NetMob files per second and tile-rows per second, the
ratios against (a), and the speed-up from 1 to 2 cores. The two-core machine gives no
more than two points of the scaling curve; anything beyond is an extrapolation and is
printed as one.

    .venv/bin/python bench/spark.py [--cities Nice Rennes] [--days 30] [--tiles 2000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis_py.dbt_runner import dbt_command  # noqa: E402
from analysis_py.spark_path import SPINE, run_stages  # noqa: E402
from analysis_py.synth import Options, generate  # noqa: E402


def timed(args, workdir, dbt_vars, env) -> float:
    cmd, full_env = dbt_command([*args, "--no-partial-parse"], workdir, dbt_vars, env=env)
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=full_env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stdout[-4000:]}")
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cities", nargs="+", default=["Nice", "Rennes"])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--tiles", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        raw = scratch / "raw"
        generate(
            Options(
                out=raw,
                cities=tuple(args.cities),
                n_days=args.days,
                tiles_per_city=args.tiles,
                communes_per_city=15,
                n_queries=1000,
                progress=False,
            )
        )
        end = (date(2019, 3, 16) + timedelta(days=args.days - 1)).isoformat()
        dbt_vars = {
            "raw_dir": str(raw),
            "netmob_cities": args.cities,
            "study_start": "2019-03-16",
            "study_end": end,
        }
        n_files = len(list(raw.glob("netmob/*/*/*/*.txt")))
        n_rows = n_files * args.tiles
        work = scratch / "work"
        run_stages(work, dbt_vars, stages=(1,))
        env = {"CPC_SPARK_WAREHOUSE": str(work / "spark-warehouse")}
        duck = timed(["run", "--select", *SPINE], work, dbt_vars, env)
        results = {"DuckDB (2 threads)": duck}
        for cores in (1, 2):
            spark_env = {**env, "CPC_SPARK_MASTER": f"local[{cores}]"}
            spark_dir = work / f"spark{cores}"
            timed(
                [
                    "run-operation",
                    "register_from_duckdb",
                    "--target",
                    "spark",
                    "--args",
                    f"{{dir: {work / 'handover'}}}",
                ],
                spark_dir,
                dbt_vars,
                spark_env,
            )
            results[f"Spark local[{cores}]"] = timed(
                ["run", "--target", "spark", "--select", *SPINE], spark_dir, dbt_vars, spark_env
            )
    print(
        f"{n_files} NetMob files, {n_rows:,} tile-rows ({len(args.cities)} cities x "
        f"3 services x {args.days} days x {args.tiles} tiles)"
    )
    for name, seconds in results.items():
        print(
            f"{name:>20}: {seconds:7.1f} s  {n_files / seconds:7.1f} files/s  "
            f"{n_rows / seconds:11,.0f} rows/s  ratio to DuckDB {seconds / duck:5.2f}"
        )
    one, two = results["Spark local[1]"], results["Spark local[2]"]
    print(f"Spark speed-up from 1 to 2 cores: {one / two:.2f}x")
    corpus_files = 209_440
    per_core = n_files / one
    print(
        "EXTRAPOLATED (not measured): at the 1-core rate, "
        f"{corpus_files:,} files (the 2.3 TB corpus, files of ~20,000 tiles rather than "
        f"{args.tiles:,}) would take about "
        f"{corpus_files / per_core * 20_000 / args.tiles / 3600:.1f} core-hours, i.e. "
        f"{corpus_files / per_core * 20_000 / args.tiles / 3600 / 32:.1f} h on 32 executor "
        "cores if Spark scaled linearly, which one 2-core machine cannot show."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

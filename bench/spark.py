"""Benchmark of the NetMob spine on Spark against DuckDB, on the same generated files.

One generated raw folder (default: 2 cities x 3 services x 30 days, 20,000 tiles per
city, the study's size: about 2 GB of text). It times, each in its own processes:

  (a) the DuckDB baseline: `dbt run` of the spine models (the parse through the
      correlations) on the DuckDB target, after stage 1;
  (b) stage 2 on Spark with `local[1]` and (c) with `local[2]` (the hand-over
      registered and the spine built in one dbt-spark session, the JVM's start-up
      inside, as a user pays it);

once on the whole window and once on its first --small-days days. It prints the
throughput of the whole command (files/s, MB of text/s) and the marginal throughput
(the difference of the two windows, which removes dbt's and the JVM's fixed start-up),
each as a ratio to DuckDB in the same run, and Spark's speed-up from 1 to 2 cores. The
two-core machine gives no more than two points of the scaling curve; the corpus figure
is an extrapolation and is printed as one.

    .venv/bin/python bench/spark.py [--cities Nice Rennes] [--days 30] [--small-days 3]
                                    [--tiles 20000] [--repeat 1]

With 2,000 tiles (200 MB) the fixed start-up swamps the work and the marginal figures
are noise (a negative DuckDB difference was measured); keep the default size.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis_py.engines.dbt_runner import dbt_command  # noqa: E402
from analysis_py.engines.dbt_session import SparkDbt  # noqa: E402
from analysis_py.engines.spark_path import SPINE, run_stages, spark_stage  # noqa: E402
from analysis_py.synth import Options, generate  # noqa: E402


def timed(args, workdir, dbt_vars, env) -> float:
    cmd, full_env = dbt_command([*args, "--no-partial-parse"], workdir, dbt_vars, env=env)
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=full_env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stdout[-4000:]}")
    return time.perf_counter() - started


def window(raw: Path, cities, days: int) -> tuple[dict, list[Path]]:
    """The dbt vars of a study window of ``days`` days from 2019-03-16, and its files."""
    end = date(2019, 3, 16) + timedelta(days=days - 1)
    dbt_vars = {
        "raw_dir": str(raw),
        "netmob_cities": list(cities),
        "study_start": "2019-03-16",
        "study_end": end.isoformat(),
    }
    files = [  # <city>/<service>/<yyyymmdd>/<city>_<service>_<yyyymmdd>_DL.txt
        f
        for f in raw.glob("netmob/*/*/*/*.txt")
        if date(2019, 3, 16) <= datetime.strptime(f.parent.name, "%Y%m%d").date() <= end
    ]
    return dbt_vars, files


def measure(work: Path, dbt_vars: dict, repeat: int) -> dict[str, float]:
    """Seconds of the spine on DuckDB, on Spark local[1] and on Spark local[2]: the
    fastest of ``repeat`` runs of each."""
    run_stages(work, dbt_vars, stages=(1,))
    env = {"CPC_SPARK_WAREHOUSE": str(work / "spark-warehouse")}
    results = {"DuckDB": [], "Spark local[1]": [], "Spark local[2]": []}
    for _ in range(repeat):
        results["DuckDB"].append(timed(["run", "--select", *SPINE], work, dbt_vars, env))
        for cores in (1, 2):
            # a JVM of its own (the master is fixed when it starts), inside the timing
            with SparkDbt(work / f"warehouse{cores}", master=f"local[{cores}]") as spark:
                results[f"Spark local[{cores}]"].append(
                    spark_stage(spark, work / f"spark{cores}", dbt_vars, work / "handover")
                )
    return {name: min(seconds) for name, seconds in results.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cities", nargs="+", default=["Nice", "Rennes"])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--small-days", type=int, default=3)
    parser.add_argument("--tiles", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the fastest counts")
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
        runs = {}
        for days in (args.small_days, args.days):
            dbt_vars, files = window(raw, args.cities, days)
            runs[days] = (len(files), sum(f.stat().st_size for f in files))
            runs[days] += (measure(scratch / f"work{days}", dbt_vars, args.repeat),)
    (n_small, b_small, small), (n_full, b_full, full) = runs[args.small_days], runs[args.days]
    print(
        f"{n_full} NetMob files, {b_full / 1e6:,.1f} MB of text, {n_full * args.tiles:,} tile-rows "
        f"({len(args.cities)} cities x 3 services x {args.days} days x {args.tiles} tiles); "
        f"the same on {args.small_days} days: {n_small} files, {b_small / 1e6:,.1f} MB; "
        f"the fastest of {args.repeat} runs each"
    )
    print("Whole command (dbt start-up, and for Spark the JVM, inside), ratio to DuckDB:")
    for name, seconds in full.items():
        print(
            f"{name:>16}: {seconds:7.1f} s  {n_full / seconds:6.1f} files/s  "
            f"{b_full / 1e6 / seconds:6.2f} MB/s  ratio {seconds / full['DuckDB']:5.2f}"
        )
    print(
        f"Marginal ({args.days} days minus {args.small_days}: the fixed start-up removed), "
        "ratio to DuckDB:"
    )
    marginal = {}
    for name in full:
        extra = full[name] - small[name]
        marginal[name] = (b_full - b_small) / extra if extra > 0 else float("nan")
        print(
            f"{name:>16}: {extra:7.1f} s for {n_full - n_small} files  "
            f"{marginal[name] / 1e6:6.2f} MB/s  ratio {marginal['DuckDB'] / marginal[name]:5.2f}"
        )
    print(
        "Spark speed-up from 1 to 2 cores: whole command "
        f"{full['Spark local[1]'] / full['Spark local[2]']:.2f}x, marginal "
        f"{marginal['Spark local[2]'] / marginal['Spark local[1]']:.2f}x"
    )
    corpus = 2.3e12
    core_hours = corpus / marginal["Spark local[1]"] / 3600
    print(
        "EXTRAPOLATED, not measured: at the marginal 1-core rate, the 2.3 TB corpus "
        f"(209,440 files) is about {core_hours:,.0f} core-hours of parsing, "
        f"{core_hours / 32:,.1f} h on 32 executor cores and {core_hours / 128:,.1f} h on 128, "
        "if Spark scaled linearly in cores and the cluster's storage kept up; one 2-core "
        "machine shows two points of that curve and no more."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

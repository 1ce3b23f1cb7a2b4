"""Benchmark of the bootstrap intervals (method.md section 13) against the ingestion of
the same data, measured in the same run.

On generated cities at the study's size in communes (default: Toulouse and Bordeaux, 671
communes and 10,000 tiles each, 1,342 communes in all; 77 days, Tor + Web_Adult +
YouTube, DL; one city cannot hold 1,341 communes, its department's codes run out, nor
can Paris, Lyon or Marseille hold hundreds, their arrondissement codes do) it times

  (b) the ingestion: the dbt models int_traffic_parsed_by_partition ->
      int_traffic_aggregated_to_commune_hours and the tile totals (bench/ingest.py's
      step b, the same wall-time rule);
  (p) the point estimates: int_commune_hours_logged -> int_commune_hour_pairs ->
      int_commune_hours_correlated, every method of the seed correction_methods x lags 0, 2;
  (u) the bootstrap: int_commune_day_sums -> int_commune_correlation_replicates ->
      int_commune_factor_replicates -> int_commune_factor_intervals and
      int_headline_replicates, 1000 replicates (vars), the 5 methods x 2 lags;

and prints u / b, measured on these files and, clearly marked, against the ingestion
extrapolated to the study's 20 x 20,000 tiles (these cities hold the study's communes,
which set the bootstrap's cost, but a tenth of its tiles, which set the ingestion's;
target: under 1/5), and the peak memory of the bootstrap's dbt process (under 4 GB).
Every measurement runs in its own process; with --repeat N each is taken N times,
interleaved, and the minimum kept.

    .venv/bin/python bench/uncertainty.py [--cities Toulouse Bordeaux] [--tiles 10000]
        [--communes 671] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ingest  # bench/ingest.py: data, setup and timing helpers

POINT_MODELS = [
    "int_commune_hours_logged",
    "int_commune_hour_pairs",
    "int_commune_hours_correlated",
]
BOOTSTRAP_MODELS = [
    "int_commune_day_sums",
    "int_commune_correlation_replicates",
    "int_commune_factor_draws",
    "int_commune_cpc_estimates",
    "int_headline_replicates",
]
TARGETS = {"u/b": 1 / 5, "peak_gb": 4.0}
STUDY_TILES = 20 * 20_000  # the study's 20 metro areas of about 20,000 tiles each


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cities", nargs="+", default=["Toulouse", "Bordeaux"])
    parser.add_argument("--tiles", type=int, default=10_000, help="per city")
    parser.add_argument("--communes", type=int, default=671, help="per city")
    parser.add_argument("--replicates", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1, help="minimum of N measurements")
    args = parser.parse_args()
    ingest.OUT.mkdir(parents=True, exist_ok=True)
    raw = ingest.ensure_data(args.cities, args.tiles, args.communes)
    work = ingest.OUT / f"work_uncertainty_{raw.name}"
    dbt_vars = {
        "raw_dir": str(raw),
        "netmob_cities": list(args.cities),
        "bootstrap_replicates": args.replicates,
    }
    ingest.setup(work, dbt_vars)
    runs = []
    for _ in range(args.repeat):
        b, peak_b = ingest.dbt(["run", "--select", *ingest.PARSE_MODELS], work, dbt_vars)
        # not timed: the study communes the later models join
        ingest.dbt(["run", "--select", "int_commune_traffic_totals"], work, dbt_vars)
        p, peak_p = ingest.dbt(["run", "--select", *POINT_MODELS], work, dbt_vars)
        u, peak_u = ingest.dbt(["run", "--select", *BOOTSTRAP_MODELS], work, dbt_vars)
        runs.append({"b": b, "p": p, "u": u, "peak_b": peak_b, "peak_p": peak_p, "peak_u": peak_u})
    best = {k: min(r[k] for r in runs) for k in ("b", "p", "u")}
    peaks = {k: max(r[k] for r in runs) for k in ("peak_b", "peak_p", "peak_u")}
    from analysis_py.engines.duck import connect

    with connect(str(work / "bench.duckdb"), read_only=True) as con:
        communes, hours = con.execute(
            """select count(distinct code_com), count(*)
            from intermediate.int_commune_hour_pairs where lag_hours = 0"""
        ).fetchone()
    print(
        f"\nbootstrap vs ingestion, {', '.join(args.cities)}: {args.tiles} tiles per city, "
        f"{communes} communes, "
        f"{hours} commune-hours x 2 lags, {args.replicates} replicates, 5 methods"
        f"  (cpu cores: {os.cpu_count()}; minimum of {args.repeat} run(s))"
    )
    print(f"  ingestion b {best['b']:.1f} s (peak {peaks['peak_b']:.2f} GB)")
    print(f"  point estimates p {best['p']:.1f} s (peak {peaks['peak_p']:.2f} GB)")
    print(f"  bootstrap u {best['u']:.1f} s (peak {peaks['peak_u']:.2f} GB)")
    ratio = best["u"] / best["b"]
    print(f"  u/b = {ratio:.3f}   p/b = {best['p'] / best['b']:.3f}   (measured, this data)")
    # the bootstrap's cost follows the communes x days, the ingestion's the tiles: these
    # cities hold the study's communes but a fraction of its tiles (20 x 20,000)
    scale = STUDY_TILES / (args.tiles * len(args.cities))
    study_b = best["b"] * scale
    print(
        f"  EXTRAPOLATED (ingestion linear in tiles, bench/ingest.py): the study's "
        f"{STUDY_TILES:,} tiles take b = {study_b:.0f} s; u/b = {best['u'] / study_b:.3f}"
    )
    checks = {
        "u/b (study, extrapolated)": best["u"] / study_b < TARGETS["u/b"],
        "peak_gb": peaks["peak_u"] < TARGETS["peak_gb"],
    }
    print("targets: " + ", ".join(f"{k} {'ok' if v else 'MISSED'}" for k, v in checks.items()))
    (ingest.OUT / "uncertainty_results.json").write_text(
        json.dumps({"args": vars(args), "best": best, "peaks": peaks, "runs": runs}, indent=2)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of the query filter: the appendix script (ported to Python 3) against the
vectorised path, on the same generated, normalised queries, in the same run.

    .venv/bin/python bench/classify.py [--queries 1000000] [--repeat 10] [--full 100]

Prints queries per second of each, their ratio, and the time for 100 M queries
measured with the vectorised path (the base queries repeated --full times) next to the
linear extrapolation from --repeat times. Targets: ratio >= 20, 100 M in under 2 min.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis_py.engines.duck import connect
from analysis_py.stats import keywords as K
from analysis_py.synth.queries import generate_queries

TARGETS = {"ratio": 20.0, "seconds_100m": 120.0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=1_000_000, help="distinct generated queries")
    parser.add_argument("--repeat", type=int, default=10, help="copies for the 10 M measure")
    parser.add_argument("--full", type=int, default=100, help="copies for the 100 M measure")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    started = time.perf_counter()
    raw = generate_queries(np.random.default_rng(args.seed), args.queries)
    queries = [q for q in (K.normalise(r) for r in raw) if q]
    print(f"generated {len(queries):,} normalised queries in {time.perf_counter() - started:.1f} s")
    seed = Path(__file__).resolve().parents[1] / "seeds" / "keyword_lists.csv"
    lists = K.load_keyword_lists(seed)

    started = time.perf_counter()
    flagged_python = sum(1 for _ in K.appendix_script(queries, lists))
    python_s = time.perf_counter() - started
    python_qps = len(queries) / python_s

    con = connect(names=())
    con.register("base", pd.DataFrame({"q": queries}))
    con.execute("create table queries as select q from base")
    sql = K.sql_classify("q", lists)

    def vectorised(copies: int) -> tuple[float, int, int]:
        t0 = time.perf_counter()
        n, flagged = con.execute(
            f"""select count(*), count(code) from (
                    select {sql} as code from queries, range({copies})
                )"""
        ).fetchone()
        return time.perf_counter() - t0, n, flagged

    one_s, n_one, flagged_sql = vectorised(1)
    if flagged_sql != flagged_python:
        raise SystemExit(f"paths disagree: {flagged_sql} vs {flagged_python} flagged queries")
    repeat_s, n_repeat, _ = vectorised(args.repeat)
    full_s, n_full, _ = vectorised(args.full) if args.full else (float("nan"), 0, 0)
    vector_qps = n_repeat / repeat_s

    print(f"\nquery filter, {os.cpu_count()} cores")
    print(
        f"  appendix script (Python 3 port): {len(queries):>12,} queries {python_s:8.2f} s"
        f" {python_qps / 1e6:8.3f} M queries/s  ({flagged_python:,} flagged)"
    )
    print(f"  vectorised (DuckDB regexes):     {n_one:>12,} queries {one_s:8.2f} s")
    print(
        f"  vectorised (DuckDB regexes):     {n_repeat:>12,} queries {repeat_s:8.2f} s"
        f" {vector_qps / 1e6:8.3f} M queries/s"
    )
    extrapolated = 100e6 / vector_qps
    if args.full:
        print(
            f"  vectorised (DuckDB regexes):     {n_full:>12,} queries {full_s:8.2f} s"
            f" {n_full / full_s / 1e6:8.3f} M queries/s"
        )
    ratio = vector_qps / python_qps
    print(f"\nratio vectorised / appendix script: {ratio:.1f}")
    print(
        f"100 M queries: {full_s * 100e6 / n_full if n_full else float('nan'):.1f} s measured"
        f" ({extrapolated:.1f} s extrapolated from {n_repeat:,})"
        f"; appendix script: {100e6 / python_qps / 60:.1f} min"
    )
    seconds_100m = full_s * 100e6 / n_full if n_full else extrapolated
    checks = {
        "ratio": ratio >= TARGETS["ratio"],
        "seconds_100m": seconds_100m < TARGETS["seconds_100m"],
    }
    print("targets: " + ", ".join(f"{k} {'ok' if v else 'MISSED'}" for k, v in checks.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

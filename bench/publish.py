"""Benchmark of the safe publication: how long readers can see a change in progress.

    .venv/bin/python bench/publish.py [--db target/cpc_tor.duckdb] [--target target]
                                       [--swaps 1000]

Needs a successful `make quality` (or `dbt build`) first. In one run it measures:
- the whole publication (Parquet per mart, read-only DuckDB file) into a scratch folder;
- the atomic swap of ``current`` (symlink + rename(2)), median and max of --swaps swaps;
- the baseline a naive publisher would expose readers to: copying the published files
  over the live folder (during which a reader may see a half-written publication).
Prints the times and the ratio baseline / swap.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis_py.publication import publish as pub  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=ROOT / "target" / "cpc_tor.duckdb")
    parser.add_argument("--target", type=Path, default=ROOT / "target")
    parser.add_argument("--swaps", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "publish"

        def publish_once() -> Path:
            # the thresholds of the build (dim_build_settings)
            return pub.publish(args.db, args.target, out)

        started = time.perf_counter()
        first = publish_once()
        publish_s = time.perf_counter() - started
        second = publish_once()
        size = sum(p.stat().st_size for p in second.iterdir())
        swaps = [pub.swap(out, (first, second)[i % 2]) for i in range(args.swaps)]
        live = Path(scratch) / "live"
        shutil.copytree(first, live)
        copies = []
        for i in range(20):
            started = time.perf_counter()
            shutil.copytree((first, second)[i % 2], live, dirs_exist_ok=True)
            copies.append(time.perf_counter() - started)
    median_swap = statistics.median(swaps)
    median_copy = statistics.median(copies)
    print(f"publication: {publish_s:.2f} s for {size / 1e6:.1f} MB")
    print(
        f"atomic swap: median {median_swap * 1e6:.0f} us, max {max(swaps) * 1e6:.0f} us "
        f"over {len(swaps)} swaps"
    )
    print(f"baseline (copy over the live folder): median {median_copy * 1e3:.1f} ms")
    print(f"ratio baseline / swap: {median_copy / median_swap:.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())

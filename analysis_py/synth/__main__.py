"""Command line: ``python -m analysis_py.synth --out DIR --seed N [options]``."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from analysis_py.synth.core import Options, generate
from analysis_py.synth.reference import CITIES

# presets: (tiles per city, communes per city)
SCALES = {
    "sample": (80, 15),  # the embedded default: make run in well under 2 minutes
    "city": (20_000, 67),  # the study's real size per city (about 20,000 tiles)
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m analysis_py.synth",
        description="Write seeded synthetic raw data (NetMob, ADMIN EXPRESS, INSEE, election, "
        "SSMSI, Overture, Google Trends, query log) in the publishers' layouts, with the "
        "planted truths under DIR/_truth.",
    )
    parser.add_argument("--out", required=True, type=Path, help="output folder (replaced)")
    parser.add_argument("--seed", required=True, type=int, help="random seed")
    parser.add_argument(
        "--scale",
        choices=sorted(SCALES),
        default="sample",
        help="preset for tiles and communes per city (default: sample)",
    )
    parser.add_argument(
        "--cities",
        nargs="+",
        metavar="CITY",
        choices=[c.name for c in CITIES],
        help="subset of the 20 NetMob cities (default: all)",
    )
    parser.add_argument("--days", type=int, default=77, help="number of days from 2019-03-16")
    parser.add_argument("--tiles-per-city", type=int, help="overrides the scale preset")
    parser.add_argument("--communes-per-city", type=int, help="overrides the scale preset")
    parser.add_argument("--upload", action="store_true", help="also write UL files")
    parser.add_argument("--queries", type=int, default=20_000, help="query-log records")
    parser.add_argument(
        "--jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="processes writing traffic files (output does not depend on it)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    tiles, communes = SCALES[args.scale]
    opts = Options(
        out=args.out,
        seed=args.seed,
        cities=tuple(args.cities) if args.cities else tuple(c.name for c in CITIES),
        n_days=args.days,
        tiles_per_city=args.tiles_per_city or tiles,
        communes_per_city=args.communes_per_city or communes,
        upload=args.upload,
        n_queries=args.queries,
        jobs=args.jobs,
        progress=not args.quiet,
    )
    started = time.perf_counter()
    manifest = generate(opts)
    print(
        f"wrote {opts.out} in {time.perf_counter() - started:.1f} s (manifest {manifest})",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The project's one command line, ``cpc-tor`` (a console script of the package):

    cpc-tor synth   --out DIR --seed N [...]      seeded synthetic raw data (the sample)
    cpc-tor quality --db DB [--json F] [--previous DIR]   Great Expectations and drift
    cpc-tor publish --db DB --target T --out DIR [--quality F]  the atomic publication
    cpc-tor report  [--publication DIR] [--out F]  the HTML report of a publication
    cpc-tor export  --db DB --out DIR              the regression tables, Markdown/HTML
    cpc-tor parity  A B [--marts ...]              parity of two publications
    cpc-tor spark   [--workdir DIR] [--warehouse DIR] [--vars YAML]  the Spark path

Each subcommand prints what it did and exits 0, or says why not and exits non-zero.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path

# with the spark extra installed, great_expectations imports pyspark, which warns that
# it does not support pandas 3 (third party; the project never runs pandas through it)
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")


def _synth(args) -> int:
    from analysis_py.synth.core import Options, generate
    from analysis_py.synth.reference import CITIES

    known = [c.name for c in CITIES]
    unknown = sorted(set(args.cities or []) - set(known))
    if unknown:
        print(
            f"cpc-tor synth: unknown cities {unknown}; the 20 NetMob cities: {known}",
            file=sys.stderr,
        )
        return 2
    tiles, communes = SYNTH_SCALES[args.scale]
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


# presets of cpc-tor synth: (tiles per city, communes per city)
SYNTH_SCALES = {
    "sample": (80, 15),  # the embedded default: make run in well under 2 minutes
    "city": (20_000, 67),  # the study's real size per city (about 20,000 tiles)
}


def _quality(args) -> int:
    from analysis_py.publication.quality import validate_database

    if not args.db.exists():
        print(f"{args.db}: no such database; run dbt build first", file=sys.stderr)
        return 2
    results = validate_database(args.db, args.previous)
    for r in results:
        reason = f" ({r.note})" if r.note else ""
        print(f"{r.status:>7}  {r.mart}{reason}")
        for failure in r.failures:
            print(f"         {failure}")
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in results], indent=2))
    failed = [r.mart for r in results if r.status == "failed"]
    passed = len(results) - len(failed)
    print(f"Great Expectations: {passed} of {len(results)} suites passed or skipped")
    return 1 if failed else 0


def _publish(args) -> int:
    from analysis_py.publication.manifest import PublicationRefused
    from analysis_py.publication.publish import publish

    if not (args.target / "run_results.json").exists():
        print(f"publication refused: no dbt build to publish in {args.target}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    try:
        version = publish(
            args.db, args.target, args.out, args.min_population, args.min_tiles, args.quality
        )
    except PublicationRefused as exc:
        print(f"publication refused: {exc}", file=sys.stderr)
        return 1
    print(
        f"published {version} in {time.perf_counter() - started:.2f} s; current -> {version.name}"
    )
    return 0


def _report(args) -> int:
    from analysis_py.report.data import load
    from analysis_py.report.render import render

    try:
        pub = load(args.publication)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(pub), encoding="utf-8")
    print(f"wrote {args.out} from publication {pub.record.get('version')}")
    return 0


def _export(args) -> int:
    from analysis_py.publication.export import export

    for path in export(args.db, args.out):
        print(path)
    return 0


def _parity(args) -> int:
    from analysis_py.publication.parity import compare

    problems = compare(args.a, args.b, args.marts, args.rtol, args.atol)
    for p in problems:
        print(p)
    verdict = "ok" if not problems else f"{len(problems)} differences"
    print(f"parity: {verdict} ({args.a} vs {args.b})")
    return 1 if problems else 0


def _spark(args) -> int:
    import yaml

    from analysis_py.engines.spark_path import StageFailed, run_stages

    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
    dbt_vars = yaml.safe_load(args.vars) if args.vars.strip() else {}
    try:
        seconds = run_stages(args.workdir, dbt_vars, warehouse=args.warehouse)
    except StageFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    for stage, s in seconds.items():
        print(f"{stage}: {s:.1f} s")
    print(
        f"database {args.workdir / 'cpc_tor.duckdb'}, dbt target {args.workdir / 'target'}, "
        f"Spark's tables {args.warehouse.resolve()}"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command line (defaults that read the environment are read when it is built)."""
    parser = argparse.ArgumentParser(prog="cpc-tor", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("synth", help="write seeded synthetic raw data in the publishers' layouts")
    p.add_argument("--out", required=True, type=Path, help="output folder (replaced)")
    p.add_argument("--seed", required=True, type=int, help="random seed")
    p.add_argument(
        "--scale",
        choices=sorted(SYNTH_SCALES),
        default="sample",
        help="preset for tiles and communes per city (default: sample)",
    )
    p.add_argument("--cities", nargs="+", metavar="CITY", help="subset of the 20 NetMob cities")
    p.add_argument("--days", type=int, default=77, help="number of days from 2019-03-16")
    p.add_argument("--tiles-per-city", type=int, help="overrides the scale preset")
    p.add_argument("--communes-per-city", type=int, help="overrides the scale preset")
    p.add_argument("--upload", action="store_true", help="also write UL files")
    p.add_argument("--queries", type=int, default=20_000, help="query-log records")
    p.add_argument(
        "--jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="processes writing traffic files (output does not depend on it)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=_synth)

    p = sub.add_parser("quality", help="Great Expectations suites and drift on the marts")
    p.add_argument("--db", type=Path, required=True, help="DuckDB database with the marts")
    p.add_argument("--json", type=Path, help="write the results here")
    p.add_argument(
        "--previous",
        type=Path,
        help="the previous publication's folder (publish/current), for the drift checks",
    )
    p.set_defaults(run=_quality)

    p = sub.add_parser("publish", help="publish the marts for BI (atomic swap)")
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--target", type=Path, required=True, help="dbt target folder")
    p.add_argument("--out", type=Path, required=True, help="publication folder")
    p.add_argument(
        "--min-population",
        type=int,
        help="suppress per-1000 rates below this population "
        "(default: var publication_min_population of the build)",
    )
    p.add_argument(
        "--min-tiles",
        type=int,
        help="suppress traffic values drawn from fewer NetMob tiles "
        "(default: var publication_min_tiles of the build)",
    )
    p.add_argument("--quality", type=Path, help="Great Expectations results (JSON)")
    p.set_defaults(run=_publish)

    p = sub.add_parser("report", help="render the HTML report of a publication")
    p.add_argument("--publication", type=Path, default=Path("publish/current"))
    p.add_argument("--out", type=Path, default=Path("reports/index.html"))
    p.set_defaults(run=_report)

    p = sub.add_parser("export", help="the regression tables as Markdown and HTML")
    p.add_argument("--db", type=Path, required=True, help="DuckDB file with the marts")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.set_defaults(run=_export)

    from analysis_py.publication.parity import DEFAULT_MARTS

    p = sub.add_parser("parity", help="parity of two publications (e.g. DuckDB and Spark)")
    p.add_argument("a", type=Path)
    p.add_argument("b", type=Path)
    p.add_argument(
        "--marts",
        nargs="+",
        default=list(DEFAULT_MARTS),
        help="default: the marts computed from the NetMob spine",
    )
    p.add_argument("--rtol", type=float, default=1e-9)
    p.add_argument("--atol", type=float, default=1e-12)
    p.set_defaults(run=_parity)

    p = sub.add_parser("spark", help="the NetMob spine on Spark, three stages (make spark)")
    p.add_argument("--workdir", type=Path, default=Path("target/spark-path"))
    p.add_argument(
        "--warehouse",
        type=Path,
        default=Path(os.environ.get("CPC_SPARK_WAREHOUSE") or "target/spark-warehouse"),
        help="Spark's tables (default: env CPC_SPARK_WAREHOUSE, else target/spark-warehouse)",
    )
    p.add_argument("--vars", default="", help="dbt vars, YAML (as DBT_VARS)")
    p.set_defaults(run=_spark)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())

"""Safe publication of the marts for BI: Parquet per mart plus a read-only DuckDB file,
swapped in atomically only after a successful build and tests.

    python -m analysis_py.publish --db target/cpc_tor.duckdb --target target --out publish

- Only a build whose dbt run_results.json has no error or failure, and whose Great
  Expectations results (when given) all passed, is published.
- The marts published are those of the dbt manifest in schema `marts` whose meta does
  not say `publish: false` (the query-level marts holding search queries stay internal).
- Privacy (method.md 10, the paper's cautions): a published table may not carry a tile
  id, a tile geometry or any geometry at all; per-1000 rates (and the population) of
  communes below ``--min-population`` inhabitants are suppressed (set NULL) and flagged
  ``is_small_population``, and so are the columns whose meta says ``privacy:
  small_area`` (commune-level statistics of the rates, e.g. LISA); traffic-valued
  columns (Tor, Web_Adult, YouTube, cpc, traffic) of rows drawn from fewer than
  ``--min-tiles`` NetMob tiles carrying traffic (column ``n_contributing_tiles``) are
  suppressed and flagged ``is_few_tiles``, so that no published value is one tile's
  value. Rows whose tile count is unknown (the authors' published commune totals) are
  not suppressed by the tile rule.
- Each publication is written to a new folder ``versions/<id>``; the symlink
  ``current`` is then replaced atomically (rename(2)). Readers open
  ``current/cpc_tor_marts.duckdb`` read-only or the Parquet files; a reader keeps the
  version it opened, and never blocks a build (builds never write there).
- Parquet is written in a fixed row order (every column, ascending), single-threaded:
  the same marts give byte-identical files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from analysis_py.duck import connect

FORBIDDEN_COLUMN = re.compile(
    r"(^|_)(tile_id|geom|geometry|geom_l93|lon|lat|longitude|latitude)($|_)"
)
TRAFFIC_COLUMN = re.compile(r"(^|_)(tor|web_adult|youtube|cpc|traffic)($|_)")
# settings, labels and counts, not values
PARAMETER_COLUMN = re.compile(r"_lag_hours$|^n_|^traffic_source$")
PUBLICATION_DB = "cpc_tor_marts.duckdb"
# vars of the build recorded with the publication (the report shows them)
SETTINGS = (
    "traffic_source",
    "correction_method",
    "tor_lag_hours",
    "study_start",
    "study_end",
    "tile_allocation",
    "onion_share_bound",
    "bootstrap_replicates",
    "bootstrap_block_days",
    "bootstrap_level",
)
KEEP_VERSIONS = 3


class PublicationRefused(RuntimeError):
    """The build is not fit to publish (failed, untested, or unsafe output)."""


@dataclass
class Mart:
    name: str
    description: str
    columns: dict[str, str]
    # columns whose meta says `privacy: small_area`: suppressed like per-1000 rates
    small_area: tuple[str, ...] = ()


def published_marts(manifest: dict) -> list[Mart]:
    """Marts (schema marts, enabled) whose meta does not say publish: false."""
    marts = []
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or node["schema"] != "marts":
            continue
        if (
            not node["config"].get("enabled", True)
            or node["config"].get("meta", {}).get("publish") is False
        ):
            continue
        columns = {c: v.get("description", "") for c, v in node.get("columns", {}).items()}
        small_area = tuple(
            c
            for c, v in node.get("columns", {}).items()
            if (v.get("meta") or v.get("config", {}).get("meta") or {}).get("privacy")
            == "small_area"
        )
        marts.append(Mart(node["name"], node.get("description", ""), columns, small_area))
    return sorted(marts, key=lambda m: m.name)


def check_build(target: Path, quality_results: Path | None) -> None:
    results = json.loads((target / "run_results.json").read_text())
    bad = [
        r["unique_id"]
        for r in results["results"]
        if r["status"] in ("error", "fail", "runtime error")
    ]
    if bad:
        raise PublicationRefused(f"the last dbt run has failures, not publishing: {bad[:5]}")
    if results["args"].get("which") not in ("build",):
        raise PublicationRefused("the last dbt invocation was not `dbt build` (models and tests)")
    if quality_results is not None:
        suites = json.loads(quality_results.read_text())
        failed = [s["mart"] for s in suites if s["status"] == "failed"]
        if failed:
            raise PublicationRefused(f"Great Expectations suites failed: {failed}")


def _privacy_select(
    con, mart: str, min_population: int, min_tiles: int, small_area: tuple[str, ...] = ()
) -> tuple[str, list[str]]:
    """SELECT for the published copy of a mart, with small-area suppression; returns it
    with the suppressed columns."""
    columns = [
        r[0]
        for r in con.execute(
            "select column_name from information_schema.columns where table_schema = 'marts' "
            "and table_name = ? order by ordinal_position",
            [mart],
        ).fetchall()
    ]
    forbidden = [c for c in columns if FORBIDDEN_COLUMN.search(c)]
    if forbidden:
        raise PublicationRefused(f"marts.{mart} carries tile-level or location columns {forbidden}")
    conditions: dict[str, list[str]] = {c: [] for c in columns}
    flags = []
    if "pop" in columns:
        # per-1000 rates, and the population they could be recomputed from with the totals
        small = f"coalesce(pop, 0) < {min_population}"
        for c in columns:
            if ("per_1000" in c or c == "pop" or c in small_area) and not PARAMETER_COLUMN.search(
                c
            ):
                conditions[c].append(small)
        flags.append(f"{small} as is_small_population")
    if "n_contributing_tiles" in columns:
        few = f"coalesce(n_contributing_tiles >= {min_tiles}, true) is false"
        for c in columns:
            if TRAFFIC_COLUMN.search(c) and not PARAMETER_COLUMN.search(c):
                conditions[c].append(few)
        flags.append(f"{few} as is_few_tiles")
    parts = [
        f'case when not ({" or ".join(conds)}) then "{c}" end as "{c}"' if conds else f'"{c}"'
        for c, conds in conditions.items()
    ]
    # the flags are computed from the unsuppressed columns, which may themselves be hidden
    select = "select " + ", ".join(parts + flags) + f' from marts."{mart}"'
    return select, [c for c, conds in conditions.items() if conds]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def publish(
    db: Path,
    target: Path,
    out: Path,
    min_population: int,
    min_tiles: int,
    quality_results: Path | None = None,
    fail_after: int | None = None,
) -> Path:
    """Publish the marts of ``db``; returns the new version folder.

    ``fail_after`` (tests only) raises after that many marts, as an interrupted run.
    """
    check_build(target, quality_results)
    manifest = json.loads((target / "manifest.json").read_text())
    marts = published_marts(manifest)
    out.mkdir(parents=True, exist_ok=True)
    versions = out / "versions"
    versions.mkdir(exist_ok=True)
    # sortable and unique: second, nanoseconds within it, process
    now = time.time_ns()
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now // 10**9))
    version_id = f"{stamp}.{now % 10**9:09d}Z-{os.getpid()}"
    staging = versions / f".incomplete-{version_id}"
    staging.mkdir()
    build = build_vars(target)
    record = {
        "version": version_id,
        "min_population": min_population,
        "min_tiles": min_tiles,
        "settings": {k: build.get(k) for k in SETTINGS},
        "tables": {},
    }
    with connect(str(db), read_only=True, names=()) as con:
        con.execute("set threads = 1")  # one writer thread: a fixed Parquet layout
        present = {
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
        for i, mart in enumerate(m for m in marts if m.name in present):
            if fail_after is not None and i >= fail_after:
                raise RuntimeError(f"publication interrupted after {fail_after} marts (test)")
            select, suppressed = _privacy_select(
                con, mart.name, min_population, min_tiles, mart.small_area
            )
            path = staging / f"{mart.name}.parquet"
            con.execute(
                f"copy ({select} order by all) to '{path}' "
                "(format parquet, compression zstd, row_group_size 122880)"
            )
            rows = con.execute(f"select count(*) from read_parquet('{path}')").fetchone()[0]
            record["tables"][mart.name] = {
                "rows": rows,
                "sha256": _sha256(path),
                "suppressed_columns": suppressed,
                "description": mart.description.strip(),
            }
    with connect(str(staging / PUBLICATION_DB), names=()) as pub:
        pub.execute("create schema marts")
        for name, info in record["tables"].items():
            parquet = staging / f"{name}.parquet"
            pub.execute(f"create table marts.\"{name}\" as select * from read_parquet('{parquet}')")
            comment = info["description"][:2000].replace("'", "''")
            pub.execute(f"comment on table marts.\"{name}\" is '{comment}'")
        pub.execute("checkpoint")
    (staging / "publication.json").write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    final = versions / version_id
    staging.rename(final)
    swap(out, final)
    prune(out, keep=KEEP_VERSIONS)
    return final


def swap(out: Path, version: Path) -> float:
    """Point ``out/current`` at ``version`` atomically; returns the seconds it took."""
    started = time.perf_counter()
    link = out / ".current-next"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(Path("versions") / version.name)
    os.replace(link, out / "current")  # rename(2): readers see the old or the new, never none
    return time.perf_counter() - started


def prune(out: Path, keep: int) -> None:
    """Remove old versions (and leftovers of interrupted runs) beyond the last ``keep``.
    Files a reader still holds open stay readable until closed (POSIX unlink)."""
    current = (out / "current").resolve().name if (out / "current").exists() else None
    versions = sorted(p for p in (out / "versions").iterdir() if not p.name.startswith("."))
    for old in versions[:-keep]:
        if old.name != current:
            shutil.rmtree(old)
    for leftover in (out / "versions").glob(".incomplete-*"):
        if time.time() - leftover.stat().st_mtime > 3600:
            shutil.rmtree(leftover)


def build_vars(target: Path) -> dict:
    """The vars the published build ran with: dbt_project.yml's, overridden by the
    ``--vars`` of that build (recorded in run_results.json)."""
    import yaml

    project = yaml.safe_load((Path(__file__).resolve().parents[1] / "dbt_project.yml").read_text())
    results = json.loads((target / "run_results.json").read_text())
    overrides = results["args"].get("vars") or {}
    if isinstance(overrides, str):
        overrides = yaml.safe_load(overrides) or {}
    return {**project["vars"], **overrides}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Publish the marts for BI (atomic swap).")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--target", type=Path, required=True, help="dbt target folder")
    parser.add_argument("--out", type=Path, required=True, help="publication folder")
    parser.add_argument(
        "--min-population",
        type=int,
        help="suppress per-1000 rates of communes below this population "
        "(default: var publication_min_population of the build)",
    )
    parser.add_argument(
        "--min-tiles",
        type=int,
        help="suppress traffic values drawn from fewer NetMob tiles "
        "(default: var publication_min_tiles of the build)",
    )
    parser.add_argument("--quality", type=Path, help="Great Expectations results (JSON)")
    args = parser.parse_args(argv)
    try:
        defaults = build_vars(args.target)
    except FileNotFoundError as exc:
        print(f"publication refused: no dbt build to publish ({exc})", file=sys.stderr)
        return 1
    min_population = args.min_population
    if min_population is None:
        min_population = int(defaults["publication_min_population"])
    min_tiles = args.min_tiles
    if min_tiles is None:
        min_tiles = int(defaults["publication_min_tiles"])
    started = time.perf_counter()
    try:
        version = publish(args.db, args.target, args.out, min_population, min_tiles, args.quality)
    except PublicationRefused as exc:
        print(f"publication refused: {exc}", file=sys.stderr)
        return 1
    print(
        f"published {version} in {time.perf_counter() - started:.2f} s; current -> {version.name}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

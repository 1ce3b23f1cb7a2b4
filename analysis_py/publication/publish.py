"""Safe publication of the marts for BI: Parquet per mart plus a read-only DuckDB file,
swapped in atomically only after a successful build and tests.

    cpc-tor publish --db target/cpc_tor.duckdb --target target --out publish

- Only a build whose dbt run_results.json has no error or failure, and whose Great
  Expectations results (when given) all passed and are newer than it, is published.
- The database must be one build: every published mart built, and every data test on
  it run and passed, by the last dbt invocation, whose vars agree with
  marts.dim_build_settings; otherwise the publication is refused naming the marts and
  the differing vars (a `dbt build --select <mart> --vars ...` leaves the other marts,
  and the settings, of the previous build).
- The marts published are those of the dbt manifest in schema `marts` whose meta does
  not say `publish: false` (the query-level marts holding search queries stay internal).
- Privacy (docs/method.md 10, the paper's cautions), declared in dbt: a published table may
  not carry a tile id, a tile geometry or any geometry at all; each column's privacy
  class is its YAML meta ``privacy`` (read from the manifest; no meta means public):
  ``min_population`` columns (per-1000 rates, the population, commune statistics of
  the rates) are NULL for communes under var publication_min_population inhabitants
  (flag ``is_small_population``); ``min_tiles`` columns (traffic values) are NULL where
  drawn from fewer than var publication_min_tiles NetMob tiles carrying traffic
  (column ``n_contributing_tiles``, flag ``is_few_tiles``), so that no published value
  is one tile's value. Rows whose tile count is unknown (the authors' published commune
  totals) are not suppressed by the tile rule.
- The exposures that list the publication (meta ``lists: publication``) must name
  exactly the marts published, and every column must have a description: the
  publication is refused otherwise. Descriptions go into the DuckDB file (table and
  column comments) and the Parquet files (Arrow field metadata ``description``, file
  metadata ``description`` and ``cpc_tor.column_descriptions``).
- Every published table's comment (DuckDB) and description (Parquet file metadata)
  starts with the data's origin (``data_origin``'s label: the synthetic sample and its
  seed, the authors' derivative, or a user's raw folder). A one-row table
  ``dim_publication`` holds the publication's version, the origin and the build's
  settings, as publication.json does (both from marts.dim_build_settings).
- publication.json records the build's settings (marts.dim_build_settings) and where
  the data come from (``data_origin``: the synthetic sample and its seed, the authors'
  published derivative, or a user's raw folder), which the report shows first.
- Each publication is written to a new folder ``versions/<id>``; the symlink
  ``current`` is then replaced atomically (rename(2)). Readers open
  ``current/cpc_tor_marts.duckdb`` read-only or the Parquet files; a reader keeps the
  version it opened, and never blocks a build (builds never write there).
- Parquet is written by pyarrow in a fixed row order (every column, ascending): the
  same marts give byte-identical files. Integer columns with NULLs read as pandas'
  nullable integers (pandas metadata), GeoJSON as text.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from pathlib import Path

from analysis_py.engines.duck import connect
from analysis_py.publication.manifest import (
    Mart,
    PublicationRefused,
    check_build,
    exposure_gaps,
    published_marts,
    read_settings,
    whole_build_gaps,
)
from analysis_py.publication.origin import data_origin

FORBIDDEN_COLUMN = re.compile(
    r"(^|_)(tile_id|geom|geometry|geom_l93|lon|lat|longitude|latitude)($|_)"
)


PUBLICATION_DB = "cpc_tor_marts.duckdb"


# the oldest DuckDB that opens PUBLICATION_DB (tested: 0.9.2 cannot; Parquet is the
# portable form for older readers)
MIN_DUCKDB_VERSION = "0.10.3"


# the columns the publisher adds, with their descriptions
FLAGS = {
    "is_small_population": "True where the commune has fewer inhabitants than the "
    "publication's min_population (or none known): its min_population columns are NULL.",
    "is_few_tiles": "True where the row's values are drawn from fewer NetMob tiles carrying "
    "traffic than the publication's min_tiles: its min_tiles columns are NULL.",
}


KEEP_VERSIONS = 3


# GeoParquet: a GeoJSON text column of commune boundaries (public ADMIN EXPRESS outlines,
# never tile geometry) is published beside its WKB form, the file's primary geometry in
# its `geo` metadata (GeoParquet 1.1, lon/lat: OGC:CRS84), so that
# geopandas.read_parquet opens it; the GeoJSON column is kept for readers without WKB
GEO_COLUMNS = {
    "commune_boundary_geojson": (
        "commune_boundary_wkb",
        "The commune's boundary as WKB (GeoParquet's primary geometry, longitude/latitude "
        "WGS84), the same polygon as commune_boundary_geojson.",
    ),
}


# the one-row table the publisher adds: which publication this is, where its data come
# from and the settings it was built with (read from marts.dim_build_settings, as
# publication.json: the two agree by construction)
PUBLICATION_TABLE = "dim_publication"
PUBLICATION_TABLE_DESCRIPTION = (
    "One row: this publication, where its data come from and the settings of the build "
    "it publishes (the same record as publication.json)."
)
PUBLICATION_COLUMNS = {
    "publication_version": "The publication's identifier (its folder under versions/: "
    "UTC time and process).",
    "data_origin_kind": "Where the data come from: synthetic_sample, published_derivative, "
    "published_derivative_with_synthetic_sources or raw_folder.",
    "data_origin_label": "The sentence that opens every published table's description.",
    "data_origin": "Where the data come from, in plain words (the report's banner).",
    "synthetic_seed": "The seed of the synthetic sample the build read (NULL for real files).",
    "raw_dir": "The raw folder the build read.",
    "traffic_source": "netmob (the NetMob files, parsed) or published (the authors' commune "
    "totals).",
    "package_version": "The version of this project's Python package that published.",
    "dbt_version": "The dbt version of the build.",
    "min_population": "Rates are NULL for communes under this many inhabitants.",
    "min_tiles": "Traffic values are NULL where drawn from fewer NetMob tiles than this.",
    "settings_json": "Every setting (dbt var) of the build, as JSON (marts.dim_build_settings).",
    "published_tables": "The published marts, as a JSON list.",
}


def _columns(con, mart: str) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "select column_name from information_schema.columns where table_schema = 'marts' "
            "and table_name = ? order by ordinal_position",
            [mart],
        ).fetchall()
    ]


def _privacy_select(
    con, mart: Mart, min_population: int, min_tiles: int
) -> tuple[str, list[str], list[str]]:
    """SELECT for the published copy of a mart, with the small-area suppression its
    columns' privacy classes declare; returns it with the suppressed columns and the
    published column names (the flags included)."""
    columns = _columns(con, mart.name)
    forbidden = [c for c in columns if FORBIDDEN_COLUMN.search(c)]
    if forbidden:
        raise PublicationRefused(
            f"marts.{mart.name} carries tile-level or location columns {forbidden}"
        )
    conditions: dict[str, list[str]] = {c: [] for c in columns}
    flags, flag_names = [], []
    rules = (
        ("min_population", "pop", f"coalesce(pop, 0) < {min_population}", "is_small_population"),
        (
            "min_tiles",
            "n_contributing_tiles",
            f"coalesce(n_contributing_tiles >= {min_tiles}, true) is false",
            "is_few_tiles",
        ),
    )
    for privacy_class, needed, condition, flag in rules:
        wanted = mart.columns_of(privacy_class)
        if wanted and needed not in columns:
            raise PublicationRefused(
                f"marts.{mart.name}: columns {wanted} are of privacy class {privacy_class}, "
                f"which needs a column {needed}"
            )
        for c in wanted:
            conditions[c].append(condition)
        if needed in columns:
            flags.append(f"{condition} as {flag}")
            flag_names.append(flag)
    parts = [
        f'case when not ({" or ".join(conds)}) then "{c}" end as "{c}"' if conds else f'"{c}"'
        for c, conds in conditions.items()
    ]
    # the flags are computed from the unsuppressed columns, which may themselves be hidden
    select = "select " + ", ".join(parts + flags) + f' from marts."{mart.name}"'
    return select, [c for c, conds in conditions.items() if conds], columns + flag_names


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _column_description(mart: Mart, column: str, min_population: int, min_tiles: int) -> str:
    if column in FLAGS:
        return FLAGS[column]
    derived = {wkb: text for wkb, text in GEO_COLUMNS.values()}
    if column in derived:
        return derived[column]
    text = " ".join(mart.columns.get(column, "").split())
    classes = mart.privacy.get(column, frozenset({"public"})) - {"public"}
    notes = {
        "min_population": f"NULL for communes under {min_population} inhabitants",
        "min_tiles": f"NULL where drawn from fewer than {min_tiles} NetMob tiles",
    }
    if classes:
        text += " Published " + "; ".join(notes[c] for c in sorted(classes)) + "."
    return text


def _write_parquet(con, select: str, path: Path, mart: Mart, descriptions: dict, origin: dict):
    """The published rows in a fixed order, with each column's description in the Arrow
    field metadata (pyarrow, pandas and polars read it), the table's description and
    the data origin in the file metadata, and pandas metadata that reads integer columns
    with NULLs as nullable integers (Int64), not floats."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = con.execute(f"{select} order by all").to_arrow_table()
    geo = None
    for source, (wkb_name, _) in GEO_COLUMNS.items():
        if source in table.column_names:
            table, geo = _with_wkb(table, source, wkb_name)
    fields = [
        f.with_metadata({"description": descriptions[f.name], **_privacy_meta(mart, f.name)})
        for f in table.schema
    ]
    nullable_ints = {
        pa.int8(): pd.Int8Dtype(),
        pa.int16(): pd.Int16Dtype(),
        pa.int32(): pd.Int32Dtype(),
        pa.int64(): pd.Int64Dtype(),
    }
    pandas_meta = pa.Schema.from_pandas(
        table.slice(0, 0).to_pandas(types_mapper=nullable_ints.get), preserve_index=False
    ).metadata[b"pandas"]
    metadata = {
        b"description": _table_comment(mart.description, origin).encode(),
        b"cpc_tor.data_origin": origin["summary"].encode(),
        b"cpc_tor.column_descriptions": json.dumps(descriptions, sort_keys=True).encode(),
        b"pandas": pandas_meta,
    }
    if geo is not None:
        metadata[b"geo"] = json.dumps(geo, sort_keys=True).encode()
    table = table.cast(pa.schema(fields, metadata=metadata))
    pq.write_table(
        table,
        path,
        compression="zstd",
        row_group_size=122880,
        use_dictionary=True,
        write_statistics=True,
    )
    return table.num_rows


def _with_wkb(table, source: str, wkb_name: str):
    """``table`` with the WKB form of its GeoJSON column ``source`` appended as
    ``wkb_name``, and the GeoParquet metadata naming it the primary geometry."""
    import pyarrow as pa
    import shapely

    shapes = [None if v is None else shapely.from_geojson(v) for v in table[source].to_pylist()]
    wkb = [None if g is None else shapely.to_wkb(g, output_dimension=2) for g in shapes]
    types = sorted({g.geom_type for g in shapes if g is not None})
    bounds = [shapely.bounds(g).tolist() for g in shapes if g is not None]
    bbox = (
        [min(b[0] for b in bounds), min(b[1] for b in bounds)]
        + [max(b[2] for b in bounds), max(b[3] for b in bounds)]
        if bounds
        else None
    )
    column = {"encoding": "WKB", "geometry_types": types}
    if bbox:
        column["bbox"] = bbox
    geo = {"version": "1.1.0", "primary_column": wkb_name, "columns": {wkb_name: column}}
    return table.append_column(wkb_name, pa.array(wkb, pa.binary())), geo


def _privacy_meta(mart: Mart, column: str) -> dict:
    if column in FLAGS:
        return {"privacy": "public"}
    return {"privacy": ",".join(sorted(mart.privacy.get(column, frozenset({"public"}))))}


def _table_comment(description: str, origin: dict) -> str:
    """A published table's comment (DuckDB) and description (Parquet): the data's origin
    first, whichever table a BI user opens, then what the table holds."""
    return origin["label"] + " " + " ".join(description.split())


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def publish(
    db: Path,
    target: Path,
    out: Path,
    min_population: int | None = None,
    min_tiles: int | None = None,
    quality_results: Path | None = None,
    fail_after: int | None = None,
) -> Path:
    """Publish the marts of ``db``; returns the new version folder. The thresholds
    default to the build's vars publication_min_population and publication_min_tiles.

    ``fail_after`` (tests only) raises after that many marts, as an interrupted run.
    """
    results = check_build(target, quality_results)
    manifest = json.loads((target / "manifest.json").read_text())
    marts = published_marts(manifest)
    with connect(str(db), read_only=True, names=()) as con:
        settings = read_settings(con)
        present = {
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
        marts = [m for m in marts if m.name in present]
        gaps = exposure_gaps(manifest, [m.name for m in marts])
        if gaps:
            raise PublicationRefused(
                "the exposures do not list what is published: " + "; ".join(gaps)
            )
        whole = whole_build_gaps(manifest, results, [m.name for m in marts], settings)
        if whole:
            raise PublicationRefused(
                "the database is not one build: " + "; ".join(whole) + ". Publish what one "
                "`dbt build` made and tested (make run, or dbt build without --select)"
            )
        if min_population is None:
            min_population = int(settings["publication_min_population"])
        if min_tiles is None:
            min_tiles = int(settings["publication_min_tiles"])
        origin = data_origin(settings)
        out.mkdir(parents=True, exist_ok=True)
        versions = out / "versions"
        versions.mkdir(exist_ok=True)
        # sortable and unique: second, nanoseconds within it, process
        now = time.time_ns()
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now // 10**9))
        version_id = f"{stamp}.{now % 10**9:09d}Z-{os.getpid()}"
        staging = versions / f".incomplete-{version_id}"
        staging.mkdir()
        record = {
            "version": version_id,
            "min_population": min_population,
            "min_tiles": min_tiles,
            "duckdb_min_version": MIN_DUCKDB_VERSION,
            "data_origin": origin,
            "settings": settings,
            "tables": {},
        }
        comments: dict[str, tuple[str, dict[str, str]]] = {}
        con.execute("set threads = 1")  # one thread: a fixed row order
        for i, mart in enumerate(marts):
            if fail_after is not None and i >= fail_after:
                raise RuntimeError(f"publication interrupted after {fail_after} marts (test)")
            select, suppressed, names = _privacy_select(con, mart, min_population, min_tiles)
            names += [GEO_COLUMNS[c][0] for c in names if c in GEO_COLUMNS]
            descriptions = {
                c: _column_description(mart, c, min_population, min_tiles) for c in names
            }
            empty = sorted(c for c, d in descriptions.items() if not d.strip())
            if empty:
                raise PublicationRefused(
                    f"marts.{mart.name}: columns without a description in the YAML: {empty}"
                )
            path = staging / f"{mart.name}.parquet"
            rows = _write_parquet(con, select, path, mart, descriptions, origin)
            record["tables"][mart.name] = {
                "rows": rows,
                "sha256": _sha256(path),
                "suppressed_columns": suppressed,
                "description": mart.description.strip(),
            }
            comments[mart.name] = (_table_comment(mart.description, origin), descriptions)
    _write_publication_table(staging, record, origin)
    comments[PUBLICATION_TABLE] = (
        _table_comment(PUBLICATION_TABLE_DESCRIPTION, origin),
        PUBLICATION_COLUMNS,
    )
    record["tables"][PUBLICATION_TABLE] = {
        "rows": 1,
        "sha256": _sha256(staging / f"{PUBLICATION_TABLE}.parquet"),
        "suppressed_columns": [],
        "description": PUBLICATION_TABLE_DESCRIPTION,
    }
    with connect(str(staging / PUBLICATION_DB), names=()) as pub:
        pub.execute("create schema marts")
        for name, (table_comment, descriptions) in comments.items():
            parquet = staging / f"{name}.parquet"
            pub.execute(f"create table marts.\"{name}\" as select * from read_parquet('{parquet}')")
            pub.execute(f'comment on table marts."{name}" is {_sql_text(table_comment)}')
            for column, text in descriptions.items():
                pub.execute(f'comment on column marts."{name}"."{column}" is {_sql_text(text)}')
        pub.execute("checkpoint")
    (staging / "publication.json").write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    final = versions / version_id
    staging.rename(final)
    swap(out, final)
    prune(out, keep=KEEP_VERSIONS)
    return final


def _write_publication_table(staging: Path, record: dict, origin: dict) -> None:
    """dim_publication.parquet: one row from the publication record (settings, origin,
    thresholds, version), each column described, the origin first in the file's
    description."""
    from importlib.metadata import version

    import pyarrow as pa
    import pyarrow.parquet as pq

    settings = record["settings"]
    row = {
        "publication_version": record["version"],
        "data_origin_kind": origin["kind"],
        "data_origin_label": origin["label"],
        "data_origin": origin["summary"],
        "synthetic_seed": origin["synthetic_seed"],
        "raw_dir": settings["raw_dir"],
        "traffic_source": settings["traffic_source"],
        "package_version": version("analysis_py"),
        "dbt_version": settings.get("dbt_version"),
        "min_population": record["min_population"],
        "min_tiles": record["min_tiles"],
        "settings_json": json.dumps(settings, sort_keys=True),
        "published_tables": json.dumps(sorted(record["tables"])),
    }
    types = {"synthetic_seed": pa.int64(), "min_population": pa.int64(), "min_tiles": pa.int64()}
    schema = pa.schema(
        [
            pa.field(name, types.get(name, pa.string()), metadata={"description": text})
            for name, text in PUBLICATION_COLUMNS.items()
        ],
        metadata={
            b"description": _table_comment(PUBLICATION_TABLE_DESCRIPTION, origin).encode(),
            b"cpc_tor.data_origin": origin["summary"].encode(),
        },
    )
    table = pa.Table.from_pylist([row], schema=schema)
    pq.write_table(table, staging / f"{PUBLICATION_TABLE}.parquet", compression="zstd")


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
    """Remove old versions beyond the last ``keep``, and the leftovers of killed runs.
    Files a reader still holds open stay readable until closed (POSIX unlink)."""
    current = (out / "current").resolve().name if (out / "current").exists() else None
    versions = sorted(p for p in (out / "versions").iterdir() if not p.name.startswith("."))
    for old in versions[:-keep]:
        if old.name != current:
            shutil.rmtree(old)
    for leftover in (out / "versions").glob(".incomplete-*"):
        if not _writer_alive(leftover.name):
            shutil.rmtree(leftover, ignore_errors=True)


def _writer_alive(name: str) -> bool:
    """Whether the publication writing ``.incomplete-<version>-<pid>`` still runs: its
    process exists (a killed publication's folder is removed on the next run, one being
    written by a concurrent run is kept)."""
    try:
        pid = int(name.rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True

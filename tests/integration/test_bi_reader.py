"""The publication as a BI tool reads it (Superset, the DuckDB CLI): the catalogue
(information_schema, duckdb_tables()) and the Parquet files' metadata say where the
data come from before anything else, the one-row dim_publication agrees with
publication.json, and in the synthetic sample no commune carries a real place's name.

Reads `make run`'s publication (`publish/current`, made by `make publish`, which
`make test` runs first); the published mode's origin is tested with its own build
(test_published_mode)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from conftest import ROOT

from analysis_py.publication.publish import PUBLICATION_DB, PUBLICATION_TABLE
from analysis_py.synth.reference import CITIES


@pytest.fixture(scope="module")
def current() -> Path:
    current = ROOT / "publish" / "current"
    if not (current / "publication.json").exists():
        pytest.fail("no publication: run `make publish` (or `make run`) first")
    return current.resolve()


@pytest.fixture(scope="module")
def record(current) -> dict:
    return json.loads((current / "publication.json").read_text())


def test_every_table_says_first_that_its_data_are_synthetic(current, record):
    seed = record["settings"]["synthetic_seed"]
    assert seed is not None, "the default build reads the synthetic sample"
    opening = f"SYNTHETIC DATA (sample generated with seed {seed})"
    with duckdb.connect(str(current / PUBLICATION_DB), read_only=True) as con:
        listed = {
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
        comments = dict(
            con.execute(
                "select table_name, comment from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        )
    assert listed == set(comments) == set(record["tables"])
    assert PUBLICATION_TABLE in listed
    assert {t: c for t, c in comments.items() if not (c or "").startswith(opening)} == {}
    for path in sorted(current.glob("*.parquet")):
        description = pq.read_schema(path).metadata[b"description"].decode()
        assert description.startswith(opening), path.name


def test_dim_publication_is_the_publication_record(current, record):
    with duckdb.connect(str(current / PUBLICATION_DB), read_only=True) as con:
        cursor = con.execute(f"select * from marts.{PUBLICATION_TABLE}")
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
        settings_mart = con.execute("select * from marts.dim_build_settings").df()
    assert len(rows) == 1
    row = dict(zip(names, rows[0], strict=True))
    assert row["publication_version"] == record["version"] == current.name
    assert row["data_origin_kind"] == record["data_origin"]["kind"] == "synthetic_sample"
    assert row["data_origin"] == record["data_origin"]["summary"]
    assert row["synthetic_seed"] == record["settings"]["synthetic_seed"]
    assert json.loads(row["settings_json"]) == record["settings"]
    assert (row["min_population"], row["min_tiles"]) == (
        record["min_population"],
        record["min_tiles"],
    )
    # the settings mart, the record and the table agree (one source, marts.dim_build_settings)
    assert settings_mart["correction_method"].iloc[0] == record["settings"]["correction_method"]
    assert json.loads(row["published_tables"]) == sorted(
        set(record["tables"]) - {PUBLICATION_TABLE}
    )


def _real_names() -> set[str]:
    """The real place names an earlier generator gave the sample's communes: each city's
    own commune, the parents of Paris, Lyon and Marseille and their arrondissements
    ("Lyon 3e Arrondissement"), and Ajaccio."""
    names = {"Ajaccio"}
    for city in CITIES:
        names.add(city.name)
        names |= {
            f"{city.name} {'1er' if n == 1 else f'{n}e'} Arrondissement" for n in range(1, 21)
        }
    return names


def test_no_invented_rate_sits_beside_a_real_place_name(current):
    real = _real_names()
    with duckdb.connect(str(current / PUBLICATION_DB), read_only=True) as con:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from duckdb_columns() where schema_name = 'marts' "
                "and column_name = 'commune_name'"
            ).fetchall()
        ]
        assert {"fct_commune_cpc", "dim_commune_boundaries"} <= set(tables)
        for table in tables:
            names = [
                r[0]
                for r in con.execute(f"select distinct commune_name from marts.{table}").fetchall()
            ]
            assert names, table
            assert sorted(set(names) & real) == [], table
            # and every name says what it is
            assert [n for n in names if n is not None and not n.startswith("Synthetic ")] == [], (
                table
            )


def test_boundaries_open_in_geopandas_as_geoparquet(current):
    """dim_commune_boundaries is GeoParquet: geopandas.read_parquet finds its primary
    geometry (WKB, lon/lat) and each polygon is the one of the GeoJSON column kept beside
    it."""
    import geopandas as gpd
    import shapely

    frame = gpd.read_parquet(current / "dim_commune_boundaries.parquet")
    assert frame.geometry.name == "commune_boundary_wkb"
    assert frame.crs.to_string() == "OGC:CRS84"
    assert len(frame) > 0 and frame.geometry.notna().all()
    for wkb_shape, text in zip(frame.geometry, frame["commune_boundary_geojson"], strict=True):
        assert wkb_shape.equals_exact(shapely.from_geojson(text), 0)

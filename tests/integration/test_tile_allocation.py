"""Tile -> commune allocation: centroid (default), area-weighted, crosswalk.

Hand-made geometry: three tiles 0.001 degrees wide on one row; commune A covers tile 1
and the first 30 % of tile 2, commune B the rest of tile 2; tile 3 lies in no commune.
"""

from __future__ import annotations

import pytest
from conftest import query, run_dbt, write_nice_geometry

LON0, LAT0, D = 7.200, 43.700, 0.001
VALUES = {1: 1.0, 2: 10.0, 3: 100.0}  # every slot of the day, per tile
BOUNDARY = LON0 + D + 0.3 * D  # A | B meridian, inside tile 2


def _ring(x0: float, x1: float, y0: float = LAT0, y1: float = LAT0 + D) -> list:
    return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]


def _raw(root) -> None:
    folder = root / "netmob" / "Nice" / "Tor" / "20190330"
    folder.mkdir(parents=True)
    (folder / "Nice_Tor_20190330_DL.txt").write_text(
        "".join(f"{t} " + " ".join([repr(v)] * 96) + "\n" for t, v in VALUES.items())
    )
    write_nice_geometry(
        root,
        {t: _ring(LON0 + (t - 1) * D, LON0 + t * D) for t in VALUES},
        [
            ("06001", "06001", 1000, _ring(LON0 - D, BOUNDARY, LAT0 - D, LAT0 + 2 * D)),
            ("06002", "06002", 1000, _ring(BOUNDARY, LON0 + 2 * D, LAT0 - D, LAT0 + 2 * D)),
        ],
    )
    (root / "insee").mkdir()
    (root / "insee" / "donnees_communes.csv").write_text(
        "CODREG;REG;CODDEP;CODARR;CODCAN;CODCOM;COM;PMUN;PCAP;PTOT\n"
        "93;PACA;06;1;01;001;A;1000;0;1000\n93;PACA;06;1;01;002;B;2000;0;2000\n"
    )
    (root / "crosswalk.csv").write_text(
        "city,tile_id,code_com,weight\nNice,1,06001,1.0\nNice,2,06001,0.5\nNice,2,06002,0.25\n"
    )


def _build(tmp_path_factory, rule: str):
    work = tmp_path_factory.mktemp(rule)
    raw = work / "raw"
    _raw(raw)
    dbt_vars = {
        "raw_dir": str(raw),
        "netmob_cities": ["Nice"],
        "netmob_services": ["Tor"],
        "study_start": "2019-03-30",
        "study_end": "2019-03-30",
        "admin_communes_path": "admin/COMMUNE.geojson",
        "admin_arrondissements_path": "",
        "tile_allocation": rule,
        "tile_crosswalk_path": "crosswalk.csv",
        "max_share_traffic_outside_communes": 1.0,
    }
    run_dbt(
        [
            "build",
            "--select",
            "+int_commune_traffic_totals",
            "+fct_tile_allocation_summary",
            "resource_type:seed",
        ],
        work,
        dbt_vars,
    )
    return work


def _allocation(work) -> dict:
    rows = query(
        work,
        """select tile_id, coalesce(code_com, 'outside'), weight
        from intermediate.int_tiles_allocated_to_communes""",
    )
    return {(t, c): w for t, c, w in rows}


def _totals(work) -> dict:
    rows = query(
        work, "select code_com, target_traffic from intermediate.int_commune_traffic_totals"
    )
    return dict(rows)


def test_centroid_rule(tmp_path_factory):
    work = _build(tmp_path_factory, "centroid")
    assert _allocation(work) == {(1, "06001"): 1.0, (2, "06002"): 1.0, (3, "outside"): 1.0}
    assert _totals(work) == pytest.approx({"06001": 96 * 1.0, "06002": 96 * 10.0})
    share = query(
        work, "select n_tiles_outside, share_outside from marts.fct_tile_allocation_summary"
    )
    assert share == [(1.0, pytest.approx(96 * 100 / (96 * 111)))]


def test_area_weighted(tmp_path_factory):
    work = _build(tmp_path_factory, "area_weighted")
    alloc = _allocation(work)
    assert set(alloc) == {(1, "06001"), (2, "06001"), (2, "06002"), (3, "outside")}
    assert alloc[(1, "06001")] == pytest.approx(1.0, abs=1e-9)
    # meridians are nearly straight in Lambert-93 at this scale: 30 % / 70 % within 1e-3
    assert alloc[(2, "06001")] == pytest.approx(0.3, abs=1e-3)
    assert alloc[(2, "06002")] == pytest.approx(0.7, abs=1e-3)
    # traffic is shared with the weights quantised to parts per million (exact sums)
    ppm = dict(
        ((t, c), p)
        for t, c, p in query(
            work,
            """select tile_id, coalesce(code_com, 'outside'), weight_ppm
            from intermediate.int_tiles_allocated_to_communes""",
        )
    )
    assert ppm[(2, "06001")] + ppm[(2, "06002")] == 1_000_000
    assert ppm[(2, "06001")] == round(alloc[(2, "06001")] * 1e6) or ppm[(2, "06001")] == int(
        alloc[(2, "06001")] * 1e6
    )
    totals = _totals(work)
    assert totals["06001"] == pytest.approx(96 * (1.0 + 10.0 * ppm[(2, "06001")] / 1e6), rel=1e-12)
    assert totals["06002"] == pytest.approx(96 * 10.0 * ppm[(2, "06002")] / 1e6, rel=1e-12)


def test_crosswalk(tmp_path_factory):
    work = _build(tmp_path_factory, "crosswalk")
    assert _allocation(work) == {
        (1, "06001"): 1.0,
        (2, "06001"): 0.5,
        (2, "06002"): 0.25,
        (2, "outside"): 0.25,
        (3, "outside"): 1.0,
    }
    assert _totals(work) == pytest.approx({"06001": 96 * (1.0 + 5.0), "06002": 96 * 2.5})
    share = query(
        work, "select n_tiles_outside, share_outside from marts.fct_tile_allocation_summary"
    )
    assert share == [(1.25, pytest.approx(96 * (2.5 + 100) / (96 * 111)))]

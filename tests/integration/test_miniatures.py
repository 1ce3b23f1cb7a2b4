"""Every staging loader on a miniature of its publisher's format, written by hand here.

One dbt build of the staging layer reads a raw folder made of these miniatures (not of
generator output); each test then checks what landed where.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from conftest import query, run_dbt

from analysis_py.engines.duck import connect

NETMOB_NORMAL = (
    "\n".join(
        [
            "5 " + " ".join(str(v) for v in range(1, 97)),  # value k is slot k-1
            "7 " + " ".join(["0.5"] * 96),
        ]
    )
    + "\n"
)
# 2019-03-31: 92 values, 02:00-02:45 do not exist (value 9 is 03:00)
NETMOB_DST = (
    "\n".join(
        [
            "5 " + " ".join(str(v) for v in range(1, 93)),
            "7 " + " ".join(["0.25"] * 92),
        ]
    )
    + "\n"
)


def _square(lon: float, lat: float, d: float = 0.001) -> list:
    return [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]]


def _feature(props: dict, ring: list) -> dict:
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Polygon", "coordinates": ring},
    }


TILES = {
    "type": "FeatureCollection",
    "features": [
        _feature({"tile_id": 5}, _square(7.2600, 43.7000)),
        _feature({"tile_id": 7}, _square(7.2614, 43.7000)),
    ],
}
COMMUNES = {
    "type": "FeatureCollection",
    "features": [
        _feature(
            {
                "INSEE_COM": "01009",
                "NOM_COM": "Andert-et-Condon",
                "INSEE_DEP": "01",
                "INSEE_REG": "84",
                "CODE_EPCI": "200040350",
                "POPULATION": 345,
            },
            _square(5.65, 45.79, 0.02),
        ),
        _feature(
            {
                "INSEE_COM": "2A004",
                "NOM_COM": "Ajaccio",
                "INSEE_DEP": "2A",
                "INSEE_REG": "94",
                "CODE_EPCI": "242010056",
                "POPULATION": 70817,
            },
            _square(8.70, 41.90, 0.05),
        ),
        _feature(
            {
                "INSEE_COM": "75056",
                "NOM_COM": "Paris",
                "INSEE_DEP": "75",
                "INSEE_REG": "11",
                "CODE_EPCI": "200054781",
                "POPULATION": 2175601,
            },
            _square(2.25, 48.81, 0.15),
        ),
    ],
}
ARRONDISSEMENTS = {
    "type": "FeatureCollection",
    "features": [
        _feature(
            {
                "INSEE_ARM": "75101",
                "NOM": "Paris 1er Arrondissement",
                "INSEE_COM": "75056",
                "POPULATION": 16252,
            },
            _square(2.33, 48.86, 0.01),
        ),
    ],
}
POPULATIONS = """CODREG;REG;CODDEP;CODARR;CODCAN;CODCOM;COM;PMUN;PCAP;PTOT
84;Auvergne-Rhône-Alpes;01;1;05;009;Andert-et-Condon;345;5;350
94;Corse;2A;1;01;004;Ajaccio;70817;1200;72017
11;Île-de-France;75;1;99;101;Paris 1er Arrondissement;16252;211;16463
"""
ELECTION_HEADER = (
    "Code du département;Libellé du département;Code de la commune;Libellé de la commune;"
    "Inscrits;Abstentions;% Abs/Ins;Votants;% Vot/Ins;Blancs;% Blancs/Ins;% Blancs/Vot;Nuls;"
    "% Nuls/Ins;% Nuls/Vot;Exprimés;% Exp/Ins;% Exp/Vot;N°Panneau;Sexe;Nom;Prénom;Voix;"
    "% Voix/Ins;% Voix/Exp"
)
_ELECTION_TAILS = (  # the nine other candidates, identical in both rows
    "4;M;HAMON;Benoît;20;7,72;9,43;9;M;MÉLENCHON;Jean-Luc;19;7,34;8,96;"
    "1;M;DUPONT-AIGNAN;Nicolas;10;3,86;4,72;10;M;ASSELINEAU;François;3;1,16;1,42;"
    "5;F;ARTHAUD;Nathalie;2;0,77;0,94;6;M;POUTOU;Philippe;2;0,77;0,94;"
    "7;M;CHEMINADE;Jacques;1;0,39;0,47;8;M;LASSALLE;Jean;1;0,39;0,47"
)
ELECTION = (
    ELECTION_HEADER + "\n"
    # Ain commune 9 (01009): LE PEN first, MACRON second, FILLON third
    "1;Ain;9;Andert-et-Condon;259;38;14,67;221;85,33;6;2,32;2,71;3;1,16;1,36;212;81,85;95,93;"
    "2;F;LE PEN;Marine;70;27,03;33,02;3;M;MACRON;Emmanuel;50;19,31;23,58;"
    "11;M;FILLON;François;34;13,13;16,04;" + _ELECTION_TAILS + "\n"
    # Corse-du-Sud commune 4 (2A004): MACRON first
    "2A;Corse-du-Sud;4;Ajaccio;259;38;14,67;221;85,33;6;2,32;2,71;3;1,16;1,36;212;81,85;95,93;"
    "3;M;MACRON;Emmanuel;70;27,03;33,02;2;F;LE PEN;Marine;50;19,31;23,58;"
    "11;M;FILLON;François;34;13,13;16,04;" + _ELECTION_TAILS + "\n"
)
SSMSI = (
    "\ufeffCODGEO_2023;annee;classe;unité.de.compte;valeur.publiée;faits;tauxpourmille;"
    "complementinfoval;complementinfotaux;POP;millPOP;LOG;millLOG\n"
    "01009;19;Violences sexuelles;victime;ndiff;NA;NA;1,8;0,512345;350;19;180;19\n"
    "2A004;19;Violences sexuelles;victime;diff;56;0,790710;NA;NA;70817;19;40000;19\n"
    "2A004;19;Usage de stupéfiants;Mis en cause;diff;120;1,694508;NA;NA;70817;19;40000;19\n"
)
TRENDS = (
    "\ufeffCategory: All categories\n\n"
    "Region,pthc: (1/1/17 - 12/31/21),omegle: (1/1/17 - 12/31/21)\n"
    "Brittany,42,100\n"
    "Corsica,,<1\n"
    "Île-de-France,100,7\n"
)
QUERIES = (
    "timestamp,client_id,query\n"
    "2009-03-01 10:00:00,81.2.3.4,Madonna MP3\n"
    '2009-03-01 10:05:00,81.2.3.4,"kid, sex"\n'
    "2009-03-01 11:00:00,10.0.0.1,\n"
    "2009-03-01 11:30:00,,pthc\n"
)
SALT = "pytest-salt"
EXPERT_VOTES = (
    "query,expert,answer\n"
    "pthc,expert_01,paedophile\n"
    '"kid, sex",expert_01,don\'t know\n'
    "madonna mp3,expert_02,not\n"
)


def _indicator_sheet(path: Path, code_header: str, rows: list, labels: list[str]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append([code_header, "Libellé", *labels])
    for row in rows:
        ws.append(row)
    wb.save(path)


@pytest.fixture(scope="module")
def staged(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("miniature")
    raw = work / "raw"
    for day, text in (("20190330", NETMOB_NORMAL), ("20190331", NETMOB_DST)):
        folder = raw / "netmob" / "Nice" / "Tor" / day
        folder.mkdir(parents=True)
        (folder / f"Nice_Tor_{day}_DL.txt").write_text(text)
    (raw / "netmob" / "Nice" / "Nice.geojson").write_text(json.dumps(TILES))
    (raw / "admin").mkdir()
    (raw / "admin" / "COMMUNE.geojson").write_text(json.dumps(COMMUNES))
    (raw / "admin" / "ARRONDISSEMENT_MUNICIPAL.geojson").write_text(json.dumps(ARRONDISSEMENTS))
    (raw / "insee").mkdir()
    (raw / "insee" / "donnees_communes.csv").write_text(POPULATIONS)
    na = "N/A - résultat non disponible"
    _indicator_sheet(
        raw / "insee" / "com.xlsx",
        "code_com",
        [["01009", "Andert-et-Condon", 17.3, na], ["2A004", "Ajaccio", 852.5, 48.1]],
        [
            "Densité de population (historique depuis 1876) 2020",
            "Part des pers. de 15 ans ou + célibataires 2020",
        ],
    )
    _indicator_sheet(
        raw / "insee" / "epci.xlsx",
        "code_epci",
        [["200040350", "CC Bugey Sud", 13.2], ["242010056", "CA du Pays Ajaccien", na]],
        ["Taux de pauvreté 2020"],
    )
    _indicator_sheet(
        raw / "insee" / "dep.xlsx",
        "code_dept",
        [["01", "Ain", 5.5], ["2A", "Corse-du-Sud", 7.9]],
        ["Taux de chômage annuel moyen 2022"],
    )
    (raw / "elections").mkdir()
    (raw / "elections" / "t1.csv").write_text(ELECTION)
    (raw / "ssmsi").mkdir()
    (raw / "ssmsi" / "crime.csv").write_bytes(SSMSI.encode("utf-8"))
    (raw / "overture").mkdir()
    with connect() as con:
        con.execute(
            f"""
            copy (
                select * from (values
                    ('p1', {{'common': [{{'value': 'École', 'language': 'fr'}}]}},
                     {{'main': 'school', 'alternate': ['education']}}, 0.9,
                     {{'minX': 2.35, 'maxX': 2.35, 'minY': 48.85, 'maxY': 48.85}},
                     st_point(2.35, 48.85)),
                    ('p2', {{'common': [{{'value': 'Mosquée', 'language': 'fr'}}]}},
                     {{'main': 'mosque', 'alternate': []::varchar[]}}, 0.6,
                     {{'minX': 7.26, 'maxX': 7.26, 'minY': 43.70, 'maxY': 43.70}},
                     st_point(7.26, 43.70))
                ) t(id, names, categories, confidence, bbox, geometry)
            ) to '{raw / "overture" / "places.parquet"}' (format parquet)
            """
        )
    (raw / "trends").mkdir()
    (raw / "trends" / "geoMap.csv").write_bytes(TRENDS.encode("utf-8"))
    (raw / "queries").mkdir()
    (raw / "queries" / "log.csv").write_text(QUERIES)
    (raw / "queries" / "votes.csv").write_text(EXPERT_VOTES)
    dbt_vars = {
        "raw_dir": str(raw),
        "netmob_cities": ["Nice"],
        "netmob_services": ["Tor"],
        "study_start": "2019-03-30",
        "study_end": "2019-03-31",
        "admin_communes_path": "admin/COMMUNE.geojson",
        "admin_arrondissements_path": "admin/ARRONDISSEMENT_MUNICIPAL.geojson",
        "insee_commune_indicators_path": "insee/com.xlsx",
        "insee_epci_indicators_path": "insee/epci.xlsx",
        "insee_department_indicators_path": "insee/dep.xlsx",
        "elections_path": "elections/t1.csv",
        "ssmsi_path": "ssmsi/crime.csv",
        # the miniature's crime file holds 2019 only (every year of the var must be there)
        "ssmsi_years": [2019],
        "trends_glob": "trends/*.csv",
        "query_log_path": "queries/log.csv",
        "expert_votes_path": "queries/votes.csv",
        "query_client_salt": SALT,
        # the miniature's two tiles lie in none of its communes (Ain, Ajaccio)
        "max_share_traffic_outside_communes": 1.0,
    }
    # the staging layer, and the parse: the one model that reads the NetMob text
    run_dbt(
        [
            "build",
            "--select",
            "path:models/staging",
            "resource_type:seed",
            "+int_traffic_parsed_by_partition",
        ],
        work,
        dbt_vars,
    )
    return work


# the parse sums both tiles of the file per commune, in nano-units (1e-9 traffic units)
NANO = 10**9


def _slots(staged, day: str, slots: str) -> list[tuple]:
    return query(
        staged,
        f"""select {slots} from intermediate.int_traffic_parsed_by_partition
        where traffic_date = '{day}'""",
    )


def test_regular_day_slots(staged):
    # tile 5 holds k in slot k - 1, tile 7 holds 0.5 everywhere
    row = _slots(staged, "2019-03-30", "v_0000, v_0215, v_0300, v_2345")
    assert row == [(1.5 * NANO, 10.5 * NANO, 13.5 * NANO, 96.5 * NANO)]


def test_clock_change_row_lands_on_the_right_slots(staged):
    row = _slots(staged, "2019-03-31", "v_0000, v_0145, v_0200, v_0245, v_0300, v_2345")
    # value 9 of a 92-value row is 03:00; 02:00-02:45 do not exist
    assert row == [(1.25 * NANO, 8.25 * NANO, None, None, 9.25 * NANO, 92.25 * NANO)]


def test_traffic_keys_from_file_names(staged):
    rows = query(
        staged,
        """
        select city, service, direction, traffic_date, n_tile_rows
        from intermediate.int_traffic_parsed_by_partition order by traffic_date""",
    )
    assert [r[:3] for r in rows] == [("Nice", "Tor", "DL")] * 2
    assert [str(r[3]) for r in rows] == ["2019-03-30", "2019-03-31"]
    assert [r[4] for r in rows] == [2, 2]


def test_tiles_in_lambert93(staged):
    rows = query(
        staged,
        """
        select tile_id, source_crs, st_x(st_centroid(geom_l93)), st_y(st_centroid(geom_l93))
        from staging.stg_netmob__tiles order by tile_id""",
    )
    assert [r[0] for r in rows] == [5, 7]
    assert rows[0][1] == "EPSG:4326"
    # Nice, 7.26 E 43.70 N, lies near (1 043 000, 6 298 000) in Lambert-93: metres, not degrees
    assert rows[0][2] == pytest.approx(1_043_000, abs=5_000)
    assert rows[0][3] == pytest.approx(6_298_000, abs=5_000)
    # the two tiles are 0.0014 degrees of longitude apart: about 113 m at 43.7 N
    assert rows[1][2] - rows[0][2] == pytest.approx(113, abs=3)


def test_commune_codes_stay_text(staged):
    rows = query(
        staged,
        """
        select code_com, typeof(code_com), code_dep from staging.stg_admin__communes
        order by code_com""",
    )
    assert rows == [
        ("01009", "VARCHAR", "01"),
        ("2A004", "VARCHAR", "2A"),
        ("75056", "VARCHAR", "75"),
    ]
    pops = query(
        staged,
        "select code_com, municipal_population "
        "from staging.stg_insee__legal_populations order by 1",
    )
    assert pops == [("01009", 345), ("2A004", 70817), ("75101", 16252)]
    arm = query(
        staged, "select code_arm, code_parent_com from staging.stg_admin__municipal_arrondissements"
    )
    assert arm == [("75101", "75056")]


def test_insee_not_available_is_null(staged):
    rows = query(
        staged,
        """
        select code_com, indicator_value, is_unavailable from staging.stg_insee__commune_indicators
        where indicator_label like 'Part des pers.%' order by 1""",
    )
    assert rows == [("01009", None, True), ("2A004", 48.1, False)]
    dep = query(
        staged,
        "select code_dep, indicator_value from staging.stg_insee__department_indicators order by 1",
    )
    assert dep == [("01", 5.5), ("2A", 7.9)]


def test_election_candidates_by_name_not_position(staged):
    rows = query(
        staged,
        """
        select code_com, candidate_surname, block_position, votes, pct_votes_of_registered
        from staging.stg_elections__presidential_2017_candidates
        where candidate_surname in ('LE PEN', 'MACRON') order by 1, 2""",
    )
    assert rows == [
        ("01009", "LE PEN", 1, 70, 27.03),
        ("01009", "MACRON", 2, 50, 19.31),
        ("2A004", "LE PEN", 2, 50, 19.31),
        ("2A004", "MACRON", 1, 70, 27.03),
    ]
    turnout = query(
        staged,
        """select distinct code_com, pct_valid_of_registered
        from staging.stg_elections__presidential_2017_candidates order by 1""",
    )
    assert turnout == [("01009", 81.85), ("2A004", 81.85)]


def test_ssmsi_ndiff_and_comma_decimals(staged):
    rows = query(
        staged,
        """
        select code_com, year, is_commune_value_published, facts, rate_per_1000,
               department_mean_rate_per_1000, source_edition
        from staging.stg_ssmsi__communal_crime
        where crime_class = 'Violences sexuelles' order by 1""",
    )
    assert rows == [
        ("01009", 2019, False, None, None, 0.512345, "geographie2023"),
        ("2A004", 2019, True, 56.0, 0.79071, None, "geographie2023"),
    ]


def test_overture_2023_schema(staged):
    rows = query(
        staged,
        """select place_id, category, source_schema, round(lon, 2), round(lat, 2)
        from staging.stg_overture__places order by 1""",
    )
    assert rows == [
        ("p1", "school", "2023-07-26-alpha.0", 2.35, 48.85),
        ("p2", "mosque", "2023-07-26-alpha.0", 7.26, 43.7),
    ]


def test_trends_blank_and_below_one(staged):
    rows = query(
        staged,
        """select region_name, search_term, interest, is_too_little_data, is_below_one
        from staging.stg_trends__interest_by_region order by 1, 2""",
    )
    assert rows == [
        ("Brittany", "omegle", 100, False, False),
        ("Brittany", "pthc", 42, False, False),
        ("Corsica", "omegle", None, False, True),
        ("Corsica", "pthc", None, True, False),
        ("Île-de-France", "omegle", 7, False, False),
        ("Île-de-France", "pthc", 100, False, False),
    ]
    ranges = query(staged, "select distinct time_range from staging.stg_trends__interest_by_region")
    assert ranges == [("1/1/17 - 12/31/21",)]


def test_query_clients_hashed_with_salt(staged):
    rows = query(
        staged,
        """select record_number, client_hash, is_client_missing, query_raw
        from staging.stg_queries__query_log order by 1""",
    )
    expected = hashlib.sha256((SALT + "81.2.3.4").encode()).hexdigest()
    assert rows[0] == (1, expected, False, "Madonna MP3")
    assert rows[1][3] == "kid, sex"
    assert rows[2][2:] == (False, "")  # an empty query is kept here, dropped when normalised
    assert rows[3][2:] == (True, "pthc")
    with_clear = query(
        staged,
        """select count(*) from staging.stg_queries__query_log
        where client_hash like '%81.2.3.4%'""",
    )
    assert with_clear == [(0,)]


def test_expert_votes_keep_quoted_queries_and_answers(staged):
    rows = query(
        staged,
        "select query, expert, answer from staging.stg_assessment__expert_votes order by 2, 1",
    )
    assert rows == [
        ("kid, sex", "expert_01", "don't know"),
        ("pthc", "expert_01", "paedophile"),
        ("madonna mp3", "expert_02", "not"),
    ]

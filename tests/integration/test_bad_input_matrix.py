"""The bad-input matrix (README, "Data quality"): realistic faults in every raw source,
each ending in one of three outcome classes:

- ``error``: the build stops, and the message names the file and the line or key (and
  what was expected);
- ``warn``: the rows are set aside (or repaired) and counted, and a warning names them;
- ``accepted``: the file is read right, every value as in the unfaulted file.

A small valid raw folder (one city, three days) is generated once and built once (the
reference). Cases are grouped in waves: one raw folder holding one fault per file and
one ``dbt build`` of the models that read those files (with their tests), so a wave
checks many cases at once; cases that share a file, a model or a var setting go to
different waves. Each case asserts its outcome class and its message. A final check
greps every wave's dbt log: no "Got N results" line without a file name.

Every wave builds in one database, first filled by the unfaulted build (the
reference); a wave rebuilds only its cases' models, so NetMob cases read the reference's
tile allocation. The checks fire at (or right after) the staging model that reads the file: the same
nodes a partial build ``dbt build --select +<mart>`` runs before the mart, which
test_every_check_guards_the_marts_reading_the_file proves on the manifest for each case
(tests/integration/test_gates.py runs such partial builds end to end).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import ROOT, dbt_output, run_dbt

from analysis_py.engines.duck import connect
from analysis_py.synth import Options, generate

CITY = "Nice"
BASE_VARS = {"netmob_cities": [CITY], "study_start": "2019-03-16", "study_end": "2019-03-18"}
SSMSI = "ssmsi/donnee-data.gouv-2022-geographie2023-produit-le2023-07-17.csv"
POPULATIONS = "insee/donnees_communes.csv"
COMMUNE_SHEET = "insee/commune_level_demographic_data.xlsx"
EPCI_SHEET = "insee/inter_communalite_demographic_data.xlsx"
DEPARTMENT_SHEET = "insee/department_level_demographic_data.xlsx"
ELECTIONS = "elections/Presidentielle_2017_Resultats_Communes_Tour_1.csv"
QUERY_LOG = "queries/query_log.csv"
VOTES = "queries/expert_votes.csv"
TRENDS = "trends/geoMap_01.csv"
COMMUNES = "admin/COMMUNE.shp"
TILES = f"netmob/{CITY}/{CITY}.geojson"
PLACES = "overture/places.parquet"


def traffic(service: str, day: str) -> str:
    return f"netmob/{CITY}/{service}/2019031{day}/{CITY}_{service}_2019031{day}_DL.txt"


# the models a case builds (with their tests), by the file it breaks
SSMSI_MODELS = ("stg_ssmsi__communal_crime",)
POPULATION_MODELS = ("stg_insee__legal_populations",)
ADMIN = ("stg_admin__communes", "stg_admin__municipal_arrondissements")
GEOGRAPHY = (
    "stg_admin__communes",
    "stg_admin__municipal_arrondissements",
    "stg_insee__legal_populations",
    "int_communes_unioned",
)
# the NetMob files' models; the tile allocation they read is the reference build's (no
# wave rebuilds it), but a failure in its parents would skip them (NEEDS)
PARSE = ("stg_netmob__files", "int_netmob_files_listed", "int_traffic_parsed_by_partition")
NEEDS = (*GEOGRAPHY, "stg_netmob__tiles")
TRENDS_MODELS = (
    "stg_trends__interest_by_region",
    "int_trends_exports_by_region",
    "int_trends_interest_by_region",
)


# ------------------------------------------------------------------ file helpers


def read_lines(path: Path) -> list[str]:
    return path.read_bytes().decode("utf-8-sig").splitlines()


def write_lines(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def edit_fields(path: Path, line: int, sep: str, edit: Callable[[list[str]], None]) -> list[str]:
    """Edit the fields of line ``line`` (1-based, header = 1) of a delimited file."""
    lines = read_lines(path)
    fields = lines[line - 1].split(sep)
    edit(fields)
    lines[line - 1] = sep.join(fields)
    write_lines(path, lines)
    return fields


def first_line(path: Path, predicate: Callable[[str], bool]) -> int:
    """The 1-based number of the first data line meeting ``predicate``."""
    return next(i for i, line in enumerate(read_lines(path)[1:], 2) if predicate(line))


def move_column(path: Path, sep: str, name: str) -> None:
    """Move the column ``name`` (header and data) to the end of every line."""
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig")), delimiter=sep))
    at = rows[0].index(name)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\n")
    for row in rows:
        writer.writerow([*row[:at], *row[at + 1 :], row[at]])
    path.write_text(out.getvalue(), encoding="utf-8")


def edit_sheet(path: Path, edit: Callable) -> None:
    import openpyxl

    book = openpyxl.load_workbook(path)
    edit(book["Data"])
    book.save(path)


def edit_layer(path: Path, edit: Callable) -> None:
    """Edit a geometry file with geopandas (GDAL), rewriting it in its format and CRS."""
    import geopandas

    frame = geopandas.read_file(path)
    frame = edit(frame)
    frame.to_file(path)


def bowtie(polygon):
    """A self-intersecting bow tie (invalid) inside the polygon, 20 m (or 2e-4 degrees)
    across, around its representative point: repaired, it overlaps no neighbour."""
    from shapely.geometry import Polygon

    point = polygon.representative_point()
    d = 10.0 if abs(point.x) > 180 else 1e-4
    x0, y0, x1, y1 = point.x - d, point.y - d, point.x + d, point.y + d
    return Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1), (x0, y0)])


def region_code(name: str) -> str:
    with (ROOT / "seeds" / "ref_trends_regions.csv").open(encoding="utf-8") as f:
        return next(
            r["region_code"] for r in csv.DictReader(f) if name in (r["name_en"], r["name_fr"])
        )


# ------------------------------------------------------------------ the cases


@dataclass(frozen=True)
class Case:
    """One fault: ``apply(raw)`` breaks the folder and returns the values the expected
    messages name (each a format string over them and ``path``, the absolute path of
    ``files[0]``; a string starting with ``re:`` is a regular expression)."""

    id: str
    source: str
    fault: str
    outcome: str  # error | warn | accepted
    files: tuple[str, ...]
    models: tuple[str, ...]
    apply: Callable[[Path], dict]
    expect: tuple[str, ...] = ()
    vars: dict = field(default_factory=dict)
    # accepted (and repaired) cases: a relation whose rows must equal the reference's,
    # compared without the columns listed (e.g. source_file, whose folder differs)
    same_as_reference: str | None = None
    ignore: tuple[str, ...] = ("source_file",)
    # the model that reads the file (default: the first of ``models``)
    reader: str | None = None
    # an error raised by a data test of this model (not by a model): cases whose tests of
    # the same model fail can share a wave, dbt runs every test of a model
    at_test: str | None = None
    # models not rebuilt by the case whose failure would skip it (dbt skips the
    # descendants of a failed node, through nodes left out of the selection too)
    needs: tuple[str, ...] = ()


def _ssmsi_reordered(raw):
    move_column(raw / SSMSI, ";", "tauxpourmille")
    return {}


def _ssmsi_2024(raw):
    path = raw / SSMSI
    lines = read_lines(path)
    lines[0] = (
        "CODGEO_2024;annee;indicateur;unite_de_compte;est_diffuse;nombre;taux_pour_mille;"
        "complement_info_nombre;complement_info_taux;insee_pop;insee_pop_millesime;insee_log;"
        "insee_log_millesime"
    )
    write_lines(path, lines)
    return {}


def _ssmsi_renamed_column(raw):
    path = raw / SSMSI
    lines = read_lines(path)
    lines[0] = lines[0].replace(";faits;", ";nb_faits;")
    write_lines(path, lines)
    return {}


def _ssmsi_year_missing(raw):
    path = raw / SSMSI
    lines = read_lines(path)
    write_lines(path, [lines[0], *(line for line in lines[1:] if line.split(";")[1] != "18")])
    return {}


def _ssmsi_class_renamed(raw):
    path = raw / SSMSI
    text = path.read_bytes().decode("utf-8-sig")
    path.write_text(text.replace(";Violences sexuelles;", ";Violences sexuelles (ensemble);"))
    return {}


def _ssmsi_ndiff_with_value(raw):
    path = raw / SSMSI
    line = first_line(path, lambda s: ";ndiff;" in s)

    def edit(f):
        f[5], f[6] = "3", "1,5"

    fields = edit_fields(path, line, ";", edit)
    return {"line": line, "code": fields[0]}


def _ssmsi_duplicated(raw):
    path = raw / SSMSI
    lines = read_lines(path)
    write_lines(path, [*lines, lines[4]])
    return {"line": 5, "copy": len(lines) + 1}


def _code_lost_zero(path: Path, sep: str, column: int = 0):
    line = first_line(path, lambda s: s.split(sep)[column].startswith("0"))

    def edit(f):
        f[column] = f[column][1:]

    fields = edit_fields(path, line, sep, edit)
    return {"line": line, "code": fields[column]}


def _ssmsi_bad_number(raw):
    path = raw / SSMSI
    line = first_line(path, lambda s: ";diff;" in s)

    def edit(f):
        f[5] = "1,2,3"

    fields = edit_fields(path, line, ";", edit)
    return {"line": line, "code": fields[0], "year": fields[1]}


def _populations_reordered(raw):
    move_column(raw / POPULATIONS, ";", "PMUN")
    return {}


def _populations_values_swapped(raw):
    path = raw / POPULATIONS

    def edit(f):
        f[7], f[9] = f[9], f[7]

    fields = edit_fields(path, 2, ";", edit)
    return {"line": 2, "code": fields[2] + fields[5]}


def _populations_code_lost_zero(raw):
    values = _code_lost_zero(raw / POPULATIONS, ";", column=2)
    fields = read_lines(raw / POPULATIONS)[values["line"] - 1].split(";")
    return {**values, "code": fields[2] + fields[5]}


def _populations_duplicated(raw):
    path = raw / POPULATIONS
    lines = read_lines(path)
    write_lines(path, [*lines, lines[2]])
    return {"line": 3, "copy": len(lines) + 1}


def _populations_column_dropped(raw):
    path = raw / POPULATIONS
    write_lines(
        path, [";".join(line.split(";")[:8] + line.split(";")[9:]) for line in read_lines(path)]
    )
    return {}


def _sheet_relabel(old: str, new: str):
    def apply(sheet):
        for cell in sheet[1]:
            if cell.value == old:
                cell.value = new

    return apply


SINGLES = "Part des pers. de 15 ans ou + célibataires 2020"
DENSITY = "Densité de population (historique depuis 1876) 2020"
POVERTY = "Taux de pauvreté 2020"


def _commune_indicator_renamed(raw):
    edit_sheet(raw / COMMUNE_SHEET, _sheet_relabel(SINGLES, SINGLES.replace("2020", "2021")))
    return {}


def _commune_column_dropped(raw):
    def apply(sheet):
        at = next(c.column for c in sheet[1] if c.value == DENSITY)
        sheet.delete_cols(at)

    edit_sheet(raw / COMMUNE_SHEET, apply)
    return {}


def _commune_row_duplicated(raw):
    copied = {}

    def apply(sheet):
        row = [c.value for c in sheet[3]]
        copied["code"] = row[0]
        sheet.append(row)
        copied["copy"] = sheet.max_row

    edit_sheet(raw / COMMUNE_SHEET, apply)
    return {"line": 3, **copied}


def _commune_sheet_code_lost_zero(raw):
    out = {}

    def apply(sheet):
        cell = sheet.cell(row=2, column=1)
        out["code"] = str(int(cell.value))
        cell.value = int(cell.value)  # the number a spreadsheet made of 06130

    edit_sheet(raw / COMMUNE_SHEET, apply)
    return {"line": 2, **out}


def _commune_sheet_bad_value(raw):
    out = {}

    def apply(sheet):
        out["code"] = sheet.cell(row=4, column=1).value
        sheet.cell(row=4, column=3).value = "abc"

    edit_sheet(raw / COMMUNE_SHEET, apply)
    return {"line": 4, **out}


def _epci_indicator_renamed(raw):
    edit_sheet(raw / EPCI_SHEET, _sheet_relabel(POVERTY, "Taux de pauvreté (%) 2020"))
    return {}


def _department_duplicated(raw):
    out = {}

    def apply(sheet):
        row = [c.value for c in sheet[8]]
        out["code"] = row[0]
        sheet.append(row)
        out["copy"] = sheet.max_row

    edit_sheet(raw / DEPARTMENT_SHEET, apply)
    return {"line": 8, **out}


def _candidate_renamed(raw):
    path = raw / ELECTIONS
    line = first_line(path, lambda s: ";MACRON;" in s)
    lines = read_lines(path)
    lines[line - 1] = lines[line - 1].replace(";MACRON;", ";MACRONN;")
    write_lines(path, lines)
    return {"line": line}


def _polling_stations(raw):
    path = raw / ELECTIONS
    lines = read_lines(path)
    write_lines(path, [*lines, lines[1]])
    return {"line": 2, "copy": len(lines) + 1}


def _elections_header_changed(raw):
    path = raw / ELECTIONS
    lines = read_lines(path)
    lines[0] = lines[0].replace(";Inscrits;", ";Électeurs inscrits;")
    write_lines(path, lines)
    return {}


def _query_log_reordered(raw):
    move_column(raw / QUERY_LOG, ",", "timestamp")
    return {}


def _query_log_headless(raw):
    path = raw / QUERY_LOG
    write_lines(path, read_lines(path)[1:])
    return {}


def _query_log_bad_timestamp(raw):
    path = raw / QUERY_LOG

    def edit(f):
        f[0] = "yesterday"

    edit_fields(path, 3, ",", edit)
    return {"line": 3}


def _vote_unknown_answer(raw):
    path = raw / VOTES
    lines = read_lines(path)
    lines[1] = lines[1].rsplit(",", 1)[0] + ",maybe"
    write_lines(path, lines)
    return {"line": 2}


def _vote_duplicated(raw):
    path = raw / VOTES
    lines = read_lines(path)
    write_lines(path, [*lines, lines[1]])
    return {"line": 2, "copy": len(lines) + 1}


def _trends_region_missing(raw):
    path = raw / TRENDS
    lines = read_lines(path)
    region = lines[3].split(",")[0]
    write_lines(path, [*lines[:3], *lines[4:]])
    return {"region": region_code(region)}


def _trends_exported_twice(raw):
    shutil.copy(raw / TRENDS, raw / "trends" / "geoMap_05.csv")
    return {"copy": raw / "trends" / "geoMap_05.csv"}


def _trends_cell(raw, column: int, value: str):
    path = raw / TRENDS
    lines = read_lines(path)
    cells = lines[3].split(",")
    cells[column] = value
    lines[3] = ",".join(cells)
    write_lines(path, lines)
    return {"line": 4}


def _trends_header_renamed(raw):
    path = raw / TRENDS
    lines = read_lines(path)
    lines[2] = lines[2].replace("Region,", "Région,", 1)
    write_lines(path, lines)
    return {}


def _communes_code_lost_zero(raw):
    out = {}

    def edit(frame):
        at = frame.index[frame["INSEE_COM"].str.startswith("0")][0]
        out["line"], out["code"] = at + 1, frame.loc[at, "INSEE_COM"][1:]
        frame.loc[at, "INSEE_COM"] = out["code"]
        return frame

    edit_layer(raw / COMMUNES, edit)
    return out


def _communes_duplicated(raw):
    import pandas as pd

    out = {}

    def edit(frame):
        out["code"], out["copy"] = frame.loc[0, "INSEE_COM"], len(frame) + 1
        return pd.concat([frame, frame.iloc[[0]]], ignore_index=True)

    edit_layer(raw / COMMUNES, edit)
    return {"line": 1, **out}


def _communes_null_geometry(raw):
    out = {}

    def edit(frame):
        out["code"] = frame.loc[1, "INSEE_COM"]
        frame.loc[1, "geometry"] = None
        return frame

    edit_layer(raw / COMMUNES, edit)
    return {"line": 2, **out}


def _communes_invalid(raw):
    out = {}

    def edit(frame):
        out["code"] = frame.loc[2, "INSEE_COM"]
        frame.loc[2, "geometry"] = bowtie(frame.loc[2, "geometry"])
        return frame

    edit_layer(raw / COMMUNES, edit)
    return {"line": 3, **out}


def _communes_overlapping(raw):
    out = {}

    def edit(frame):
        # the second commune grows over the first (a polygon of another vintage)
        first, second = frame.loc[0, "geometry"], frame.loc[1, "geometry"]
        frame.loc[1, "geometry"] = second.union(first.buffer(-1.0))
        out["a"], out["b"] = sorted([frame.loc[0, "INSEE_COM"], frame.loc[1, "INSEE_COM"]])
        return frame

    edit_layer(raw / COMMUNES, edit)
    return out


def _communes_field_dropped(raw):
    edit_layer(raw / COMMUNES, lambda frame: frame.drop(columns=["CODE_EPCI"]))
    return {}


def _empty_file(raw):
    (raw / traffic("Tor", "7")).write_text("")
    return {}


def _day_copied(raw):
    shutil.copy(raw / traffic("YouTube", "6"), raw / traffic("YouTube", "8"))
    return {"original": raw / traffic("YouTube", "6")}


def _tile_row_missing(raw):
    path = raw / traffic("Web_Adult", "7")
    lines = path.read_text().splitlines(keepends=True)
    tile = lines[4].split()[0]
    path.write_text("".join(lines[:4] + lines[5:]))
    return {"tile": tile}


def _extra_decimals(raw):
    path = raw / traffic("Tor", "6")
    lines = path.read_text().splitlines(keepends=True)
    values = lines[2].split()
    values[1] = "0.1234"
    lines[2] = " ".join(values) + "\n"
    path.write_text("".join(lines))
    return {"tile": values[0]}


def _tile_id_out_of_range(raw):
    path = raw / traffic("YouTube", "7")
    lines = path.read_text().splitlines(keepends=True)
    lines[1] = "99999999 " + lines[1].split(" ", 1)[1]
    path.write_text("".join(lines))
    return {}


def _tile_invalid(raw):
    out = {}

    def edit(frame):
        out["tile"] = int(frame.loc[3, "tile_id"])
        frame.loc[3, "geometry"] = bowtie(frame.loc[3, "geometry"])
        return frame

    edit_layer(raw / TILES, edit)
    return {"line": 4, **out}


def _places_twice(raw):
    shutil.copy(raw / PLACES, raw / "overture" / "places_copy.parquet")
    return {"copy": raw / "overture" / "places_copy.parquet"}


def _places_rewritten(raw, geometry_sql: str):
    path = raw / PLACES
    moved = path.with_name("moved.parquet")
    with connect(":memory:") as con:
        con.execute(
            f"copy (select * replace ({geometry_sql} as geometry) from read_parquet('{path}'))"
            f" to '{moved}' (format parquet)"
        )
        first = con.execute(f"select id from read_parquet('{path}') order by id limit 1").fetchone()
    moved.replace(path)
    return {"place": first[0]}


def _places_swapped(raw):
    return _places_rewritten(raw, "st_point(st_y(geometry), st_x(geometry))")


def _place_abroad(raw):
    # the first place (by id) moved to Paris, far outside Nice's communes
    return _places_rewritten(
        raw,
        "case when id = (select min(id) from read_parquet('{p}')) then st_point(2.35, 48.85)"
        " else geometry end".replace("{p}", str(raw / PLACES)),
    )


def _places_column_dropped(raw):
    path = raw / PLACES
    moved = path.with_name("moved.parquet")
    with connect(":memory:") as con:
        con.execute(
            f"copy (select * exclude (confidence) from read_parquet('{path}')) to '{moved}'"
            " (format parquet)"
        )
    moved.replace(path)
    return {}


def _nothing(raw):
    return {}


ERROR, WARN, ACCEPTED = "error", "warn", "accepted"
WARN_NETMOB = {"netmob_empty_files": "warn", "netmob_missing_tile_rows": "warn"}
REPAIR = {"repair_commune_codes": True, "invalid_geometries": "repair"}
BAD_VARS = {
    "bootstrap_replicate": 10,
    "robustness_lag_hours": 3,
    "bootstrap_replicates": -5,
    "netmob_duplicated_days": "maybe",
}
# fmt: off
CASES = [
    # ------------------------------------------------------------ NetMob
    Case("netmob-empty-file", "NetMob", "a file of 0 bytes", ERROR, (traffic("Tor", "7"),), PARSE,
         _empty_file, ("{path}",), reader="stg_netmob__files", needs=NEEDS),
    Case("netmob-empty-file-warned", "NetMob", "the same, var netmob_empty_files: warn", WARN,
         (traffic("Tor", "7"),), PARSE, _empty_file, ("{path}",), vars=WARN_NETMOB, needs=NEEDS),
    Case("netmob-day-copied", "NetMob", "a day's file a copy of another day's", ERROR,
         (traffic("YouTube", "8"),), PARSE, _day_copied,
         ("{path} carries the same traffic on every tile as {original}",),
         at_test="int_traffic_parsed_by_partition", needs=NEEDS),
    Case("netmob-tile-row-missing", "NetMob", "a tile row missing from a file", ERROR,
         (traffic("Web_Adult", "7"),), PARSE, _tile_row_missing,
         ("{path}: no row for tile {tile}",), at_test="int_traffic_parsed_by_partition",
         needs=NEEDS),
    Case("netmob-tile-row-missing-warned", "NetMob",
         "the same, var netmob_missing_tile_rows: warn", WARN, (traffic("Web_Adult", "7"),),
         PARSE, _tile_row_missing, ("{path}: no row for tile {tile}",), vars=WARN_NETMOB,
         needs=NEEDS),
    Case("netmob-extra-decimals", "NetMob", "a value with four decimals", ERROR,
         (traffic("Tor", "6"),), PARSE, _extra_decimals,
         ("{path}: tile {tile}, slot 00:00 = 0.1234: more decimals than the milli-unit",),
         needs=NEEDS),
    Case("netmob-tile-id-out-of-range", "NetMob", "a tile id past the packing range", ERROR,
         (traffic("YouTube", "7"),), PARSE, _tile_id_out_of_range,
         ("{path}: tile 99999999 has a daily total of", "expected a tile id in [0, 8388607]"),
         needs=NEEDS),
    Case("netmob-tile-invalid-polygon", "NetMob tiles", "a self-intersecting tile", ERROR,
         (TILES,), ("stg_netmob__tiles",), _tile_invalid,
         ("{path}:{line}: tile {tile}: invalid geometry",),
         reader="stg_netmob__tiles"),
    # ------------------------------------------------------------ SSMSI
    Case("ssmsi-columns-reordered", "SSMSI", "a column moved (editions differ)", ACCEPTED,
         (SSMSI,), SSMSI_MODELS, _ssmsi_reordered,
         same_as_reference="staging.stg_ssmsi__communal_crime"),
    Case("ssmsi-edition-2024", "SSMSI", "the 2024 edition's column names", ACCEPTED, (SSMSI,),
         SSMSI_MODELS, _ssmsi_2024, same_as_reference="staging.stg_ssmsi__communal_crime",
         ignore=("source_file", "source_edition")),
    Case("ssmsi-unknown-column", "SSMSI", "a column renamed (unknown layout)", ERROR, (SSMSI,),
         SSMSI_MODELS, _ssmsi_renamed_column,
         ("{path}: the header is not the ssmsi_communal_crime layout",
          'missing columns: ["faits"]; unexpected columns: ["nb_faits"]',
          "against edition geographie2023",)),
    Case("ssmsi-year-missing", "SSMSI", "a year missing", ERROR, (SSMSI,), SSMSI_MODELS,
         _ssmsi_year_missing, ("{path}: no row with year 2018",)),
    Case("ssmsi-class-renamed", "SSMSI", "a crime class renamed", ERROR, (SSMSI,), SSMSI_MODELS,
         _ssmsi_class_renamed,
         (r"re:{path}:\d+: commune \w+, year \d+, Violences sexuelles \(ensemble\): the crime "
          r"class is not one of seed ref_ssmsi_classes",)),
    Case("ssmsi-ndiff-with-value", "SSMSI", "a suppressed (ndiff) row with a value", ERROR,
         (SSMSI,), SSMSI_MODELS, _ssmsi_ndiff_with_value, ("{path}:{line}",)),
    Case("ssmsi-duplicated-key", "SSMSI", "a line twice", ERROR, (SSMSI,), SSMSI_MODELS,
         _ssmsi_duplicated, ("on 2 rows ({path}:{line}, {path}:{copy})",)),
    Case("ssmsi-code-lost-zero", "SSMSI", "a commune code without its leading zero", ERROR,
         (SSMSI,), SSMSI_MODELS, lambda raw: _code_lost_zero(raw / SSMSI, ";"),
         ("{path}:{line}: code_com {code} lost its leading zero",)),
    Case("ssmsi-code-repaired", "SSMSI", "the same, var repair_commune_codes: true", WARN,
         (SSMSI,), SSMSI_MODELS, lambda raw: _code_lost_zero(raw / SSMSI, ";"),
         ("{path}:{line}",), vars=REPAIR, same_as_reference="staging.stg_ssmsi__communal_crime",
         ignore=("source_file", "is_code_repaired")),
    Case("ssmsi-bad-number", "SSMSI", "a malformed number", ERROR, (SSMSI,), SSMSI_MODELS,
         _ssmsi_bad_number, ("{path}:{line}: commune {code}, year {year}", 'found "1,2,3"')),
    # ------------------------------------------------------------ INSEE populations
    Case("populations-columns-reordered", "INSEE populations", "two columns in another order",
         ACCEPTED, (POPULATIONS,), POPULATION_MODELS, _populations_reordered,
         same_as_reference="staging.stg_insee__legal_populations"),
    Case("populations-values-swapped", "INSEE populations",
         "two columns' values swapped under their names", ERROR, (POPULATIONS,),
         POPULATION_MODELS, _populations_values_swapped,
         ("{path}:{line}: commune {code}: PTOT", "expected PTOT = PMUN + PCAP")),
    Case("populations-code-lost-zero", "INSEE populations", "a department code without its zero",
         ERROR, (POPULATIONS,), POPULATION_MODELS, _populations_code_lost_zero,
         ("{path}:{line}: code_com {code} lost its leading zero",)),
    Case("populations-duplicated", "INSEE populations", "a commune twice", ERROR, (POPULATIONS,),
         POPULATION_MODELS, _populations_duplicated, ("{path}:{copy}", "{path}:{line}")),
    Case("populations-column-missing", "INSEE populations", "a column missing", ERROR,
         (POPULATIONS,), POPULATION_MODELS, _populations_column_dropped,
         ("{path}: the header is not the insee_legal_populations layout",
          'missing columns: ["PCAP"]',)),
    # ------------------------------------------------------------ INSEE indicators
    Case("commune-indicator-renamed", "INSEE indicators", "an indicator renamed", ERROR,
         (COMMUNE_SHEET,), ("stg_insee__commune_indicators",), _commune_indicator_renamed,
         ("{path}: the commune sheet lacks", SINGLES)),
    Case("commune-column-missing", "INSEE indicators", "an indicator column missing", ERROR,
         (COMMUNE_SHEET,), ("stg_insee__commune_indicators",), _commune_column_dropped,
         ("{path}: the commune sheet lacks", DENSITY)),
    Case("commune-row-duplicated", "INSEE indicators", "a commune twice", ERROR, (COMMUNE_SHEET,),
         ("stg_insee__commune_indicators",), _commune_row_duplicated,
         ("{path}:{copy}", "{path}:{line}")),
    Case("commune-sheet-code-lost-zero", "INSEE indicators", "a code stored as a number", ERROR,
         (COMMUNE_SHEET,), ("stg_insee__commune_indicators",), _commune_sheet_code_lost_zero,
         ("{path}:{line}: code_com {code} lost its leading zero",)),
    Case("commune-sheet-bad-value", "INSEE indicators", "a cell that is not a number", ERROR,
         (COMMUNE_SHEET,), ("stg_insee__commune_indicators",), _commune_sheet_bad_value,
         ("{path}:{line}: area {code}", 'found "abc"')),
    Case("epci-indicator-renamed", "INSEE indicators", "an EPCI indicator renamed", ERROR,
         (EPCI_SHEET,), ("stg_insee__epci_indicators",), _epci_indicator_renamed,
         ("{path}: the epci sheet lacks", POVERTY)),
    Case("department-duplicated", "INSEE indicators", "a department twice", ERROR,
         (DEPARTMENT_SHEET,), ("stg_insee__department_indicators",), _department_duplicated,
         ("{path}:{copy}", "{path}:{line}")),
    # ------------------------------------------------------------ elections
    Case("candidate-renamed", "Elections", "a candidate renamed", ERROR, (ELECTIONS,),
         ("stg_elections__presidential_2017_candidates",), _candidate_renamed,
         ("{path}:{line}: commune",
          'Nom: "MACRONN" is not a candidate of seed ref_election_2017_candidates',)),
    Case("polling-stations", "Elections", "a commune on two lines (polling stations)", ERROR,
         (ELECTIONS,), ("stg_elections__presidential_2017_candidates",), _polling_stations,
         ("{path}:{copy}", "{path}:{line}")),
    Case("elections-header-changed", "Elections", "a fixed column renamed", ERROR, (ELECTIONS,),
         ("stg_elections__presidential_2017_candidates",), _elections_header_changed,
         ('missing columns: ["Inscrits"]; unexpected columns: ["Électeurs inscrits"]',)),
    # ------------------------------------------------------------ query log, expert votes
    Case("query-log-reordered", "Query log", "columns in another order", ACCEPTED, (QUERY_LOG,),
         ("stg_queries__query_log",), _query_log_reordered,
         same_as_reference="staging.stg_queries__query_log"),
    Case("query-log-headless", "Query log", "no header line", ERROR, (QUERY_LOG,),
         ("stg_queries__query_log",), _query_log_headless,
         ("{path}: the header is not the queries_query_log layout",
          'missing columns: ["timestamp", "client_id", "query"]')),
    Case("query-log-bad-timestamp", "Query log", "a timestamp that is not one", ERROR,
         (QUERY_LOG,), ("stg_queries__query_log",), _query_log_bad_timestamp,
         ('{path}:{line}: expected a timestamp, found "yesterday"',)),
    Case("vote-unknown-answer", "Expert votes", "an answer not in the seed", ERROR, (VOTES,),
         ("stg_assessment__expert_votes",), _vote_unknown_answer,
         ("{path}:{line}: expert", 'found "maybe"')),
    Case("vote-duplicated", "Expert votes", "a vote twice", ERROR, (VOTES,),
         ("stg_assessment__expert_votes",), _vote_duplicated, ("{path}:{copy}", "{path}:{line}")),
    # ------------------------------------------------------------ Google Trends
    Case("trends-region-missing", "Google Trends", "a region missing from an export", ERROR,
         (TRENDS,), TRENDS_MODELS, _trends_region_missing,
         ("{path}: search_term", "has no row with region_code {region}")),
    Case("trends-exported-twice", "Google Trends", "an export twice", ERROR,
         (TRENDS, "trends/geoMap_05.csv"), TRENDS_MODELS, _trends_exported_twice,
         (r"re:on 2 rows \({path}:\d+, {copy}:\d+\)",)),
    Case("trends-unknown-region", "Google Trends", "a region name unknown", ERROR, (TRENDS,),
         TRENDS_MODELS, lambda raw: _trends_cell(raw, 0, "Atlantis"),
         ('{path}: region "Atlantis" matches no region of the seed ref_trends_regions',)),
    Case("trends-bad-cell", "Google Trends", "a cell that is not 0-100", ERROR, (TRENDS,),
         TRENDS_MODELS, lambda raw: _trends_cell(raw, 1, "lots"),
         ("{path}:{line}: region", 'expected an integer 0-100, blank or <1, found "lots"')),
    Case("trends-header-renamed", "Google Trends", "the Region column renamed", ERROR, (TRENDS,),
         TRENDS_MODELS, _trends_header_renamed,
         ("{path}: the header is not the trends_geomap layout", 'missing columns: ["Region"]')),
    # ------------------------------------------------------------ ADMIN EXPRESS communes
    Case("communes-code-lost-zero", "Communes", "a code without its leading zero", ERROR,
         (COMMUNES,), ADMIN, _communes_code_lost_zero,
         ("{path}:{line}: code_com {code} lost its leading zero",)),
    Case("communes-duplicated", "Communes", "a commune twice", ERROR, (COMMUNES,), ADMIN,
         _communes_duplicated, ("code_com {code} on 2 rows ({path}:1, {path}:{copy})",)),
    Case("communes-null-geometry", "Communes", "a commune without geometry", ERROR, (COMMUNES,),
         ADMIN, _communes_null_geometry, ("{path}:{line}: geom_l93 is NULL",)),
    Case("communes-invalid-polygon", "Communes", "a self-intersecting polygon", ERROR,
         (COMMUNES,), ADMIN, _communes_invalid,
         ("{path}:{line}: commune {code}: invalid geometry",)),
    Case("communes-polygon-repaired", "Communes", "the same, var invalid_geometries: repair",
         WARN, (COMMUNES,), ADMIN, _communes_invalid, ("{path}:{line}",), vars=REPAIR),
    Case("communes-overlapping", "Communes", "two communes overlapping", ERROR, (COMMUNES,),
         GEOGRAPHY, _communes_overlapping,
         (r"re:code_com {a} \({path}:\d\) and {b} \({path}:\d\) overlap by [0-9.]+ m2",)),
    Case("communes-field-missing", "Communes", "a field missing", ERROR, (COMMUNES,), ADMIN,
         _communes_field_dropped,
         ("{path}: the header is not the admin_communes layout", 'missing columns: ["CODE_EPCI"]')),
    # ------------------------------------------------------------ Overture
    Case("overture-file-twice", "Overture", "the same file twice", ERROR,
         (PLACES, "overture/places_copy.parquet"),
         ("stg_overture__places",), _places_twice, ("{copy}:1", "{path}:1"), needs=ADMIN),
    Case("overture-lon-lat-swapped", "Overture", "longitude and latitude swapped", ERROR,
         (PLACES,), ("stg_overture__places",), _places_swapped,
         (r"re:\d+ of \d+ rows \(e\.g\. {path}:\d+ \(place \S+ at lon 4\d\.\d+, lat 7\.\d+, "
          r"outside the extent of the communes\)",), needs=ADMIN),
    Case("overture-place-abroad", "Overture", "one place outside the study area", WARN, (PLACES,),
         ("stg_overture__places",), _place_abroad,
         ("1 of", "set aside (e.g. {path}:", "place {place} at lon 2.35, lat 48.85"), needs=ADMIN),
    Case("overture-column-missing", "Overture", "a column missing", ERROR, (PLACES,),
         ("stg_overture__places",), _places_column_dropped,
         ("{path}: the header is not the overture_places layout",
          'missing columns: ["confidence"]'), needs=ADMIN),
    # ------------------------------------------------------------ vars
    Case("var-misspelt", "Vars", "a misspelt var", ERROR, (), SSMSI_MODELS, _nothing,
         ("var 'bootstrap_replicate' is not declared in dbt_project.yml (vars); did you mean "
          "'bootstrap_replicates'?",),
         vars=BAD_VARS),
    Case("var-lag-not-computed", "Vars", "robustness_lag_hours not among correction_lags", ERROR,
         (), SSMSI_MODELS, _nothing,
         ("var robustness_lag_hours is 3 but var correction_lags is [0, 2]",), vars=BAD_VARS),
    Case("var-negative-replicates", "Vars", "a negative bootstrap_replicates", ERROR, (),
         SSMSI_MODELS, _nothing, ("var bootstrap_replicates is -5; expected a positive integer",),
         vars=BAD_VARS),
    Case("var-impossible-choice", "Vars", "a fail/warn var with another value", ERROR, (),
         SSMSI_MODELS, _nothing,
         ('var netmob_duplicated_days is "maybe"; expected one of ["fail", "warn"]',),
         vars=BAD_VARS),
]
# fmt: on


def conflict(a: Case, b: Case) -> bool:
    """Two cases cannot share a wave: the same file or other vars, or a model one may
    fail that the other builds or needs (warnings and accepted files fail nothing;
    failing tests of one model do not stop each other)."""
    if a.vars != b.vars or not set(a.files).isdisjoint(b.files):
        return True
    if a.vars == BAD_VARS or (a.at_test and a.at_test == b.at_test):
        return False

    def stops(x: Case, y: Case) -> bool:
        return x.outcome == ERROR and not set(x.models).isdisjoint(y.models + y.needs)

    return stops(a, b) or stops(b, a)


def waves(cases: list[Case]) -> list[list[Case]]:
    """Cases grouped so that no two in a group conflict (greedy, in list order)."""
    groups: list[list[Case]] = []
    for case in cases:
        for group in groups:
            if not any(conflict(case, other) for other in group):
                group.append(case)
                break
        else:
            groups.append([case])
    return groups


# ------------------------------------------------------------------ the builds


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("matrix-base") / "raw"
    generate(
        Options(
            out=raw,
            seed=99,
            cities=(CITY,),
            n_days=3,
            tiles_per_city=30,
            communes_per_city=4,
            n_queries=400,
            progress=False,
        )
    )
    return raw


def _selection(cases: list[Case]) -> list[str]:
    return sorted({m for c in cases for m in c.models})


@dataclass
class Outcome:
    case: Case
    raw: Path
    values: dict
    log: str
    results: list[dict]
    rows: list[tuple] | None = None  # same_as_reference: the relation's rows in this wave
    reference_rows: list[tuple] | None = None  # ... and in the unfaulted build


def _relation_rows(work: Path, relation: str, ignore: tuple[str, ...]) -> list[tuple]:
    with connect(str(work / "cpc_tor.duckdb"), read_only=True) as con:
        columns = [r[0] for r in con.execute(f"describe {relation}").fetchall()]
        kept = ", ".join(f'"{c}"' for c in columns if c not in ignore)
        return con.execute(f"select {kept} from {relation} order by all").fetchall()


@pytest.fixture(scope="module")
def outcomes(base, tmp_path_factory) -> dict[str, Outcome]:
    """Every wave, in one work folder and one raw folder path (dbt's partial parse
    then carries over from one wave to the next): first the unfaulted folder with every
    model of the matrix and the seeds (the reference), then each wave's folder."""
    root = tmp_path_factory.mktemp("matrix")
    raw, work = root / "raw", root / "work"

    shutil.copytree(base, raw)
    run_dbt(
        [
            "build",
            "--select",
            *_selection(CASES),
            "+int_tiles_allocated_to_communes",
            "resource_type:seed",
        ],
        work,
        {"raw_dir": str(raw), **BASE_VARS},
    )
    reference = {
        (c.same_as_reference, c.ignore): _relation_rows(work, c.same_as_reference, c.ignore)
        for c in CASES
        if c.same_as_reference
    }
    out = {}
    # the waves of one var setting in a row, the reference's (no extra var) first: dbt
    # parses the project again only when the vars change
    in_a_row = sorted(waves(CASES), key=lambda g: (bool(g[0].vars), json.dumps(g[0].vars)))
    for group in in_a_row:
        shutil.rmtree(raw)
        shutil.copytree(base, raw)
        values = {case.id: case.apply(raw) for case in group}
        results_file = work / "target" / "run_results.json"
        results_file.unlink(missing_ok=True)
        proc = run_dbt(
            ["build", "--select", *_selection(group), "--indirect-selection", "eager"],
            work,
            {"raw_dir": str(raw), **BASE_VARS, **group[0].vars},
            check=False,
        )
        results = json.loads(results_file.read_text())["results"] if results_file.exists() else []
        for case in group:
            outcome = Outcome(case, raw, values[case.id], dbt_output(proc), results)
            if case.same_as_reference and case.outcome != ERROR:
                key = (case.same_as_reference, case.ignore)
                outcome.rows = _relation_rows(work, *key)
                outcome.reference_rows = reference[key]
            out[case.id] = outcome
    return out


def _expected(outcome: Outcome) -> list[str | re.Pattern]:
    case = outcome.case
    fmt = {
        "path": outcome.raw / case.files[0] if case.files else outcome.raw,
        **{k: v for k, v in outcome.values.items()},
    }
    expected = []
    for text in case.expect:
        if text.startswith("re:"):
            pattern = text[3:].format(**{k: re.escape(str(v)) for k, v in fmt.items()})
            expected.append(re.compile(pattern))
        else:
            expected.append(text.format(**fmt))
    return expected


def _found(expected, text: str) -> bool:
    return bool(expected.search(text)) if isinstance(expected, re.Pattern) else expected in text


def _failures(outcome: Outcome) -> list[dict]:
    """The nodes of the case's models (and their tests) that failed, with their messages;
    an on-run-start failure (the vars) counts as the whole invocation's."""
    failed = [r for r in outcome.results if r["status"] in ("error", "fail")]
    if not outcome.results and "on-run-start" in outcome.log:
        failed = [{"unique_id": "operation.on-run-start", "message": outcome.log}]
    return failed


def _warnings(outcome: Outcome) -> list[str]:
    return re.findall(r"WARNING: [^\n]*", outcome.log)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case, outcomes):
    outcome = outcomes[case.id]
    expected = _expected(outcome)
    failures = _failures(outcome)
    if case.outcome == ERROR:
        matching = [f for f in failures if all(_found(e, f.get("message") or "") for e in expected)]
        near = [f for f in failures if any(m in (f.get("message") or "") for m in case.models)]
        assert matching, f"{case.id}: no failure names {expected}; failures: " + "; ".join(
            f"{f['unique_id']}: {f.get('message')}" for f in near or failures
        )
    else:
        mine = [f for f in failures if any(m in f["unique_id"] for m in case.models)]
        assert not mine, f"{case.id}: expected no failure, got " + "; ".join(
            f"{f['unique_id']}: {(f.get('message') or '')[:600]}" for f in mine
        )
    if case.outcome == WARN:
        warnings = _warnings(outcome)
        assert any(all(_found(e, w) for e in expected) for w in warnings), (
            f"{case.id}: no warning names {expected}; warnings: {warnings}"
        )
    if case.same_as_reference:
        assert outcome.rows == outcome.reference_rows


def test_the_matrix_covers_every_source_and_enough_cases():
    assert len(CASES) >= 40
    assert {c.source for c in CASES} >= {
        "SSMSI",
        "INSEE populations",
        "INSEE indicators",
        "Elections",
        "Query log",
        "Expert votes",
        "Google Trends",
        "Communes",
        "NetMob",
        "NetMob tiles",
        "Overture",
        "Vars",
    }
    assert {c.outcome for c in CASES} == {ERROR, WARN, ACCEPTED}


def test_the_readme_table_lists_every_case():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for case in CASES:
        assert f"| `{case.id}` | {case.source} | {case.fault} |" in readme, case.id


def test_no_bare_got_n_results_in_any_log(outcomes):
    """Every failing data test names a file (or its key) after dbt's count line."""
    for outcome in outcomes.values():
        for line in outcome.log.splitlines():
            if re.search(r"Got \d+ results?", line):
                assert "/" in line or "configured to" not in line, line


def test_every_check_guards_the_marts_reading_the_file(outcomes, built_manifest):
    """The node that stopped each error case runs in `dbt build --select +<mart>` of every
    mart downstream of the file's staging model, before the mart (a model upstream of
    it, or a test on such a model: dbt's eager indirect selection runs it)."""
    parents = {k: set(v) for k, v in built_manifest["parent_map"].items()}

    def ancestors(node: str) -> set[str]:
        seen, todo = set(), [node]
        while todo:
            for p in parents.get(todo.pop(), ()):
                if p not in seen:
                    seen.add(p)
                    todo.append(p)
        return seen

    children = built_manifest["child_map"]

    def descendants(node: str) -> set[str]:
        seen, todo = set(), [node]
        while todo:
            for c in children.get(todo.pop(), ()):
                if c not in seen:
                    seen.add(c)
                    todo.append(c)
        return seen

    marts = {
        k
        for k, n in built_manifest["nodes"].items()
        if n["resource_type"] == "model" and "/marts/" in n["original_file_path"]
    }
    checked = 0
    for outcome in outcomes.values():
        case = outcome.case
        if case.outcome != ERROR or case.source == "Vars":
            continue
        expected = _expected(outcome)
        fired = [
            f["unique_id"]
            for f in _failures(outcome)
            if all(_found(e, f.get("message") or "") for e in expected)
        ]
        default = "int_traffic_parsed_by_partition" if case.models == PARSE else case.models[0]
        staging = f"model.cpc_tor.{case.reader or default}"
        reading = descendants(staging) & marts
        assert reading, f"{case.id}: no mart reads {staging}"
        for node in fired:
            attached = {node} if node.startswith("model.") else parents[node]
            for mart in reading:
                assert attached & (ancestors(mart) | {mart}), (case.id, node, mart)
        checked += 1
    assert checked >= 30

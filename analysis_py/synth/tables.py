"""Writers for the non-traffic sources, each in its publisher's layout (data_formats.md).

Every writer takes plain Python/numpy data and produces bytes on disk that are the same
for the same inputs (no timestamps, fixed row order, fixed zip entry dates).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

NA_INSEE = "N/A - résultat non disponible"
_ZIP_DATE = (2023, 9, 19, 0, 0, 0)


def _deterministic_zip(data: bytes) -> bytes:
    """Rewrite a zip container (xlsx) with fixed entry dates and order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            data = src.read(name)
            if name == "docProps/core.xml":  # openpyxl stamps the save time here
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>2023-09-19T00:00:00Z\g<2>",
                    data,
                )
            dst.writestr(info, data)
    return out.getvalue()


def write_xlsx_indicators(
    path: Path,
    code_header: str,
    rows: Sequence[Sequence[object]],
    indicators: Sequence[tuple[str, str, str]],
) -> None:
    """INSEE "statistiques locales" export: sheet Data, then one Indic sheet per column.

    ``rows``: (code, label, value...) with None for missing values (written as
    ``N/A - résultat non disponible``); ``indicators``: (label, source, unit).
    """
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append([code_header, "Libellé", *[label for label, _, _ in indicators]])
    for code, name, *values in rows:
        ws.append([code, name, *[NA_INSEE if v is None else v for v in values]])
    for i, (label, source, unit) in enumerate(indicators, start=1):
        meta = wb.create_sheet(f"Indic{i}")
        for line in ("Libellé", label, None, "Source", source, None, "Unité", unit):
            meta.append([line])
    fixed = pd.Timestamp("2023-09-19").to_pydatetime()
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "INSEE"
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(_deterministic_zip(buffer.getvalue()))


def fr_decimal(x: float | None, digits: int | None = None) -> str:
    """French decimal comma, ``NA`` for missing."""
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "NA"
    text = repr(float(x)) if digits is None else f"{x:.{digits}f}"
    return text.replace(".", ",")


def write_semicolon_csv(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[str]], *, bom: bool = False
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


def write_trends_geomap(
    path: Path,
    terms: Sequence[str],
    time_range: str,
    regions: Sequence[str],
    cells: list[list[str]],
) -> None:
    """Google Trends "interest by subregion" export (geoMap.csv)."""
    buffer = io.StringIO()
    buffer.write("Category: All categories\n\n")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Region", *[f"{t}: ({time_range})" for t in terms]])
    for region, row in zip(regions, cells, strict=True):
        writer.writerow([region, *row])
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))

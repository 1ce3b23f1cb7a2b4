"""IGN ADMIN EXPRESS COG shapefiles: COMMUNE and ARRONDISSEMENT_MUNICIPAL."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis_py.synth.common import (
    Commune,
)


def write_admin(con, out: Path, communes: list[Commune]) -> None:
    folder = out / "admin"
    folder.mkdir(parents=True, exist_ok=True)
    layer = [c for c in communes if c.kind in ("commune", "parent")]
    arr = [c for c in communes if c.kind == "arrondissement"]

    def frame(items: list[Commune], arm: bool) -> pd.DataFrame:
        base = {
            "ID": [f"{'ARM' if arm else 'COMMUNE'}_{i:012d}" for i in range(len(items))],
        }
        if arm:
            base |= {
                "NOM": [c.name for c in items],
                "INSEE_ARM": [c.code for c in items],
                "INSEE_COM": [c.parent for c in items],
                "POPULATION": [int(c.pop * 1.01) for c in items],
            }
        else:
            base |= {
                "NOM_COM": [c.name for c in items],
                "NOM_COM_M": [c.name.upper() for c in items],
                "INSEE_COM": [c.code for c in items],
                "STATUT": ["Commune simple" for _ in items],
                "POPULATION": [int(c.pop * 1.01) for c in items],
                "INSEE_DEP": [c.dep for c in items],
                "INSEE_REG": [c.reg for c in items],
                "CODE_EPCI": [c.epci for c in items],
            }
        base["wkt"] = [c.wkt_4326 for c in items]
        # explicit dtypes: an empty layer (no Paris, Lyon or Marseille) keeps its schema
        return pd.DataFrame(
            {
                k: pd.Series(v, dtype="int64" if k == "POPULATION" else "string")
                for k, v in base.items()
            }
        )

    for name, items, arm in (("COMMUNE", layer, False), ("ARRONDISSEMENT_MUNICIPAL", arr, True)):
        df = frame(items, arm)
        con.register("_admin", df)
        cols = ", ".join(f'"{c}"' for c in df.columns if c != "wkt")
        # reproject through WGS84 exactly as the pipeline will (4326 -> 2154)
        con.execute(
            f"""
            copy (
                select {cols},
                    st_transform(st_geomfromtext(wkt), 'EPSG:4326', 'EPSG:2154', always_xy := true)
                    as geom
                from _admin order by "ID"
            ) to '{folder / (name + ".shp")}'
            (format gdal, driver 'ESRI Shapefile', srs 'EPSG:2154',
             layer_creation_options 'ENCODING=UTF-8')
            """
        )
        con.unregister("_admin")
        dbf = folder / f"{name}.dbf"
        blob = bytearray(dbf.read_bytes())
        blob[1:4] = bytes([123, 9, 19])  # fixed "last update" date: 2023-09-19
        dbf.write_bytes(bytes(blob))

"""The paper's figures and tables as one self-contained HTML page, from the published
marts only (the Parquet files of a publication, see analysis_py.publish).

    python -m analysis_py.report --publication publish/current --out reports/index.html

- ``data``: the publication (Parquet files and publication.json) and number formats;
- ``charts``: matplotlib figures as inline SVG, deterministic, with colour scales;
- ``sections``: one function per figure or table;
- ``templates/report.html.j2``: the page (Jinja2, autoescaped).

No script, no font, no image and no style sheet is fetched: the page works offline.
The same publication gives the same bytes. The first screen says where the data come
from (the publication's ``data_origin``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from analysis_py.report.data import Publication, load
from analysis_py.report.sections import LISA_COLOURS, sections

__all__ = ["LISA_COLOURS", "Publication", "load", "main", "render"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
ORIGIN_HEADINGS = {
    "synthetic_sample": "Synthetic data: these are not research results",
    "published_derivative_with_synthetic_sources": (
        "The authors' published derivative, with synthetic side sources"
    ),
    "published_derivative": "The study authors' published derivative",
    "raw_folder": "Computed from the raw files you supplied",
}
STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0 auto;
max-width:1180px;padding:.5rem 1rem;color:#222;line-height:1.4}
h1{font-size:1.45rem}h2{border-bottom:2px solid #3b528b;padding-bottom:.2rem}
figure,section.table{margin:1.5rem 0;padding:.5rem 0;border-top:1px solid #ddd}
figcaption,.note,caption{font-size:.9rem;color:#555;text-align:left}
.scroll{overflow-x:auto;max-width:100%}
table.data{border-collapse:collapse;margin:.6rem 0;font-size:.85rem}
table.data th,table.data td{border-bottom:1px solid #ddd;padding:.2rem .5rem;vertical-align:top}
table.data th{text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
svg.chart{max-width:100%;height:auto;display:block}
.grid{display:flex;flex-wrap:wrap;gap:1rem}.grid .panel{flex:1 1 320px;min-width:0}
.unavailable .reason,.suppressed{background:#fff4e5;border-left:4px solid #e69500;padding:.5rem}
.cautions{background:#f4f6fb;border-left:4px solid #3b528b;padding:.3rem 1rem}
.banner{border:2px solid #b2182b;background:#fdf0ee;padding:.6rem 1rem;margin:.5rem 0}
.banner.origin-raw_folder,.banner.origin-published_derivative{border-color:#3b528b;
background:#f4f6fb}
.banner p{margin:.3rem 0 0}
.settings dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;
font-size:.8rem}.settings dd{margin:0;overflow-wrap:anywhere}
@media (max-width:700px){body{padding:.3rem .6rem}h1{font-size:1.2rem}
table.data{font-size:.78rem}}
"""


def _settings_shown(settings: dict) -> list[tuple[str, str]]:
    return [(k, "" if v is None else str(v)) for k, v in sorted(settings.items())]


def render(pub: Publication) -> str:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    origin = dict(pub.origin)
    if not origin:  # a publication that predates the record of its origin
        origin = {
            "kind": "unknown",
            "summary": "This publication does not record where its data come from.",
        }
    origin["heading"] = ORIGIN_HEADINGS.get(origin["kind"], "Data of unknown origin")
    cpc = pub.get("fct_commune_cpc")
    n_small = int(cpc["is_small_population"].sum()) if cpc is not None else 0
    n_few = int(cpc["is_few_tiles"].sum()) if cpc is not None and "is_few_tiles" in cpc else 0
    html = environment.get_template("report.html.j2").render(
        style=Markup(STYLE),
        origin=origin,
        version=pub.record.get("version", "?"),
        settings=_settings_shown(pub.settings),
        min_population=pub.record.get("min_population"),
        min_tiles=pub.record.get("min_tiles"),
        n_small=n_small,
        n_few=n_few,
        parts=sections(pub),
    )
    return html if html.endswith("\n") else html + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render the HTML report from a publication.")
    parser.add_argument("--publication", type=Path, default=Path("publish/current"))
    parser.add_argument("--out", type=Path, default=Path("reports/index.html"))
    args = parser.parse_args(argv)
    try:
        pub = load(args.publication)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(pub), encoding="utf-8")
    print(f"wrote {args.out} from publication {pub.record.get('version')}")
    return 0

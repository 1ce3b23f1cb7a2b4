"""The report's page: the sections laid out by the Jinja2 template
(``templates/report.html.j2``, autoescaped, loaded from the package), with the style
sheet inline and the data's origin first."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from analysis_py.report.charts import origin_banner
from analysis_py.report.data import Publication
from analysis_py.report.sections import sections

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


def _figure_banner(origin: dict) -> str:
    """The line each figure carries in its own image: the origin's, or for a publication
    that predates it, the heading of the page's banner (synthetic in capitals)."""
    if origin.get("figure_banner"):
        return origin["figure_banner"]
    if origin["kind"] == "synthetic_sample":
        return f"SYNTHETIC DATA (seed {origin.get('synthetic_seed')}): invented communes and rates"
    return origin["heading"]


def render(pub: Publication) -> str:
    environment = Environment(
        loader=PackageLoader("analysis_py.report", "templates"),
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
    with origin_banner(_figure_banner(origin)):
        parts = sections(pub)
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
        parts=parts,
    )
    return html if html.endswith("\n") else html + "\n"

"""The paper's figures and tables as one self-contained HTML page, from the published
marts only (the Parquet files of a publication), ``cpc-tor report``:

- :mod:`data`: the publication (Parquet files and publication.json) and number formats;
- :mod:`tables`: the side-by-side regression tables (also the export's and a mart's);
- :mod:`charts`, :mod:`maps`: matplotlib figures and geopandas maps as inline SVG,
  deterministic, with colour scales;
- :mod:`sections`: one function per figure or table, by part of the report;
- :mod:`render`: the page (Jinja2 template ``templates/report.html.j2``).

No script, no font, no image and no style sheet is fetched: the page works offline.
The same publication gives the same bytes. The first screen says where the data come
from (the publication's ``data_origin``). Importing this package imports nothing else
(the dbt models import :mod:`tables` alone).
"""

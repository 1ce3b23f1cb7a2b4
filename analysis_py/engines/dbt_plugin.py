"""dbt-duckdb plugin: loads the spatial and Excel extensions from their PyPI packages.

Declared in ``profiles.yml`` under ``plugins``; dbt-duckdb calls
:meth:`Plugin.configure_connection` once per database connection, before any model
runs, so SQL and Python models alike can use ``ST_Read`` and ``read_xlsx`` offline.
(The Python models' packages are imported by the first Python model that runs, under a
lock: :mod:`analysis_py.engines.preload`.)
"""

from __future__ import annotations

from dbt.adapters.duckdb.plugins import BasePlugin

from analysis_py.engines.duck import load_extensions


class Plugin(BasePlugin):
    def configure_connection(self, conn) -> None:
        load_extensions(conn)

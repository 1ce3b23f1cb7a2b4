"""dbt-duckdb plugin: loads the spatial and Excel extensions from their PyPI packages.

Declared in ``profiles.yml`` under ``plugins``; dbt-duckdb calls
:meth:`Plugin.configure_connection` once per database connection, before any model
runs, so SQL and Python models alike can use ``ST_Read`` and ``read_xlsx`` offline.
"""

from __future__ import annotations

from dbt.adapters.duckdb.plugins import BasePlugin

from analysis_py.duck import load_extensions


class Plugin(BasePlugin):
    def configure_connection(self, conn) -> None:
        load_extensions(conn)

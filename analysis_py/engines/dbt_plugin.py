"""dbt-duckdb plugin: loads the spatial and Excel extensions from their PyPI packages,
and imports the statistics libraries of the Python models once, up front.

Declared in ``profiles.yml`` under ``plugins``; dbt-duckdb calls
:meth:`Plugin.configure_connection` once per database connection, before any model
runs, so SQL and Python models alike can use ``ST_Read`` and ``read_xlsx`` offline.

dbt runs Python models in threads. Two models importing packages that share
dependencies for the first time at the same moment can deadlock on Python's import
locks (seen: arch and scikit-learn through narwhals, "_DeadlockError"). The plugin's
:meth:`Plugin.initialize` runs on the main thread before any model and imports them
first.
"""

from __future__ import annotations

import importlib

from dbt.adapters.duckdb.plugins import BasePlugin

from analysis_py.engines.duck import load_extensions

# the packages the Python models import (analysis_py.stats: bootstrap, spatial, ...)
MODEL_IMPORTS = (
    "numpy",
    "pandas",
    "scipy.stats",
    "statsmodels.api",
    "arch.bootstrap",
    "sklearn",
    "libpysal",
    "esda",
    "spreg",
)


class Plugin(BasePlugin):
    def initialize(self, plugin_config) -> None:
        for name in MODEL_IMPORTS:
            importlib.import_module(name)

    def configure_connection(self, conn) -> None:
        load_extensions(conn)

"""analysis_py: the Python half of the cpc_tor dbt project.

Pure, typed functions that the dbt Python models call (statistics, PCA, keyword
classification), the synthetic-data generator (:mod:`analysis_py.synth`) and the
dbt-duckdb plugin that loads the DuckDB extensions shipped as PyPI packages
(:mod:`analysis_py.engines.dbt_plugin`).
"""

__version__ = "0.1.0"

"""Running the project's engines: DuckDB connections with the extensions shipped as
PyPI packages, dbt invocations (the dbt-duckdb plugin, throw-away databases for tests
and benchmarks) and the Spark path of `make spark`."""

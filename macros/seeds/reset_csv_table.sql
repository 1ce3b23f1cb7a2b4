{#-
  Seeds are reference tables of a few hundred rows: every build drops and recreates
  them, so a seed whose columns changed needs no `--full-refresh` (dbt's default
  truncates and appends, which fails on a changed column list). Builds run without
  `--full-refresh` since the NetMob parse is incremental (README "Incremental
  ingestion"); this override of dbt's reset_csv_table keeps seeds exact.
-#}
{% macro duckdb__reset_csv_table(model, full_refresh, old_relation, agate_table) %}
    {{ adapter.drop_relation(old_relation) }}
    {{ return(create_csv_table(model, agate_table)) }}
{% endmacro %}

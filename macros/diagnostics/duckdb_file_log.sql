{#-
  DuckDB's file-system log of a build, for the on-run-start hook: with env
  CPC_DUCKDB_FILE_LOG set to a folder, every file DuckDB opens and reads during the
  build is logged to <folder>/duckdb_log_entries.csv (a CSV: the JSON message names the
  path and the operation, OPEN / READ / CLOSE), e.g. to see which NetMob files a build
  parsed (README "Incremental ingestion"). Nothing is logged when it is unset, and
  nothing on Spark.
  Example: CPC_DUCKDB_FILE_LOG=/tmp/log dbt build
-#}
{% macro duckdb_file_log() -%}
    {{ return(adapter.dispatch('duckdb_file_log')()) }}
{%- endmacro %}

{% macro default__duckdb_file_log() -%}{%- endmacro %}

{% macro duckdb__duckdb_file_log() -%}
    {%- set folder = env_var('CPC_DUCKDB_FILE_LOG', '') -%}
    {%- if folder -%}
        call enable_logging(
            'FileSystem', level = 'trace', storage = 'file',
            storage_config = {'path': '{{ folder | replace("'", "''") }}'}
        )
    {%- endif -%}
{%- endmacro %}

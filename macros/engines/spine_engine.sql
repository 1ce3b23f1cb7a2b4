{#-
  Where the NetMob spine runs (var spine_engine): `duckdb` (the default, everything in
  one DuckDB build) or `spark` (README, "Spark": stage 2 builds the spine on Spark, and
  the DuckDB build of stage 3 imports its tables through the models of
  models/intermediate/imports, which take the spine models' names).
  - spine_here(): the spine models are built by this invocation (any Spark target, or
    DuckDB with spine_engine duckdb).
  - spine_imported(): this DuckDB invocation reads them from Spark's Parquet instead.
-#}
{% macro spine_engine() -%}
    {%- set engine = var('spine_engine') -%}
    {%- if engine not in ['duckdb', 'spark'] -%}
        {{ exceptions.raise_compiler_error("var spine_engine must be duckdb or spark, got '" ~ engine ~ "'") }}
    {%- endif -%}
    {{ return(engine) }}
{%- endmacro %}

{% macro spine_here() -%}
    {{ return(netmob_enabled() and (target.type == 'spark' or spine_engine() == 'duckdb')) }}
{%- endmacro %}

{% macro spine_imported() -%}
    {{ return(netmob_enabled() and target.type != 'spark' and spine_engine() == 'spark') }}
{%- endmacro %}

{#- The Parquet files of a table Spark built: <CPC_SPARK_WAREHOUSE>/<schema>.db/<name>/*.parquet -#}
{% macro spark_table_files(schema, name) -%}
    {%- set warehouse = env_var('CPC_SPARK_WAREHOUSE', '') -%}
    {%- if warehouse == '' and execute -%}
        {{ exceptions.raise_compiler_error("spine_engine spark reads Spark's tables: set CPC_SPARK_WAREHOUSE (the Makefile does)") }}
    {%- endif -%}
    {{ return("'" ~ warehouse ~ '/' ~ schema ~ '.db/' ~ name ~ "/*.parquet'") }}
{%- endmacro %}

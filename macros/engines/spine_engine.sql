{#-
  Where the NetMob spine runs (var spine_engine): `duckdb` (the default, everything in
  one DuckDB build) or `spark` (README, "Spark": stage 2 builds the spine models on
  Spark; stage 3, a DuckDB build with spine_engine spark, reads Spark's tables through
  the source netmob_spine_spark). Which models are built is decided in
  dbt_project.yml (variants); this macro checks the var.
-#}
{% macro spine_engine() -%}
    {%- set engine = var('spine_engine') -%}
    {%- if engine not in ['duckdb', 'spark'] -%}
        {{ exceptions.raise_compiler_error("var spine_engine must be duckdb or spark, got '" ~ engine ~ "'") }}
    {%- endif -%}
    {{ return(engine) }}
{%- endmacro %}

{#-
  The relation of a spine model for a model downstream of the spine: ref(name) when
  this invocation builds the spine, else Spark's table of that name, the source
  netmob_spine_spark (external Parquet under CPC_SPARK_WAREHOUSE).
  Example: from {{ spine_relation('int_commune_hours_logged') }}
-#}
{% macro spine_relation(name) -%}
    {%- if spine_engine() == 'spark' and target.type != 'spark' -%}
        {{ return(source('netmob_spine_spark', name)) }}
    {%- endif -%}
    {{ return(ref(name)) }}
{%- endmacro %}

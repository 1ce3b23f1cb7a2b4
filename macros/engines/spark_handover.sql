{#-
  The hand-over between the engines (docs/method.md section 16, README "Spark").

  Stage 1, on DuckDB: `dbt run-operation export_for_spark --args '{out: <dir>}'` writes
  the relations the Spark spine reads and that Spark cannot make (the tile -> commune
  allocation, from DuckDB's spatial extension; the seeds, whose quoted text dbt-spark's
  seed loader cannot insert) as Parquet, one folder per relation: <dir>/<schema>__<name>/ (the folder <dir> must exist).

  Stage 2, on Spark: `dbt run-operation register_from_duckdb --target spark --args
  '{dir: <dir>}'` declares each folder as a Parquet table of the same schema and name,
  so that ref() resolves to it as on DuckDB.
-#}
{% macro spark_handover_relations() -%}
    {{ return([
        ('reference', 'ref_outage_dates'),
        ('reference', 'method_constants'),
        ('reference', 'correction_methods'),
        ('intermediate', 'int_tiles_allocated_to_communes'),
        ('intermediate', 'int_netmob_files_listed'),
    ]) }}
{%- endmacro %}

{% macro export_for_spark(out) -%}
    {%- for schema, name in spark_handover_relations() %}
        {%- set folder = out ~ '/' ~ schema ~ '__' ~ name %}
        {%- set sql -%}
            copy (select * from {{ schema }}.{{ name }} order by all)
            to '{{ folder }}' (format parquet, per_thread_output true, overwrite true)
        {%- endset %}
        {%- do run_query(sql) %}
        {{ log('exported ' ~ schema ~ '.' ~ name ~ ' to ' ~ folder, info=true) }}
    {%- endfor %}
{%- endmacro %}

{% macro register_from_duckdb(dir) -%}
    {%- for schema, name in spark_handover_relations() %}
        {%- do run_query('create schema if not exists ' ~ schema) %}
        {%- do run_query('drop table if exists ' ~ schema ~ '.' ~ name) %}
        {%- do run_query(
            'create table ' ~ schema ~ '.' ~ name ~ " using parquet location '"
            ~ dir ~ '/' ~ schema ~ '__' ~ name ~ "'"
        ) %}
        {{ log('registered ' ~ schema ~ '.' ~ name, info=true) }}
    {%- endfor %}
{%- endmacro %}

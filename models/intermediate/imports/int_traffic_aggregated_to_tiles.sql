{{ config(enabled=spine_imported()) }}
-- Spark's table of this name (stage 2, var spine_engine spark): every column as the
-- spine model of this name defines them (see its docs)
{%- set files = spark_table_files('intermediate', 'int_traffic_aggregated_to_tiles') %}
select * from read_parquet({{ files }})  -- noqa: AM04

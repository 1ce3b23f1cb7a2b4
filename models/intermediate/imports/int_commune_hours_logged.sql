{{ config(enabled=spine_imported()) }}
-- Spark's table of this name (stage 2, var spine_engine spark): see the spine model's docs.
-- every column of Spark's table, as its model (of this name) defines them
select * from read_parquet({{ spark_table_files('intermediate', 'int_commune_hours_logged') }})  -- noqa: AM04

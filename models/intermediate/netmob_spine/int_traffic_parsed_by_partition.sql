{{ config(
    materialized=netmob_parse_materialization(),
    partitions=netmob_partitions(),
    file_format="parquet",
    pre_hook=netmob_reader_statements(),
) }}
{#-
  The single parse of the NetMob text: one row per day file and commune (or allocation
  status `outside` / `unknown_tile`) holding
  - the 96 slot sums of the allocated traffic, as exact integers in nano-units
    (1e-9 of a traffic unit): NetMob values have 3 decimals, so sums are exact and the
    same whatever the order of a parallel aggregation;
  - the day's tile totals of the tiles whose first allocation row is this commune,
    packed (macro pack_tile_total), from which int_traffic_aggregated_to_tiles derives
    each tile's study total without reading the text again.
  The one model that reads the NetMob text (source netmob.traffic_files, through the
  reader macros): reading 30 GB of tile rows into a staging table before joining the
  allocation would need a table of about 70 GB, so the parse joins first. The SQL
  differs per engine (macro parse_netmob_traffic): on DuckDB incremental by file
  (materialization netmob_incremental_parse: a file already parsed, unchanged, is never
  read again; its compiled SQL is the template of one partition), on Spark one job
  that rebuilds the whole table.
-#}
{{ parse_netmob_traffic() }}

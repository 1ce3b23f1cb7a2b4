{#-
  The single parse of the NetMob text (model int_traffic_parsed_by_partition), one SQL
  body per engine:
  - duckdb: incremental by file (materialization netmob_incremental_parse): one city x
    service x direction at a time (bounded memory), only the files that are new or
    changed (macro netmob_parse_plan), read by read_netmob_traffic (DuckDB's strict CSV
    reader); a compensated sum per slot rounded to the milli-unit (centroid rule) or
    integer milli-units x ppm weights (every value is a whole number of milli-units, or
    the parse stops naming it: no rounding);
  - spark: every partition in one job over the FAILFAST views of
    netmob_reader_statements (the cluster bounds the memory), rebuilt whole (README
    "Spark"); each value (a whole number of milli-units, checked as on DuckDB) to
    integer milli-units before the sum, equal to DuckDB's.
  Tile rows are joined to their communes and aggregated wide, before any unpivot; each
  row keeps the file's size and modification time from the listing
  (int_netmob_files_listed), whose tests run first, and the file's content fingerprint.
-#}
{% macro parse_netmob_traffic() -%}
    {{ return(adapter.dispatch('parse_netmob_traffic')()) }}
{%- endmacro %}

{#- The parse's materialization: incremental by file on DuckDB, one table on Spark. -#}
{% macro netmob_parse_materialization() -%}
    {{ return(adapter.dispatch('netmob_parse_materialization')()) }}
{%- endmacro %}
{% macro duckdb__netmob_parse_materialization() -%}{{ return('netmob_incremental_parse') }}{%- endmacro %}
{% macro spark__netmob_parse_materialization() -%}{{ return('table') }}{%- endmacro %}

{#- Statements run before the parse (pre_hook): Spark's reader views; none on DuckDB. -#}
{% macro netmob_reader_statements() -%}
    {{ return(adapter.dispatch('netmob_reader_statements')()) }}
{%- endmacro %}
{% macro duckdb__netmob_reader_statements() -%}{{ return([]) }}{%- endmacro %}
{% macro spark__netmob_reader_statements() -%}{{ return(spark_netmob_views()) }}{%- endmacro %}

{#-
  DuckDB: the model's compiled SQL is the template of one partition, with placeholders
  for the partition's keys, its files and its parse key (@@city@@, @@file@@ ...);
  materialization netmob_incremental_parse renders each partition with the files it
  must read (macro netmob_parse_partition) and keys every file by the hash of this
  template, so a change of the parse's code or of a var it uses re-reads every file.
-#}
{% macro duckdb__parse_netmob_traffic() -%}
    {{ netmob_parse_partition(
        {'city': '@@city@@', 'service': '@@service@@', 'direction': '@@direction@@'},
        ['@@file@@'], ['@@clock_change_file@@'], '@@parse_key@@'
    ) }}
{%- endmacro %}

{#-
  A file's parse key: the hash of the parse's code (template, above) and of its city's
  tile allocation (every row of int_tiles_allocated_to_communes of the city). A stored
  file whose size, modification time and parse key are unchanged is not read again.
  `allocation` is a relation or CTE with the allocation columns; aggregate, by city.
  Computed once per build and city by the plan (macro netmob_parse_plan), which hands it
  to each partition it reads.
-#}
{% macro netmob_parse_key(code_hash, allocation='allocation') -%}
    md5(
        '{{ code_hash }}|' || coalesce(string_agg(
            concat_ws(
                ':', {{ allocation }}.tile_id, coalesce({{ allocation }}.code_com, '-'),
                {{ allocation }}.weight_ppm, {{ allocation }}.is_primary,
                {{ allocation }}.allocation_status
            ),
            ',' order by {{ allocation }}.tile_id, {{ allocation }}.code_com
        ), '')
    )
{%- endmacro %}

{#-
  One partition (city x service x direction) of the DuckDB parse, reading `files`
  (regular days) and `dst_files` (clock-change days); every row carries `parse_key`,
  the city's key from the plan.
-#}
{% macro netmob_parse_partition(partition, files, dst_files, parse_key) -%}
{%- set slots = netmob_slot_columns() %}
{%- set weighted = var('tile_allocation') != 'centroid' %}
with

traffic as (
    {{ read_netmob_traffic(partition.city, partition.service, partition.direction, files, dst_files) }}
),

allocation as (
    -- a small integer key per commune of the city (0 = outside every commune) keeps the
    -- hot aggregation's hash cheap; names come back after aggregating
    select
        tile_id,
        code_com,
        weight_ppm,
        is_primary,
        allocation_status,
        case when code_com is null then 0 else dense_rank() over (order by code_com) end
            as commune_key
    from {{ ref('int_tiles_allocated_to_communes') }}
    where city = '{{ partition.city }}'
),

commune_keys as (
    select distinct
        commune_key,
        code_com,
        allocation_status
    from allocation
),

joined as (
    select
        traffic.source_file,
        traffic.tile_id,
        coalesce(allocation.commune_key, -1) as commune_key,  -- -1: tile id not in the GeoJSON
        coalesce(allocation.weight_ppm, 1000000) as weight_ppm,
        coalesce(allocation.is_primary, true) as is_primary,
        {%- for c in slots %}
            traffic.{{ c }},
        {%- endfor %}
        traffic.row_total,
        traffic.row_min,
        traffic.off_unit
    from traffic
    left outer join allocation on traffic.tile_id = allocation.tile_id
),

aggregated as (
    select
        source_file,
        commune_key,
        sum(weight_ppm) / 1e6 as n_tile_rows,
        list(
            {{ pack_tile_total('tile_id', 'row_total', 'source_file', 'row_min', 'off_unit') }}
        ) filter (where is_primary) as tile_totals,
    {%- for c in slots %}
        {%- if weighted %}
                sum(cast(round({{ c }} * 1000) as bigint) * weight_ppm) as {{ c }}
            {%- else %}
            cast(round(fsum({{ c }}) * 1000) as hugeint) * 1000000 as {{ c }}
        {%- endif %}
        {{- "," if not loop.last }}
    {%- endfor %}
    from joined
    group by source_file, commune_key
),

files as (
    -- the partition's files of the listing, whose tests stop the build on a missing file
    select
        source_file,
        file_size_bytes,
        file_modified_at
    from {{ ref('int_netmob_files_listed') }}
    where
        is_expected
        and city = '{{ partition.city }}'
        and service = '{{ partition.service }}'
        and direction = '{{ partition.direction }}'
),

final as (
    select
        '{{ partition.city }}' as city,
        '{{ partition.service }}' as service,
        '{{ partition.direction }}' as direction,
        cast(
            strptime(regexp_extract(aggregated.source_file, '_([0-9]{8})_[A-Z]{2}\.txt$', 1), '%Y%m%d')
            as date
        ) as traffic_date,
        coalesce(commune_keys.allocation_status, 'unknown_tile') as allocation_status,
        commune_keys.code_com,
        aggregated.n_tile_rows,
        {%- for c in slots %}
            aggregated.{{ c }},
        {%- endfor %}
        aggregated.tile_totals,
        aggregated.source_file,
        files.file_size_bytes,
        files.file_modified_at,
        {{ netmob_file_fingerprint('aggregated.tile_totals', 'aggregated.source_file') }}
            as file_fingerprint,
        '{{ parse_key }}' as parse_key
    from aggregated
    left outer join commune_keys on aggregated.commune_key = commune_keys.commune_key
    inner join files on aggregated.source_file = files.source_file
)

select * from final
{%- endmacro %}

{% macro spark__parse_netmob_traffic() -%}
{%- set slots = netmob_slot_columns() %}
{%- set weighted = var('tile_allocation') != 'centroid' %}
{%- set state = namespace(first=true) %}
with

traffic as (
    {%- for p in netmob_partitions() %}
        {%- for dst in [false, true] %}
            {%- set names = netmob_dst_slot_columns() if dst else slots %}
            {%- if netmob_files(p.city, p.service, p.direction, dst) %}
                {%- if not state.first %}
                    union all
                {%- endif %}
                {%- set state.first = false %}
                select
                    '{{ p.city }}' as city,
                    '{{ p.service }}' as service,
                    '{{ p.direction }}' as direction,
                    regexp_replace(input_file_name(), '^file:(//)?', '') as source_file,
                    tile_id,
                    {%- for c in slots %}
                        {{ c if c in names else 'cast(null as double)' }} as {{ c }},
                    {%- endfor %}
                    {{ names | join(' + ') }} as row_total,
                    least({{ names | join(', ') }}) as row_min,
                    {{ netmob_off_unit_value(names) }} as off_unit
                from {{ spark_netmob_view(p, dst) }}
            {%- endif %}
        {%- endfor %}
    {%- endfor %}
),

allocation as (
    select
        city,
        tile_id,
        code_com,
        weight_ppm,
        is_primary,
        allocation_status
    from {{ ref('int_tiles_allocated_to_communes') }}
),

joined as (
    select
        traffic.*,
        coalesce(allocation.allocation_status, 'unknown_tile') as allocation_status,
        allocation.code_com,
        coalesce(allocation.weight_ppm, 1000000) as weight_ppm,
        coalesce(allocation.is_primary, true) as is_primary
    from traffic
    left outer join allocation on traffic.city = allocation.city and traffic.tile_id = allocation.tile_id
),

files as (
    -- the listing (handed over from DuckDB), whose tests stopped a missing file there
    select
        source_file,
        file_size_bytes,
        file_modified_at
    from {{ ref('int_netmob_files_listed') }}
    where is_expected
),

aggregated as (
    select
        city,
        service,
        direction,
        to_date(regexp_extract(source_file, '_([0-9]{8})_[A-Z]{2}[.]txt$', 1), 'yyyyMMdd')
            as traffic_date,
        allocation_status,
        code_com,
        sum(weight_ppm) / 1e6 as n_tile_rows,
        {%- for c in slots %}
            {%- if weighted %}
                sum(cast(round({{ c }} * 1000) as bigint) * weight_ppm) as {{ c }},
            {%- else %}
                sum(cast(round({{ c }} * 1000) as bigint)) * 1000000 as {{ c }},
            {%- endif %}
        {%- endfor %}
        collect_list(
            {{ pack_tile_total('tile_id', 'row_total', 'source_file', 'row_min', 'off_unit') }}
        ) filter (where is_primary) as tile_totals,
        source_file
    from joined
    group by city, service, direction, source_file, allocation_status, code_com
),

final as (
    select
        aggregated.*,
        files.file_size_bytes,
        files.file_modified_at,
        {{ netmob_file_fingerprint('aggregated.tile_totals', 'aggregated.source_file') }}
            as file_fingerprint,
        -- rebuilt whole on Spark: no key of an incremental parse
        cast(null as string) as parse_key
    from aggregated
    inner join files on aggregated.source_file = files.source_file
)

select * from final
{%- endmacro %}

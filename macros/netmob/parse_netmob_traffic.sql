{#-
  The single parse of the NetMob text (model int_traffic_parsed_by_partition), one SQL
  body per engine:
  - duckdb: one city x service x direction at a time (materialization
    partitioned_table, placeholders @@city@@ ...: bounded memory), read by
    read_netmob_traffic (DuckDB's strict CSV reader); a compensated sum per slot rounded
    to the milli-unit (centroid rule) or integer milli-units x ppm weights (every value
    is a whole number of milli-units, or the parse stops naming it: no rounding);
  - spark: every partition in one job over the FAILFAST views of
    netmob_reader_statements (the cluster bounds the memory); each value (a whole number
    of milli-units, checked as on DuckDB) to integer milli-units before the sum, equal
    to DuckDB's.
  Tile rows are joined to their communes and aggregated wide, before any unpivot; each
  row keeps the file's size from the listing (int_netmob_files_listed), whose tests run
  first.
-#}
{% macro parse_netmob_traffic() -%}
    {{ return(adapter.dispatch('parse_netmob_traffic')()) }}
{%- endmacro %}

{#- The parse's materialization: partition by partition on DuckDB, one table on Spark. -#}
{% macro netmob_parse_materialization() -%}
    {{ return(adapter.dispatch('netmob_parse_materialization')()) }}
{%- endmacro %}
{% macro duckdb__netmob_parse_materialization() -%}{{ return('partitioned_table') }}{%- endmacro %}
{% macro spark__netmob_parse_materialization() -%}{{ return('table') }}{%- endmacro %}

{#- Statements run before the parse (pre_hook): Spark's reader views; none on DuckDB. -#}
{% macro netmob_reader_statements() -%}
    {{ return(adapter.dispatch('netmob_reader_statements')()) }}
{%- endmacro %}
{% macro duckdb__netmob_reader_statements() -%}{{ return([]) }}{%- endmacro %}
{% macro spark__netmob_reader_statements() -%}{{ return(spark_netmob_views()) }}{%- endmacro %}

{% macro duckdb__parse_netmob_traffic() -%}
{%- set slots = netmob_slot_columns() %}
{%- set weighted = var('tile_allocation') != 'centroid' %}
with

traffic as (
    {{ read_netmob_traffic('@@city@@', '@@service@@', '@@direction@@') }}
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
    where city = '@@city@@'
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
        file_size_bytes
    from {{ ref('int_netmob_files_listed') }}
    where
        is_expected
        and city = '@@city@@'
        and service = '@@service@@'
        and direction = '@@direction@@'
),

final as (
    select
        '@@city@@' as city,
        '@@service@@' as service,
        '@@direction@@' as direction,
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
        files.file_size_bytes
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
        file_size_bytes
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
        files.file_size_bytes
    from aggregated
    inner join files on aggregated.source_file = files.source_file
)

select * from final
{%- endmacro %}

{{ config(
    materialized="table",
    file_format="parquet",
    enabled=netmob_enabled() and target.type == "spark",
    pre_hook=spark_netmob_views(),
) }}
{#-
  Spark's single parse of the NetMob text (the DuckDB path's model of the same name is
  in ../duckdb, with the grain and the columns documented there): the same rows, one
  per day file and commune (or allocation status), with the 96 slot sums as exact
  integers in nano-units and the day's packed tile totals. Spark reads every partition
  in one job (no partitioned materialization: the cluster bounds the memory); each
  value is rounded to its milli-unit before the integer sum, which equals DuckDB's
  rounded compensated sum for NetMob's three-decimal values.
-#}
{%- set slots = netmob_slot_columns() %}
{%- set weighted = var('tile_allocation') != 'centroid' %}
{%- set state = namespace(first=true) %}
-- depends_on: {{ ref('int_netmob_files_listed') }}

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
                    {{ names | join(' + ') }} as row_total
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

final as (
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
            case
                when tile_id between 0 and 8388607 and row_total >= 0 and row_total < 1099511627.776
                    then tile_id * 1099511627776 + cast(round(row_total * 1000) as bigint)
                else {{ sql_error(
                    "source_file || ': tile ' || tile_id || ' has a daily total of ' || row_total"
                    ~ " || '; expected a tile id in [0, 8388607] and a total in [0, 1.1e9)'"
                ) }}
            end
        ) filter (where is_primary) as tile_totals,
        source_file
    from joined
    group by city, service, direction, source_file, allocation_status, code_com
)

select * from final

{{ config(materialized="partitioned_table", partitions=netmob_partitions(), enabled=netmob_enabled()) }}
{#-
  The single parse of the NetMob text, one city x service x direction at a time
  (materialization partitioned_table: bounded memory; DuckDB reads only the
  partition's files, through the macro that defines stg_netmob__traffic). Tile rows are
  joined to their communes and aggregated *wide*, before any unpivot, to one row per
  day and commune (or allocation status `outside` / `unknown_tile`) holding
  - the 96 slot sums of the allocated traffic, as exact integers in nano-units
    (1e-9 of a traffic unit): NetMob values have 3 decimals, so sums are exact and
    the same whatever the order of a parallel aggregation (centroid rule: a
    compensated sum rounded to the milli-unit; weighted rules: integer milli-units x
    parts-per-million weights);
  - the list of the day's tile totals (milli-units) of the tiles whose first
    allocation row is this commune, from which int_traffic_aggregated_to_tiles
    derives each tile's study total without reading the text again.
-#}
{%- set slots = netmob_slot_columns() %}
{%- set weighted = var('tile_allocation') != 'centroid' %}
-- depends_on: {{ ref('stg_netmob__traffic') }}

with

traffic as (
    -- the partition's files only, read by the same macro as stg_netmob__traffic (binding
    -- the whole staging view for every partition would cost more than the parse)
    {{ read_netmob_traffic('@@city@@', '@@service@@', '@@direction@@') }}
),

allocation as (
    select
        tile_id,
        code_com,
        weight_ppm,
        is_primary,
        allocation_status
    from {{ ref('int_tiles_allocated_to_communes') }}
    where city = '@@city@@'
),

joined as (
    select
        traffic.city,
        traffic.service,
        traffic.direction,
        traffic.traffic_date,
        traffic.tile_id,
        allocation.code_com,
        coalesce(allocation.allocation_status, 'unknown_tile') as allocation_status,
        coalesce(allocation.weight_ppm, 1000000) as weight_ppm,
        coalesce(allocation.is_primary, true) as is_primary,
        {%- for c in slots %}
            traffic.{{ c }},
        {%- endfor %}
        (
            {%- for c in slots %}
                coalesce(traffic.{{ c }}, 0.0){{ " +" if not loop.last }}
            {%- endfor %}
        ) as row_total
    from traffic
    left join allocation on traffic.tile_id = allocation.tile_id
),

aggregated as (
    select
        city,
        service,
        direction,
        traffic_date,
        allocation_status,
        code_com,
        sum(weight_ppm) / 1e6 as n_tile_rows,
        list(
            {'tile_id': tile_id, 'total_milli': cast(round(row_total * 1000) as bigint)}
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
    group by city, service, direction, traffic_date, allocation_status, code_com
)

select * from aggregated

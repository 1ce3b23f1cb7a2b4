{{ config(materialized="partitioned_table", partitions=netmob_partitions(), enabled=netmob_enabled()) }}
{#-
  The single parse of the NetMob text. For one city x service x direction at a time
  (materialization partitioned_table: bounded memory, and DuckDB reads only that
  partition's files, through the macro of stg_netmob__traffic), the tile rows are joined to their
  communes and aggregated *wide*, before any unpivot, into two grains at once
  (GROUPING SETS over one scan):
  - grain `commune_day`: per day and commune (or allocation status `outside` /
    `unknown_tile`), the 96 slot sums of the allocated traffic;
  - grain `tile`: per tile, its study total, the days it appears and whether its id is
    missing from the city's GeoJSON (slot sums left NULL).
  Downstream models split the grains; nothing re-reads the text.
-#}
{%- set slots = netmob_slot_columns() %}
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
        weight,
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
        coalesce(allocation.weight, 1.0) as weight,
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
        case when grouping(tile_id) = 0 then 'tile' else 'commune_day' end as grain,
        city,
        service,
        direction,
        traffic_date,
        allocation_status,
        code_com,
        tile_id,
        count(distinct traffic_date) as n_days,
        sum(weight) as n_weighted_rows,
        max(case when allocation_status = 'unknown_tile' then 1 else 0 end) = 1
            as has_unknown_tile,
        sum(weight * row_total) as total_traffic,
        {%- for c in slots %}
            case when grouping(tile_id) = 0 then null else sum(weight * {{ c }}) end as {{ c }}
            {{- "," if not loop.last }}
        {%- endfor %}
    from joined
    group by grouping sets (
        (city, service, direction, traffic_date, allocation_status, code_com),
        (city, service, direction, tile_id)
    )
)

select * from aggregated

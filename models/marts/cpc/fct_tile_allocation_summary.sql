{{ config(enabled=netmob_enabled()) }}
{#-
  One row per city, service and direction: how the NetMob traffic was allocated to
  communes (method.md section 2). Counts of tiles and the share of traffic that lies
  in no commune (`outside`: tiles or parts of tiles outside every commune polygon) or
  comes from tile ids absent from the city's GeoJSON (`unknown_tile`). Aggregates
  only: no tile id or location.
-#}

with

commune_days as (
    select
        city,
        service,
        direction,
        allocation_status,
        total_traffic
    from {{ ref('int_traffic_aggregated_to_commune_days') }}
),

allocation as (
    select
        city,
        tile_id,
        code_com,
        weight
    from {{ ref('int_tiles_allocated_to_communes') }}
),

tile_counts as (
    select
        city,
        count(distinct tile_id) as n_tiles,
        sum(weight) filter (where code_com is not null) as n_tiles_in_communes,
        sum(weight) filter (where code_com is null) as n_tiles_outside,
        count(distinct code_com) as n_communes
    from allocation
    group by city
),

traffic as (
    select
        city,
        service,
        direction,
        sum(total_traffic) as total_traffic,
        coalesce(sum(total_traffic) filter (where allocation_status = 'outside'), 0.0)
            as outside_traffic,
        coalesce(sum(total_traffic) filter (where allocation_status = 'unknown_tile'), 0.0)
            as unknown_tile_traffic
    from commune_days
    group by city, service, direction
),

final as (
    select
        traffic.city,
        traffic.service,
        traffic.direction,
        tile_counts.n_tiles,
        tile_counts.n_tiles_in_communes,
        coalesce(tile_counts.n_tiles_outside, 0.0) as n_tiles_outside,
        tile_counts.n_communes,
        traffic.total_traffic,
        traffic.outside_traffic / nullif(traffic.total_traffic, 0) as share_outside,
        traffic.unknown_tile_traffic / nullif(traffic.total_traffic, 0) as share_unknown_tile
    from traffic
    left join tile_counts on traffic.city = tile_counts.city
)

select * from final

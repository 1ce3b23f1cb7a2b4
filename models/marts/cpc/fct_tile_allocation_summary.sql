{#-
  One row per city, service and direction: how the NetMob traffic was allocated to
  communes (docs/method.md section 2). Counts of tiles and the share of traffic that lies
  in no commune (`outside`: tiles or parts of tiles outside every commune polygon) or
  comes from tile ids absent from the city's GeoJSON (`unknown_tile`). Aggregates
  only: no tile id or location.
-#}

with

file_communes as (
    select
        city,
        service,
        direction,
        allocation_status,
        {{ netmob_day_total() }} as total_traffic_nano
    from {{ spine_relation('int_traffic_parsed_by_partition') }}
),

allocation as (
    select
        city,
        tile_id,
        code_com,
        weight_ppm
    from {{ ref('int_tiles_allocated_to_communes') }}
),

tile_counts as (
    select
        city,
        count(distinct tile_id) as n_tiles,
        sum(weight_ppm) filter (where code_com is not null) / 1e6 as n_tiles_in_communes,
        sum(weight_ppm) filter (where code_com is null) / 1e6 as n_tiles_outside,
        count(distinct code_com) as n_communes
    from allocation
    group by city
),

traffic as (
    select
        city,
        service,
        direction,
        sum(total_traffic_nano) as total_nano,
        coalesce(sum(total_traffic_nano) filter (where allocation_status = 'outside'), 0)
            as outside_nano,
        coalesce(sum(total_traffic_nano) filter (where allocation_status = 'unknown_tile'), 0)
            as unknown_tile_nano
    from file_communes
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
        cast(traffic.total_nano as double) / 1e9 as total_traffic,
        cast(traffic.outside_nano as double) / nullif(cast(traffic.total_nano as double), 0)
            as share_outside,
        cast(traffic.unknown_tile_nano as double) / nullif(cast(traffic.total_nano as double), 0)
            as share_unknown_tile
    from traffic
    left outer join tile_counts on traffic.city = tile_counts.city
)

select * from final

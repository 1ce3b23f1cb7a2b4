{{ config(enabled=netmob_enabled()) }}
{#-
  One row per city, service, direction and tile: the tile's study total and mean
  daily traffic (the top-tile analysis of Table 4), from the daily tile totals the
  single parse kept (no second read of the text). Internal: tile level.
-#}

with

tile_days as (
    select
        city,
        service,
        direction,
        traffic_date,
        allocation_status,
        unnest(tile_totals) as tile_day
    from {{ ref('int_traffic_parsed_by_partition') }}
),

final as (
    select
        city,
        service,
        direction,
        tile_day.tile_id as tile_id,
        count(distinct traffic_date) as n_days,
        count(*) as n_rows,
        bool_or(allocation_status = 'unknown_tile') as has_unknown_tile,
        cast(sum(tile_day.total_milli) as double) / 1000 as total_traffic,
        cast(sum(tile_day.total_milli) as double) / 1000 / count(distinct traffic_date)
            as mean_daily_traffic
    from tile_days
    group by city, service, direction, tile_day.tile_id
)

select * from final

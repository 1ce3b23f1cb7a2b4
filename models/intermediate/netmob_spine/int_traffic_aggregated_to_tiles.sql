{#-
  One row per city, service, direction and tile: the tile's study total and mean
  daily traffic (the top-tile analysis of Table 4), from the daily tile totals the
  single parse kept (no second read of the text). Internal: tile level. Part of the
  spine: built on Spark when var spine_engine is spark (README, "Spark").
-#}

with

partition_days as (
    -- the study days each partition was read for (every file holds every tile)
    select
        city,
        service,
        direction,
        count(distinct traffic_date) as n_study_days
    from {{ ref('int_traffic_parsed_by_partition') }}
    group by city, service, direction
),

tile_days as (
    select
        city,
        service,
        direction,
        traffic_date,
        allocation_status,
        {{ explode_list('tile_totals') }} as tile_day  -- packed: macro pack_tile_total
    from {{ ref('int_traffic_parsed_by_partition') }}
),

tile_days_decoded as (
    select
        city,
        service,
        direction,
        allocation_status,
        {{ tile_id_of('tile_day') }} as tile_id,
        {{ total_milli_of('tile_day') }} as total_milli
    from tile_days
),

tiles as (
    select
        city,
        service,
        direction,
        tile_id,
        count(*) as n_rows,
        bool_or(allocation_status = 'unknown_tile') as has_unknown_tile,
        sum(total_milli) as total_milli
    from tile_days_decoded
    group by city, service, direction, tile_id
),

final as (
    select
        tiles.city,
        tiles.service,
        tiles.direction,
        tiles.tile_id,
        partition_days.n_study_days,
        tiles.n_rows,
        tiles.has_unknown_tile,
        cast(tiles.total_milli as double) / 1000 as total_traffic,
        cast(tiles.total_milli as double) / 1000 / partition_days.n_study_days
            as mean_daily_traffic
    from tiles
    inner join partition_days
        on
            tiles.city = partition_days.city
            and tiles.service = partition_days.service
            and tiles.direction = partition_days.direction
)

select * from final

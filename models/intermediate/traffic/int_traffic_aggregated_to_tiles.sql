{{ config(materialized="view", enabled=netmob_enabled()) }}

with

parsed as (
    select * from {{ ref('int_traffic_parsed_by_partition') }}
    where grain = 'tile'
),

final as (
    select
        city,
        service,
        direction,
        tile_id,
        n_days,
        n_weighted_rows as n_rows,
        has_unknown_tile,
        total_traffic,
        total_traffic / n_days as mean_daily_traffic
    from parsed
)

select * from final

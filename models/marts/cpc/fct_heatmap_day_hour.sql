{#-
  One row per scope, day of the week and hour (Figures 3 and 4, docs/method.md section 10):
  sums of the hourly Tor traffic scaled by each commune's correction factor
  (cpc = Tor x c_j), of Web_Adult and of YouTube. Scopes: `all` communes, `top_n`
  (the var heatmap_top_n communes with the highest cpc_per_1000, ties by code) and
  `top_1` (the first of them). Hourly values are those kept by the outage filter; the
  log floor is not applied here (it exists for the logs only).
-#}

with

cpc as (
    select
        code_com,
        c,
        n_contributing_tiles,
        row_number() over (order by cpc_per_1000 desc nulls last, code_com asc) as cpc_rank
    from {{ ref('fct_commune_cpc') }}
),

hours as (
    select
        code_com,
        hour_start,
        reference_traffic,
        target_traffic,
        baseline_traffic
    from {{ spine_relation('int_commune_hours_logged') }}
),

scopes as (
    select
        'all' as scope,
        1000000000 as max_rank
    union all
    select
        'top_n' as scope,
        {{ var('heatmap_top_n') }} as max_rank
    union all
    select
        'top_1' as scope,
        1 as max_rank
),

scope_tiles as (
    select
        scopes.scope,
        cast(sum(cpc.n_contributing_tiles) as bigint) as n_contributing_tiles
    from cpc
    inner join scopes on cpc.cpc_rank <= scopes.max_rank
    group by scopes.scope
),

scoped as (
    select
        scopes.scope,
        hours.code_com,
        hours.hour_start,
        hours.target_traffic * cpc.c as cpc_traffic,
        hours.reference_traffic,
        hours.baseline_traffic
    from hours
    inner join cpc on hours.code_com = cpc.code_com
    inner join scopes on cpc.cpc_rank <= scopes.max_rank
),

aggregated as (
    select
        scope,
        dayname(hour_start) as day_of_week,
        isodow(hour_start) as day_of_week_number,
        hour(hour_start) as hour_of_day,
        sum(cpc_traffic order by code_com, hour_start) as tor_scaled,
        sum(reference_traffic order by code_com, hour_start) as web_adult,
        sum(baseline_traffic order by code_com, hour_start) as youtube,
        count(*) as n_commune_hours
    from scoped
    group by scope, day_of_week, day_of_week_number, hour_of_day
),

final as (
    select
        aggregated.*,
        scope_tiles.n_contributing_tiles
    from aggregated
    inner join scope_tiles on aggregated.scope = scope_tiles.scope
)

select * from final

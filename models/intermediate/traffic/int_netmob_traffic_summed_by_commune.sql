{#-
  NetMob variant of int_commune_traffic_totals: one row per study commune (communes receiving at least part of a tile): its study
  totals of download traffic for the three services playing the method's roles (sums
  of the hourly series kept by the outage filter), population, the city grid giving the
  commune most of its tiles, and the tiles carrying traffic (the publication's
  small-area rule).
-#}

with

communes as (
    select
        code_com,
        commune_name,
        code_dep,
        code_epci,
        population
    from {{ ref('int_communes_unioned') }}
),

allocation as (
    select
        city,
        tile_id,
        code_com,
        weight_ppm
    from {{ ref('int_tiles_allocated_to_communes') }}
    where code_com is not null
),

-- tiles carrying traffic of each role service, per commune: the publication's
-- small-area rule (no published total may be one tile's value)
contributing as (
    select
        allocation.code_com,
        tiles.service,
        count(distinct row(allocation.city, allocation.tile_id)) as n_tiles
    from allocation
    inner join {{ spine_relation('int_traffic_aggregated_to_tiles') }} as tiles
        on allocation.city = tiles.city and allocation.tile_id = tiles.tile_id
    where
        allocation.weight_ppm > 0
        and tiles.total_traffic > 0
        and tiles.direction = '{{ var("analysis_direction") }}'
    group by allocation.code_com, tiles.service
),

city_tiles as (
    select
        code_com,
        city,
        count(*) filter (where weight_ppm > 0) as n_tiles,
        sum(weight_ppm) / 1e6 as n_tiles_weighted
    from allocation
    group by code_com, city
),

commune_cities as (
    select
        code_com,
        first(city order by n_tiles_weighted desc, city asc) as city,
        cast(sum(n_tiles) as bigint) as n_tiles,
        sum(n_tiles_weighted) as n_tiles_weighted,
        count(*) as n_cities
    from city_tiles
    group by code_com
),

contributing_min as (
    select
        commune_cities.code_com,
        least(
            {%- for role in ['target_service', 'reference_service', 'baseline_service'] %}
                coalesce(max(contributing.n_tiles) filter (
                    where contributing.service = '{{ var(role) }}'
                ), 0){{ ',' if not loop.last }}
            {%- endfor %}
        ) as n_contributing_tiles
    from commune_cities
    left outer join contributing on commune_cities.code_com = contributing.code_com
    group by commune_cities.code_com
),

hours as (
    select
        code_com,
        service,
        traffic_nano
    from {{ spine_relation('int_traffic_aggregated_to_commune_hours') }}
    where direction = '{{ var("analysis_direction") }}'
),

totals as (
    select
        code_com,
        -- exact integer sums (nano-units), converted once
        cast(sum(traffic_nano) filter (where service = '{{ var("target_service") }}') as double)
        / 1e9 as target_traffic,
        cast(sum(traffic_nano) filter (where service = '{{ var("reference_service") }}') as double)
        / 1e9 as reference_traffic,
        cast(sum(traffic_nano) filter (where service = '{{ var("baseline_service") }}') as double)
        / 1e9 as baseline_traffic
    from hours
    group by code_com
),

final as (
    select
        commune_cities.code_com,
        communes.commune_name,
        commune_cities.city,
        communes.code_dep,
        communes.code_epci,
        communes.population,
        coalesce(totals.target_traffic, 0.0) as target_traffic,
        coalesce(totals.reference_traffic, 0.0) as reference_traffic,
        coalesce(totals.baseline_traffic, 0.0) as baseline_traffic,
        commune_cities.n_tiles,
        commune_cities.n_tiles_weighted,
        contributing_min.n_contributing_tiles,
        commune_cities.n_cities
    from commune_cities
    left outer join communes on commune_cities.code_com = communes.code_com
    left outer join totals on commune_cities.code_com = totals.code_com
    left outer join contributing_min on commune_cities.code_com = contributing_min.code_com
)

select * from final

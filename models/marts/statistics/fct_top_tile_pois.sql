{#-
  Table 4 (docs/method.md section 10): for each service, the top POI categories in the
  var top_tile_share (0.1 %) of the study's tiles with the highest mean daily download
  traffic, each service ranked by its own traffic (Tor by cpc = Tor x c_j of the tile's
  commune). Overture places inside those tiles are deduplicated by place id; each
  place gets its tile's traffic divided by the number of places in the tile, averaged
  per category; categories with at least var top_tile_min_places places, top
  var top_tile_categories per service. Categories and aggregates only: no tile.
-#}

with

tiles as (
    select
        city,
        service,
        tile_id,
        mean_daily_traffic
    from {{ spine_relation('int_traffic_aggregated_to_tiles') }}
    where direction = '{{ var("analysis_direction") }}'
),

primary_communes as (
    select
        city,
        tile_id,
        code_com
    from {{ ref('int_tiles_allocated_to_communes') }}
    where is_primary
),

factors as (
    select
        code_com,
        c
    from {{ ref('fct_commune_cpc') }}
),

scored as (
    select
        tiles.city,
        tiles.service,
        tiles.tile_id,
        case
            when tiles.service = '{{ var("target_service") }}' then tiles.mean_daily_traffic * factors.c
            else tiles.mean_daily_traffic
        end as ranking_traffic
    from tiles
    left outer join primary_communes
        on tiles.city = primary_communes.city and tiles.tile_id = primary_communes.tile_id
    left outer join factors on primary_communes.code_com = factors.code_com
    where tiles.service in (
        '{{ var("target_service") }}', '{{ var("reference_service") }}', '{{ var("baseline_service") }}'
    )
),

ranked as (
    select
        *,
        row_number() over (
            partition by service order by ranking_traffic desc nulls last, city asc, tile_id asc
        ) as traffic_rank,
        count(*) over (partition by service) as n_tiles
    from scored
),

top_tiles as (
    select
        ranked.service,
        ranked.city,
        ranked.tile_id,
        ranked.ranking_traffic,
        tile_geometry.geom_l93
    from ranked
    inner join {{ ref('stg_netmob__tiles') }} as tile_geometry
        on ranked.city = tile_geometry.city and ranked.tile_id = tile_geometry.tile_id
    where ranked.traffic_rank <= ceil({{ var('top_tile_share') }} * ranked.n_tiles)
),

places as (
    select
        place_id,
        category,
        geom_l93
    from {{ ref('stg_overture__places') }}
    where category is not null
),

located as (
    select
        top_tiles.service,
        top_tiles.city,
        top_tiles.tile_id,
        top_tiles.ranking_traffic,
        places.place_id,
        places.category
    from top_tiles
    inner join places on st_intersects(top_tiles.geom_l93, places.geom_l93)
),

per_place as (
    -- one row per service and place (a place on a tile edge counts once, first tile)
    select distinct on (service, place_id)
        service,
        place_id,
        category,
        city,
        tile_id,
        ranking_traffic / count(*) over (partition by service, city, tile_id) as traffic_per_poi
    from located
    order by service, place_id, city, tile_id
),

categories as (
    select
        service,
        category,
        count(*) as n_places,
        count(distinct row(city, tile_id)) as n_contributing_tiles,
        avg(traffic_per_poi order by place_id) as mean_traffic_per_poi
    from per_place
    group by service, category
    having count(*) >= {{ var('top_tile_min_places') }}
),

final as (
    select
        service,
        row_number() over (
            partition by service order by mean_traffic_per_poi desc, category asc
        ) as category_rank,
        category,
        n_places,
        n_contributing_tiles,
        mean_traffic_per_poi
    from categories
    qualify category_rank <= {{ var('top_tile_categories') }}
)

select * from final

{#-
  One row per study commune with a polygon: its metro area and the centroid of its
  polygon in Lambert-93 (EPSG:2154, metres), the points the spatial weights are built
  on (docs/method.md section 15). Internal: commune centroids are not published. With the
  authors' published totals there are no commune polygons, and no spatial model.
-#}

with

study as (
    select
        code_com,
        city
    from {{ ref('int_commune_traffic_totals') }}
),

communes as (
    select
        code_com,
        geom_l93
    from {{ ref('int_communes_unioned') }}
),

final as (
    select
        study.code_com,
        study.city,
        st_x(st_centroid(communes.geom_l93)) as x_l93,
        st_y(st_centroid(communes.geom_l93)) as y_l93
    from study
    inner join communes on study.code_com = communes.code_com
)

select * from final

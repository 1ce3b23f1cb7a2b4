{#-
  One row per study commune with a boundary in ADMIN EXPRESS: its simplified polygon as
  GeoJSON in WGS84 (EPSG:4326, lon/lat order, 1e-5 degree precision), for the commune
  maps (Figure 5) and BI tools. Administrative boundaries are public: this is commune
  geometry, never tile geometry. Simplified in Lambert-93 with tolerance var
  boundary_simplify_m (metres). Study communes absent from the ADMIN EXPRESS edition
  (e.g. the authors' published totals against another COG vintage) have no row.
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
        commune_name,
        code_dep,
        geom_l93
    from {{ ref('int_communes_unioned') }}
),

final as (
    select
        study.code_com,
        communes.commune_name,
        study.city,
        communes.code_dep,
        -- text, not DuckDB's JSON type (Parquet readers such as polars see that as binary)
        cast(st_asgeojson(
            st_reduceprecision(
                st_transform(
                    st_simplifypreservetopology(communes.geom_l93, {{ var('boundary_simplify_m') }}),
                    'EPSG:2154', 'EPSG:4326', always_xy := true
                ),
                0.00001
            )
        ) as varchar) as commune_boundary_geojson
    from study
    inner join communes on study.code_com = communes.code_com
)

select * from final
order by code_com

{#-
  IGN ADMIN EXPRESS COG, layer COMMUNE (shapefile in WGS84 or Lambert-93; GeoJSON or
  GeoPackage with the same attributes also read). Geometry converted to Lambert-93.
-#}
{%- set path = source_path('admin', 'communes', 'admin_communes_path') %}

with

source as (
    select
        "INSEE_COM",
        "NOM_COM",
        "INSEE_DEP",
        "INSEE_REG",
        "CODE_EPCI",
        "POPULATION",
        geom
    from st_read({{ path }})
),

final as (
    select
        cast("INSEE_COM" as varchar) as code_com,
        cast("NOM_COM" as varchar) as commune_name,
        cast("INSEE_DEP" as varchar) as code_dep,
        cast("INSEE_REG" as varchar) as code_reg,
        nullif(cast("CODE_EPCI" as varchar), 'NR') as code_epci,
        cast("POPULATION" as bigint) as admin_population,
        st_crs(geom) as source_crs,
        {{ to_lambert93('geom', path) }} as geom_l93
    from source
)

select * from final

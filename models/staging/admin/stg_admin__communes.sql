{#-
  IGN ADMIN EXPRESS COG, layer COMMUNE (shapefile in WGS84 or Lambert-93; GeoJSON or
  GeoPackage with the same attributes also read). The layer's fields are checked
  against seed ref_raw_file_headers and read by name; each feature keeps its number in
  the layer (source_line). Invalid polygons stop the build or are repaired (var
  invalid_geometries); geometry converted to Lambert-93.
-#}
{%- set path = source_path('admin', 'communes', 'admin_communes_path', quote=false) %}
{%- set reader = "st_read('" ~ (path | replace("'", "''")) ~ "')" %}
{%- set contract = check_header('admin_communes', path, file_columns(reader)) %}
{%- set here = "source_file || ':' || source_line || ': commune '"
    ~ " || coalesce(cast(\"INSEE_COM\" as varchar), 'NULL')" %}

with

source as (
    select
        "INSEE_COM",
        "NOM_COM",
        "INSEE_DEP",
        "INSEE_REG",
        "CODE_EPCI",
        "POPULATION",
        geom,
        '{{ path }}' as source_file,
        row_number() over () as source_line
    from {{ reader }}
),

validated as (
    select
        *,
        {{ valid_geometry('geom', here) }} as geom_valid,
        {{ geometry_repaired('geom') }} as is_geometry_repaired
    from source
),

final as (
    select
        {{ commune_code_of('cast("INSEE_COM" as varchar)') }} as code_com,
        cast("NOM_COM" as varchar) as commune_name,
        cast("INSEE_DEP" as varchar) as code_dep,
        cast("INSEE_REG" as varchar) as code_reg,
        nullif(cast("CODE_EPCI" as varchar), 'NR') as code_epci,
        cast("POPULATION" as bigint) as admin_population,
        st_crs(geom) as source_crs,
        {{ to_lambert93('geom_valid', "'" ~ path ~ "'") }} as geom_l93,
        is_geometry_repaired,
        {{ commune_code_repaired('cast("INSEE_COM" as varchar)') }} as is_code_repaired,
        source_file,
        source_line
    from validated
)

select * from final

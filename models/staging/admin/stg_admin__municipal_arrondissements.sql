{#-
  IGN ADMIN EXPRESS COG, layer ARRONDISSEMENT_MUNICIPAL: the 45 municipal
  arrondissements of Paris, Lyon and Marseille, with their parent commune. The layer's
  fields are checked against seed ref_raw_file_headers and read by name; invalid
  polygons stop the build or are repaired (var invalid_geometries). An empty var
  admin_arrondissements_path reads none (a study area without them).
-#}
{%- set path = var('admin_arrondissements_path') %}
{%- set file = '(none)' %}
{%- if path %}
    {%- set file = source_path('admin', 'municipal_arrondissements', 'admin_arrondissements_path', quote=false) %}
    {%- set reader = "st_read('" ~ (file | replace("'", "''")) ~ "')" %}
    {%- set contract = check_header('admin_municipal_arrondissements', file, file_columns(reader)) %}
{%- endif %}
{%- set here = "source_file || ':' || source_line || ': arrondissement '"
    ~ " || coalesce(cast(\"INSEE_ARM\" as varchar), 'NULL')" %}

with

source as (
    {%- if path %}
        select
            "INSEE_ARM",
            "NOM",
            "INSEE_COM",
            "POPULATION",
            geom,
            '{{ file }}' as source_file,
            row_number() over () as source_line
        from {{ reader }}
    {%- else %}
        -- var admin_arrondissements_path empty: a geography without municipal arrondissements
        select
            cast(null as varchar) as "INSEE_ARM",
            cast(null as varchar) as "NOM",
            cast(null as varchar) as "INSEE_COM",
            cast(null as bigint) as "POPULATION",
            st_setcrs(st_point(0, 0), 'EPSG:2154') as geom,
            cast(null as varchar) as source_file,
            cast(null as bigint) as source_line
        where false
    {%- endif %}
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
        {{ commune_code_of('cast("INSEE_ARM" as varchar)') }} as code_arm,
        cast("NOM" as varchar) as arrondissement_name,
        {{ commune_code_of('cast("INSEE_COM" as varchar)') }} as code_parent_com,
        cast("POPULATION" as bigint) as admin_population,
        st_crs(geom) as source_crs,
        {{ to_lambert93('geom_valid', "'" ~ file ~ "'") }} as geom_l93,
        is_geometry_repaired,
        {{ commune_code_repaired('cast("INSEE_ARM" as varchar)') }} as is_code_repaired,
        source_file,
        source_line
    from validated
)

select * from final

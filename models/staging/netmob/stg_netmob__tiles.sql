{#-
  One GeoJSON per city: <raw_dir>/netmob/<City>/<City>.geojson, WGS84 lon/lat as
  published; a file in another CRS that declares it (a `crs` member) is reprojected,
  each city on its own before the union (geometries of two CRSs do not mix). Each
  file's properties are checked against seed ref_raw_file_headers (tile_id, geom) and
  each tile keeps its feature number (source_line); an invalid polygon stops the build
  or is repaired and counted (var invalid_geometries).
-#}

with

{%- for city in list_var('netmob_cities') %}
    {%- set path = source_path('netmob', 'tiles', relative='netmob/' ~ city ~ '/' ~ city ~ '.geojson', quote=false) %}
    {%- set reader = "st_read('" ~ (path | replace("'", "''")) ~ "')" %}
    {%- set contract = check_header('netmob_tiles', path, file_columns(reader)) %}
    read_{{ loop.index }} as (
        select
            '{{ city }}' as city,
            tile_id,
            geom,
            '{{ path }}' as source_file,
            row_number() over () as source_line
        from {{ reader }}
    ),

    tiles_{{ loop.index }} as (
        select
            city,
            tile_id,
            st_crs(geom) as source_crs,
            -- the tile polygon, valid (or repaired), in Lambert-93 (EPSG:2154, metres)
            {{ to_lambert93(
                valid_geometry('geom', "source_file || ':' || source_line || ': tile ' || tile_id"),
                "'" ~ path ~ "'"
            ) }} as geom_l93,
            {{ geometry_repaired('geom') }} as is_geometry_repaired,
            source_file,
            source_line
        from read_{{ loop.index }}
    ),
{%- endfor %}

unioned as (
    {%- for city in list_var('netmob_cities') %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select * from tiles_{{ loop.index }}
    {%- endfor %}
),

final as (
    select
        city,
        cast(tile_id as bigint) as tile_id,
        source_crs,
        geom_l93,
        is_geometry_repaired,
        source_file,
        source_line
    from unioned
)

select * from final

{#-
  One GeoJSON per city: <raw_dir>/netmob/<City>/<City>.geojson, WGS84 lon/lat as
  published; a file in another CRS that declares it (a `crs` member) is reprojected,
  each city on its own before the union (geometries of two CRSs do not mix).
-#}

with

{%- for city in list_var('netmob_cities') %}
    {%- set path = source_path('netmob', 'tiles', relative='netmob/' ~ city ~ '/' ~ city ~ '.geojson') %}
    tiles_{{ loop.index }} as (
        select
            '{{ city }}' as city,
            tile_id,
            st_crs(geom) as source_crs,
            -- the tile polygon in Lambert-93 (EPSG:2154, metres)
            {{ to_lambert93('geom', path) }}
                as geom_l93
        from st_read({{ path }})
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
        geom_l93
    from unioned
)

select * from final

{#-
  A geometry read by st_read, reprojected to Lambert-93 (EPSG:2154, metres) from the
  coordinate reference system its file declares (a shapefile's .prj, a GeoJSON `crs`
  member, WGS84 for a GeoJSON without one, as RFC 7946). A file that declares no CRS
  stops the build naming it: coordinates of unknown meaning are never guessed. A NULL
  geometry stays NULL (the model's not_null test names the feature).
  Example: {{ to_lambert93('geom', "'/raw/admin/COMMUNE.shp'") }}
-#}
{% macro to_lambert93(geom, file_literal) -%}
    case
        when {{ geom }} is null then null
        when st_crs({{ geom }}) is null
            then {{ cpc_error(
                file_literal ~ " || ': the geometry declares no coordinate reference system;"
                ~ " expected one (the .prj file beside a shapefile, or a GeoJSON in WGS84"
                ~ " or with a crs member)'"
            ) }}
        else st_transform({{ geom }}, st_crs({{ geom }}), 'EPSG:2154', always_xy := true)
    end
{%- endmacro %}

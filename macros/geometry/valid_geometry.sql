{#-
  A geometry as a staging model keeps it: valid geometries as read; NULL stays NULL (the
  model's not_null test names the file and the feature); an invalid one (ST_IsValid
  false: a self-intersecting polygon, a ring not closed) stops the build naming `here`
  (a SQL text: the file and the feature) when var invalid_geometries is `fail` (the
  default), or is repaired with ST_MakeValid when it is `repair`, and flagged by
  geometry_repaired (the model's warning counts and names the repaired features).
  Example: {{ valid_geometry('geom', "'/raw/COMMUNE.shp:' || source_line") }} as geom,
           {{ geometry_repaired('geom') }} as is_geometry_repaired
-#}
{% macro valid_geometry(geom, here) -%}
    {#- the var's values are checked once, by macro check_vars -#}
    {%- set mode = var('invalid_geometries') -%}
    case
        when {{ geom }} is null then null
        when st_isvalid({{ geom }}) then {{ geom }}
    {%- if mode == 'repair' %}
        else st_makevalid({{ geom }})
    {%- else %}
        else {{ cpc_error(
            here ~ " || ': invalid geometry (ST_IsValid is false: a self-intersecting"
            ~ " polygon, a ring not closed); expected a valid polygon"
            ~ " (var invalid_geometries: repair repairs it with ST_MakeValid and counts it)'"
        ) }}
    {%- endif %}
    end
{%- endmacro %}

{% macro geometry_repaired(geom) -%}
    {%- if var('invalid_geometries') == 'repair' -%}
        coalesce(not st_isvalid({{ geom }}), false)
    {%- else -%}
        false
    {%- endif -%}
{%- endmacro %}

{#-
  IGN ADMIN EXPRESS COG, layer ARRONDISSEMENT_MUNICIPAL: the 45 municipal
  arrondissements of Paris, Lyon and Marseille, with their parent commune. An empty
  var admin_arrondissements_path reads none (a study area without them).
-#}
{%- set path = var('admin_arrondissements_path') %}
{%- set file = "'(none)'" %}
{%- if path %}
    {%- set file = source_path('admin', 'municipal_arrondissements', 'admin_arrondissements_path') %}
{%- endif %}

with

source as (
    {%- if path %}
        select
            "INSEE_ARM",
            "NOM",
            "INSEE_COM",
            "POPULATION",
            geom
        from st_read({{ file }})
    {%- else %}
        -- var admin_arrondissements_path empty: a geography without municipal arrondissements
        select
            cast(null as varchar) as "INSEE_ARM",
            cast(null as varchar) as "NOM",
            cast(null as varchar) as "INSEE_COM",
            cast(null as bigint) as "POPULATION",
            st_setcrs(st_point(0, 0), 'EPSG:2154') as geom
        where false
    {%- endif %}
),

final as (
    select
        cast("INSEE_ARM" as varchar) as code_arm,
        cast("NOM" as varchar) as arrondissement_name,
        cast("INSEE_COM" as varchar) as code_parent_com,
        cast("POPULATION" as bigint) as admin_population,
        st_crs(geom) as source_crs,
        {{ to_lambert93('geom', file) }} as geom_l93
    from source
)

select * from final

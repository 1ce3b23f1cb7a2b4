{#- INSEE indicator export, commune level: one row per commune and indicator. -#}
{%- set path = source_path('insee', 'commune_indicators', 'insee_commune_indicators_path', quote=false) %}

with

source as (
    {{ read_insee_indicators(path, 'code_com') }}
),

final as (
    select
        area_code as code_com,
        area_name,
        indicator_label,
        indicator_value,
        is_unavailable
    from source
)

select * from final

{#- INSEE indicator export, commune level: one row per commune and indicator. -#}
{%- set path = source_path('insee', 'commune_indicators', 'insee_commune_indicators_path', quote=false) %}

with

source as (
    {{ read_insee_indicators(path, 'code_com', 'commune') }}
),

final as (
    select
        {{ commune_code_of('area_code') }} as code_com,
        area_name,
        indicator_label,
        indicator_value,
        is_unavailable,
        {{ commune_code_repaired('area_code') }} as is_code_repaired,
        source_file,
        source_line
    from source
)

select * from final

{#- INSEE indicator export, epci level: one row per epci and indicator. -#}
{%- set path = source_path('insee', 'epci_indicators', 'insee_epci_indicators_path', quote=false) %}

with

source as (
    {{ read_insee_indicators(path, 'code_epci', 'epci') }}
),

final as (
    select
        area_code as code_epci,
        area_name,
        indicator_label,
        indicator_value,
        is_unavailable,
        source_file,
        source_line
    from source
)

select * from final

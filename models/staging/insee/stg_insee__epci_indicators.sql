{#- INSEE indicator export, epci level: one row per epci and indicator. -#}
-- depends_on: {{ source('insee', 'epci_indicators') }}

with

source as (
    {{ read_insee_indicators('insee_epci_indicators_path', 'code_epci') }}
),

final as (
    select
        area_code as code_epci,
        area_name,
        indicator_label,
        indicator_value,
        is_unavailable
    from source
)

select * from final

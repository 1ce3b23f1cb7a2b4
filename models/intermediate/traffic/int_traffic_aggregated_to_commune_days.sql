{{ config(materialized="view", enabled=netmob_enabled()) }}

with

parsed as (
    select * from {{ ref('int_traffic_parsed_by_partition') }}
    where grain = 'commune_day'
),

final as (
    select
        city,
        service,
        direction,
        traffic_date,
        allocation_status,
        code_com,
        n_weighted_rows as n_tile_rows,
        total_traffic,
        {%- for c in netmob_slot_columns() %}
            {{ c }}{{ "," if not loop.last }}
        {%- endfor %}
    from parsed
)

select * from final

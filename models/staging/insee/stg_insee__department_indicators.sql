{#- INSEE indicator export, department level: one row per department and indicator. -#}
{%- set path = source_path('insee', 'department_indicators', 'insee_department_indicators_path', quote=false) %}

with

source as (
    {{ read_insee_indicators(path, 'code_dept', 'department') }}
),

final as (
    select
        area_code as code_dep,
        area_name,
        indicator_label,
        indicator_value,
        is_unavailable,
        source_file,
        source_line
    from source
)

select * from final

{#-
  Fails on NetMob rows with a negative or NaN slot value, or with a NULL slot other
  than the 02:00-02:45 slots of a clock-change day (var dst_dates), naming in the error
  the file, the tile and the slots with what they hold (first ten rows). The CSV reader
  already refuses non-numeric text and rows with the wrong number of values.
  Example: data_tests: [netmob_values_valid]
-#}
{% test netmob_values_valid(model) %}

{%- set dst = list_var('dst_dates') %}
{%- set failing %}
select
    source_file,
    tile_id,
    concat_ws(
        ', ',
    {%- for c in netmob_slot_columns() %}
        case
            when {{ c }} < 0 or isnan({{ c }}) then '{{ c }} = ' || {{ c }}
            {%- if c.startswith('v_02') %}
            when {{ c }} is null and traffic_date::varchar not in ({{ "'" ~ dst | join("', '") ~ "'" if dst else "''" }})
                then '{{ c }} empty'
            {%- else %}
            when {{ c }} is null then '{{ c }} empty'
            {%- endif %}
        end{{ "," if not loop.last }}
    {%- endfor %}
    ) as bad_slots
from {{ model }}
where
{%- for c in netmob_slot_columns() %}
    {{ c }} < 0 or isnan({{ c }})
    {%- if c.startswith('v_02') %}
    or ({{ c }} is null and traffic_date::varchar not in ({{ "'" ~ dst | join("', '") ~ "'" if dst else "''" }}))
    {%- else %}
    or {{ c }} is null
    {%- endif %}
    {{ "or" if not loop.last }}
{%- endfor %}
{%- endset %}

{{ fail_naming(
    'invalid NetMob values',
    failing,
    "source_file || ': tile ' || tile_id || ': ' || bad_slots"
    ~ " || '; expected non-negative numbers in every slot'",
    'source_file, tile_id'
) }}

{% endtest %}

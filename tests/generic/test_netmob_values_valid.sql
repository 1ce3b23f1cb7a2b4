{#-
  Fails on NetMob rows with a negative or NaN slot value, or with a NULL slot other
  than the 02:00-02:45 slots of a clock-change day (var dst_dates). The CSV reader
  already refuses non-numeric text and rows with the wrong number of values.
  Example: data_tests: [netmob_values_valid]
-#}
{% test netmob_values_valid(model) %}

    {%- set dst = list_var('dst_dates') %}
select city, service, direction, traffic_date, tile_id, source_file
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

{% endtest %}

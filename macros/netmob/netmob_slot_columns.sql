{#-
  Names of the 96 fifteen-minute slot columns of a NetMob day, by local start time:
  v_0000, v_0015, ..., v_2345. `netmob_slot_columns()[9]` is 'v_0215'.
-#}
{% macro netmob_slot_columns() -%}
    {%- set cols = [] -%}
    {%- for i in range(96) -%}
        {%- do cols.append('v_%02d%02d' % ((i // 4), (i % 4) * 15)) -%}
    {%- endfor -%}
    {{ return(cols) }}
{%- endmacro %}

{#-
  Slots that exist on a clock-change day (92 values): all but 02:00-02:45, in order;
  value 9 of such a row is 03:00.
-#}
{% macro netmob_dst_slot_columns() -%}
    {%- set cols = [] -%}
    {%- for c in netmob_slot_columns() -%}
        {%- if not c.startswith('v_02') -%}{%- do cols.append(c) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(cols) }}
{%- endmacro %}

{#-
  The day's total of a row of the parse (int_traffic_parsed_by_partition): the sum of its
  96 slot sums, a slot a clock-change day lacks counting 0 (nano-units).
  Example: {{ netmob_day_total() }} as total_traffic_nano
-#}
{% macro netmob_day_total(relation=none) -%}
    (
        {%- for c in netmob_slot_columns() %}
            coalesce({{ relation ~ '.' if relation }}{{ c }}, 0){{ " +" if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}

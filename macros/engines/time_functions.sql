{#-
  Engine-specific time expressions, dispatched on the adapter (duckdb__ keeps the
  DuckDB path's SQL as it was).
  - hours_of_day(): a relation of the 24 hours, column hour_of_day (integer).
  - hour_start(day, hour): the timestamp of a local hour of a date.
  - parse_yyyymmdd(text): a date from 'YYYYMMDD', NULL when it is not one.
  - format_yyyymmdd(day): 'YYYYMMDD' text of a date.
-#}
{% macro hours_of_day() -%}{{ return(adapter.dispatch('hours_of_day')()) }}{%- endmacro %}
{% macro duckdb__hours_of_day() -%}
    select cast(h.hour_of_day as integer) as hour_of_day
    from range(24) as h (hour_of_day)
{%- endmacro %}
{% macro spark__hours_of_day() -%}
    select cast(id as integer) as hour_of_day
    from range(24)
{%- endmacro %}

{% macro hour_start(day, hour) -%}{{ return(adapter.dispatch('hour_start')(day, hour)) }}{%- endmacro %}
{% macro duckdb__hour_start(day, hour) -%}
    {{ day }} + make_time({{ hour }}, 0, 0.0)
{%- endmacro %}
{% macro spark__hour_start(day, hour) -%}
    timestampadd(hour, {{ hour }}, cast({{ day }} as timestamp))
{%- endmacro %}

{% macro minus_hours(ts, hours) -%}{{ return(adapter.dispatch('minus_hours')(ts, hours)) }}{%- endmacro %}
{% macro duckdb__minus_hours(ts, hours) -%}{{ ts }} - to_hours({{ hours }}){%- endmacro %}
{% macro spark__minus_hours(ts, hours) -%}timestampadd(hour, -{{ hours }}, {{ ts }}){%- endmacro %}

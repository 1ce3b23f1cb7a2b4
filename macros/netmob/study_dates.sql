{#-
  The study days, from var('study_start') to var('study_end') inclusive, as
  'YYYY-MM-DD' strings. Example: study_start 2019-03-16, study_end 2019-03-17 ->
  ['2019-03-16', '2019-03-17'].
-#}
{% macro study_dates() -%}
    {%- set start = modules.datetime.date.fromisoformat(var('study_start') | string) -%}
    {%- set end = modules.datetime.date.fromisoformat(var('study_end') | string) -%}
    {%- if end < start -%}
        {{ exceptions.raise_compiler_error("study_end " ~ end ~ " is before study_start " ~ start) }}
    {%- endif -%}
    {%- set days = [] -%}
    {%- for i in range((end - start).days + 1) -%}
        {%- do days.append((start + modules.datetime.timedelta(days=i)).isoformat()) -%}
    {%- endfor -%}
    {{ return(days) }}
{%- endmacro %}

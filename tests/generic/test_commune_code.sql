{#-
  Fails on rows whose commune code is not 5-character text in the INSEE COG form:
  two digits + three digits (`01009`), Corsica `2A`/`2B` + three digits (`2A004`), or
  an overseas department (`97x`) + two digits, naming the code and where the row comes
  from. A 4-digit code says it lost its leading zero (read as a number somewhere);
  a column that is not text at all fails too. `extra_pattern` admits other codes a
  source legitimately carries (e.g. the election file's overseas `ZA001`).
  Example:
    columns:
      - name: code_com
        data_tests: [commune_code]
-#}
{% test commune_code(model, column_name, extra_pattern=none) %}

{%- set failing %}
select
    {{ row_location(model) }} as location,
    {{ as_text(column_name) }} as code,
    typeof({{ column_name }}) as column_type
from {{ model }}
where {{ column_name }} is not null
  and (
    typeof({{ column_name }}) <> 'VARCHAR'
    or not (
        regexp_full_match({{ column_name }}::varchar, '(0[1-9]|[1-8][0-9]|9[0-5])[0-9]{3}|2[AB][0-9]{3}|97[1-6][0-9]{2}')
        {%- if extra_pattern %}
        or regexp_full_match({{ column_name }}::varchar, '{{ extra_pattern }}')
        {%- endif %}
    )
  )
{%- endset %}

{{ fail_naming(
    'malformed commune codes in ' ~ model.identifier,
    failing,
    "location || ': " ~ column_name ~ " ' || code || case when column_type <> 'VARCHAR'"
    ~ " then ' is ' || column_type || ', not text'"
    ~ " when regexp_full_match(code, '[0-9]{4}') then ' lost its leading zero'"
    ~ " else '' end || '; expected a 5-character COG code (01009, 2A004, 97101)'",
    'location'
) }}

{% endtest %}

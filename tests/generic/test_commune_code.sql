{#-
  Fails on rows whose commune code is not 5-character text in the INSEE COG form:
  two digits + three digits (`01009`), Corsica `2A`/`2B` + three digits (`2A004`), or
  an overseas department (`97x`) + two digits. Also fails when the column is not text
  (a code read as an integer has lost its leading zeros). `extra_pattern` admits other
  codes a source legitimately carries (e.g. the election file's overseas `ZA001`).
  Example:
    columns:
      - name: code_com
        data_tests: [commune_code]
-#}
{% test commune_code(model, column_name, extra_pattern=none) %}

select {{ column_name }} as code, typeof({{ column_name }}) as column_type
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

{% endtest %}

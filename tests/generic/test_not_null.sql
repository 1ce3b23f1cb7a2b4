{#-
  dbt's `not_null`, located: fails on every row where `column_name` is NULL, naming
  where the row comes from (file and line for a staging model, macro row_location).
  Example:
    columns:
      - name: code_com
        data_tests: [not_null]
-#}
{% test not_null(model, column_name) %}

{%- set failing %}
select {{ row_location(model) }} as location
from {{ model }}
where {{ column_name }} is null
{%- endset %}

{{ fail_naming(
    column_name ~ ' NULL in ' ~ model.identifier,
    failing,
    "location || ': " ~ column_name ~ " is NULL; expected a value'",
    'location'
) }}

{% endtest %}

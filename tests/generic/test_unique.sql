{#-
  dbt's `unique`, located: fails when a value of `column_name` occurs on more than one
  row, naming the value and where each row comes from (file and line for a staging
  model, macro row_location).
  Example:
    columns:
      - name: code_com
        data_tests: [unique]
-#}
{% test unique(model, column_name) %}

{%- set failing %}
select
    {{ as_text(column_name) }} as value_text,
    count(*) as n_rows,
    array_to_string(list({{ row_location(model) }} order by {{ row_order(model) }})[1:5], ', ')
        as locations
from {{ model }}
where {{ column_name }} is not null
group by {{ column_name }}
having count(*) > 1
{%- endset %}

{{ fail_naming(
    column_name ~ ' repeated in ' ~ model.identifier,
    failing,
    "'" ~ column_name ~ " ' || value_text || ' on ' || n_rows || ' rows (' || locations"
    ~ " || '); expected one row per " ~ column_name ~ "'",
    'value_text'
) }}

{% endtest %}

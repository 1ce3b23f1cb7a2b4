{#-
  Fails on every row where `expression` is not true (NULL counts as a failure), naming
  where the row comes from (macro row_location) and, with `column_name`, its value.
  Example:
    data_tests:
      - expression_is_true:
          arguments:
            expression: "rate_per_1000 >= 0"
-#}
{% test expression_is_true(model, expression, column_name=none, where_clause=none) %}

{%- set failing %}
select
    {{ row_location(model) }} as location,
    {{ as_text(column_name) if column_name else "''" }} as value_text
from {{ model }}
where not coalesce(({{ expression }}), false)
{%- if where_clause %}
  and ({{ where_clause }})
{%- endif %}
{%- endset %}

{{ fail_naming(
    'rows of ' ~ model.identifier ~ ' breaking ' ~ expression,
    failing,
    "location || ': " ~ ((column_name ~ " = ' || value_text || ', ") if column_name else "")
    ~ "expected " ~ (expression | replace("'", "''")) ~ "'",
    'location'
) }}

{% endtest %}

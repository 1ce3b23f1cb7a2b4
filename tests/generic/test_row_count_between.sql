{#-
  Fails when the model's row count is outside [min_rows, max_rows], naming the model
  and the count.
  Example:
    data_tests:
      - row_count_between:
          arguments: {min_rows: 1, max_rows: 2000}
-#}
{% test row_count_between(model, min_rows=0, max_rows=none) %}

{%- set failing %}
select n_rows
from (select count(*) as n_rows from {{ model }}) as counted
where n_rows < {{ min_rows }}
{%- if max_rows is not none %}
   or n_rows > {{ max_rows }}
{%- endif %}
{%- endset %}

{{ fail_naming(
    'row count of ' ~ model.identifier,
    failing,
    "'" ~ model.identifier ~ " has ' || n_rows || ' rows; expected "
    ~ (("between " ~ min_rows ~ " and " ~ max_rows) if max_rows is not none else ("at least " ~ min_rows)) ~ "'",
    'n_rows'
) }}

{% endtest %}

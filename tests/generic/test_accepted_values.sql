{#-
  dbt's `accepted_values`, located: fails on every row whose `column_name` is not one
  of `values` (NULL passes, as in dbt), naming the value and where the row comes from.
  Example:
    columns:
      - name: direction
        data_tests:
          - accepted_values:
              arguments: {values: [DL, UL]}
-#}
{% test accepted_values(model, column_name, values, quote=true) %}

{%- set listed = [] %}
{%- for v in values %}
    {%- do listed.append("'" ~ (v | string | replace("'", "''")) ~ "'" if quote else v | string) %}
{%- endfor %}

{%- set failing %}
select
    {{ row_location(model) }} as location,
    {{ as_text(column_name) }} as value_text
from {{ model }}
where {{ column_name }} is not null and {{ column_name }} not in ({{ listed | join(', ') }})
{%- endset %}

{{ fail_naming(
    column_name ~ ' not accepted in ' ~ model.identifier,
    failing,
    "location || ': " ~ column_name ~ " = ' || value_text || '; expected one of "
    ~ (values | join(', ') | replace("'", "''")) ~ "'",
    'location'
) }}

{% endtest %}

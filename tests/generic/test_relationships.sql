{#-
  dbt's `relationships`, located: fails on every row whose `column_name` (not NULL) is
  not a value of `field` in `to`, naming the value and where the row comes from.
  Example:
    columns:
      - name: correction_method
        data_tests:
          - relationships:
              arguments: {to: ref('correction_methods'), field: correction_method}
-#}
{% test relationships(model, column_name, to, field) %}

{%- set failing %}
select
    {{ row_location(model) }} as location,
    {{ as_text('child.' ~ column_name) }} as value_text
from {{ model }} as child
left outer join (select {{ field }} as parent_key from {{ to }}) as parent
    on child.{{ column_name }} = parent.parent_key
where child.{{ column_name }} is not null and parent.parent_key is null
{%- endset %}

{{ fail_naming(
    column_name ~ ' without a match in ' ~ to.identifier,
    failing,
    "location || ': " ~ column_name ~ " = ' || value_text || '; expected a " ~ field
    ~ " of " ~ to.identifier ~ "'",
    'location'
) }}

{% endtest %}

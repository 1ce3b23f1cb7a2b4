{#-
  Fails when a value the method needs (`values`: a var's list, e.g. the years of var
  ssmsi_years) has no row in `column_name` (among the rows of `where_clause`), naming
  the missing values and the file(s) the model reads: a year missing from a file, a
  renamed class or candidate, never a silently smaller sample.
  Example:
    columns:
      - name: year
        data_tests:
          - values_present:
              arguments: {values: "{{ var('ssmsi_years') }}"}
-#}
{% test values_present(model, column_name, values, where_clause=none, quote=true) %}

{%- set expected = [] %}
{%- for v in values %}
    {%- do expected.append("select " ~ ("'" ~ (v | string | replace("'", "''")) ~ "'" if quote else v) ~ " as needed") %}
{%- endfor %}

{%- set failing %}
with

needed as (
    {{ expected | join('\n    union all\n    ') }}
),

present as (
    select distinct {{ column_name }} as value
    from {{ model }}
    {%- if where_clause %}
        where {{ where_clause }}
    {%- endif %}
),

files as (
    select string_agg(distinct {{ row_file(model) }}, ', ') as read_from
    from {{ model }}
)

select
    {{ as_text('needed.needed') }} as missing_value,
    files.read_from
from needed
cross join files
left outer join present on needed.needed = present.value
where present.value is null
{%- endset %}

{{ fail_naming(
    'values of ' ~ column_name ~ ' missing from ' ~ model.identifier,
    failing,
    "coalesce(read_from, '" ~ model.identifier ~ "') || ': no row with " ~ column_name
    ~ " ' || missing_value || '" ~ ((" (" ~ where_clause | replace("'", "''") ~ ")") if where_clause else "")
    ~ "; expected every value the vars name (" ~ values | join(', ') | replace("'", "''") ~ ")'",
    'missing_value'
) }}

{% endtest %}

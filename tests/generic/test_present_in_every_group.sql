{#-
  Fails when a value of `field` in `to` (but those of `exclude`) is missing from
  `column_name` in some group of `group_by`: a region missing from a Trends export of a
  term, a day missing from a city. Names the group, the missing value and the file(s)
  the group was read from (macro row_file).
  Example:
    columns:
      - name: region_code
        data_tests:
          - present_in_every_group:
              arguments:
                to: ref('ref_trends_regions')
                field: region_code
                group_by: search_term
-#}
{% test present_in_every_group(model, column_name, to, field, group_by, exclude=[]) %}

{%- set failing %}
with

groups as (
    select
        {{ group_by }} as group_value,
        string_agg(distinct {{ row_file(model) }}, ', ') as read_from
    from {{ model }}
    group by {{ group_by }}
),

needed as (
    select distinct {{ field }} as needed_value
    from {{ to }}
    {%- if exclude %}
        where {{ field }} not in ({{ "'" ~ exclude | join("', '") ~ "'" }})
    {%- endif %}
),

present as (
    select distinct
        {{ group_by }} as group_value,
        {{ column_name }} as present_value
    from {{ model }}
)

select
    {{ as_text('groups.group_value') }} as group_text,
    {{ as_text('needed.needed_value') }} as missing_text,
    groups.read_from
from groups
cross join needed
left outer join present
    on groups.group_value = present.group_value and needed.needed_value = present.present_value
where present.present_value is null
{%- endset %}

{{ fail_naming(
    'values of ' ~ to.identifier ~ '.' ~ field ~ ' missing from ' ~ model.identifier,
    failing,
    "read_from || ': " ~ group_by ~ " ' || group_text || ' has no row with " ~ column_name
    ~ " ' || missing_text || '; expected every " ~ field ~ " of " ~ to.identifier
    ~ ((" but " ~ exclude | join(', ')) if exclude else "") ~ "'",
    'group_text, missing_text'
) }}

{% endtest %}

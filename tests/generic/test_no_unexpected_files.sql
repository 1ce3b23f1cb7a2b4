{#-
  Warns, naming them (first ten), about files found in the NetMob day folders of the
  study's cities and services that the vars do not call for (a stray copy, another
  direction, a day outside the study window). They are never read; the warning says
  so. Meant with severity warn; the failing rows are the files.
  Example:
    data_tests:
      - no_unexpected_files:
          config: {severity: warn}
-#}
{% test no_unexpected_files(model) %}

{%- set failing %}
select relative_path
from {{ model }}
where is_found and not is_expected
{%- endset %}

{%- if execute %}
    {%- set found = run_query(failing ~ ' order by relative_path') %}
    {%- if found and found.rows | length > 0 %}
        {%- set names = found.columns[0].values() %}
        {%- do exceptions.warn(
            'NetMob day folders hold ' ~ (names | length) ~ ' file(s) the vars do not call for'
            ~ ' (not read): ' ~ (names[:10] | join(', '))
        ) %}
    {%- endif %}
{%- endif %}

{{ failing }}

{% endtest %}

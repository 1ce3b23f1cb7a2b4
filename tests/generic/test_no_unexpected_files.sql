{#-
  Names (first ten) the files found in the NetMob day folders of the study's cities
  and services that the vars do not call for (a stray copy, another direction, a day
  outside the study window): they are never read. Meant with severity warn, which
  makes it a warning that names them (macro fail_naming).
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

{{ fail_naming(
    'NetMob day folders hold files the vars do not call for (not read)',
    failing,
    "relative_path",
    'relative_path'
) }}

{% endtest %}

{#-
  Gate on the NetMob file listing (int_netmob_files_listed): fails, naming every
  missing file (first ten), when a file the vars call for is not on disk. Runs before
  the parse, which depends on the listing (Spark and DuckDB alike would otherwise
  stop at the first missing file, or skip it in a glob).
  Example: data_tests: [expected_files_found]
-#}
{% test expected_files_found(model) %}

{%- set failing %}
select relative_path
from {{ model }}
where is_expected and not is_found
{%- endset %}

{{ fail_naming(
    'missing NetMob files',
    failing,
    "'" ~ raw_path(relative='netmob', quote=false) ~ "/' || relative_path || ': expected by the vars"
    ~ " (city, service, direction, study day), not found'",
    'relative_path'
) }}

{% endtest %}

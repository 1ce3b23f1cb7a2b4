{#-
  SQL normalisation of a raw query (docs/method.md section 11), the same expression as
  analysis_py.stats.keywords.sql_normalise (a pytest checks they are identical):
  characters that are neither ASCII letters/digits nor letters/marks become spaces,
  the remaining non-ASCII letters and marks are deleted, ASCII is lower-cased, spaces
  are collapsed. Example: {{ sql_normalise("'Pénétration-12YO!'") }} -> 'pntration 12yo'
-#}
{% macro sql_normalise(expr) -%}
    trim(regexp_replace(lower(regexp_replace(regexp_replace({{ expr }}, '[^A-Za-z0-9\p{L}\p{M}]', ' ', 'g'), '[^A-Za-z0-9 ]', '', 'g')), ' +', ' ', 'g'))
{%- endmacro %}

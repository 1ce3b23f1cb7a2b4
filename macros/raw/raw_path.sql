{#-
  Absolute path of a raw input.

  `raw_dir` (var) may be absolute or relative to the project folder; `key` names a var
  holding a path relative to `raw_dir` (e.g. 'ssmsi_path'), or is passed as `relative`.
  Example: {{ raw_path('ssmsi_path') }} -> '/abs/data/raw_sample/ssmsi/donnee-...csv'
  (quoted SQL string literal unless quote=false).
-#}
{% macro raw_dir() -%}
    {%- set raw = var('raw_dir') | string -%}
    {%- if raw.startswith('/') -%}
        {{ return(raw.rstrip('/')) }}
    {%- endif -%}
    {%- set project = invocation_args_dict.get('project_dir') or '.' -%}
    {{ return((project ~ '/' ~ raw).rstrip('/')) }}
{%- endmacro %}

{% macro raw_path(key=none, relative=none, quote=true) -%}
    {%- set rel = relative if relative is not none else var(key) -%}
    {%- if (rel is none or (rel | string | trim) == '') and not execute -%}
        {%- set rel = '__unset__' -%}
    {%- elif rel is none or (rel | string | trim) == '' -%}
        {{ exceptions.raise_compiler_error("raw input path is empty: set var '" ~ key ~ "' (relative to raw_dir " ~ raw_dir() ~ ")") }}
    {%- endif -%}
    {%- set path = rel if (rel | string).startswith('/') else raw_dir() ~ '/' ~ rel -%}
    {%- if quote -%}
        {{ return("'" ~ (path | replace("'", "''")) ~ "'") }}
    {%- else -%}
        {{ return(path) }}
    {%- endif -%}
{%- endmacro %}

{#-
  The absolute path of a raw file declared as a source: records the source as what the
  calling staging model reads (dbt lineage: docs and `--select source:...+`), then
  returns raw_path(key, relative, quote). Staging models read raw files through it.
  Example: {%- set path = source_path('ssmsi', 'communal_crime', 'ssmsi_path', quote=false) %}
-#}
{% macro source_path(source_name, table_name, key=none, relative=none, quote=true) -%}
    {%- set relation = source(source_name, table_name) -%}
    {{ return(raw_path(key, relative, quote)) }}
{%- endmacro %}

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

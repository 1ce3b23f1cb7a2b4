{#-
  A var that must be a list, accepting a YAML string too (`"[Paris, Lyon]"`, as some
  tools pass vars), so loops never iterate over characters.
  Example: {{ list_var('netmob_cities') }} -> ['Paris', 'Lyon']
-#}
{% macro list_var(name) -%}
    {%- set value = var(name) -%}
    {%- if value is string -%}
        {%- set value = fromyaml(value) -%}
    {%- endif -%}
    {%- if value is string or value is mapping or value is not iterable -%}
        {{ exceptions.raise_compiler_error("var " ~ name ~ " must be a list, got " ~ value) }}
    {%- endif -%}
    {{ return(value | list) }}
{%- endmacro %}

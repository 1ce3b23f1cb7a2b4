{#-
  Custom schema names are used verbatim (staging, intermediate, marts, reference), so
  BI tools and the publication step find the marts in a stable schema `marts` whatever
  the target's default schema is.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}

{#-
  One constant of the seed `method_constants`, read from the built seed when the model
  is compiled and written into the SQL as a typed literal (so every engine reads the
  same value, and a model with empty parents still has it). The model refs the seed
  through this macro (dbt lineage: the seed is built first). An unknown name stops the
  build naming it; while parsing it is NULL.
  Example: {{ method_constant('log_floor') }} -> cast(0.001 as double)
-#}
{% macro method_constant(name) -%}
    {%- set seed = ref('method_constants') -%}
    {%- if not execute -%}
        {{ return('cast(null as double)') }}
    {%- endif -%}
    {#- the seed as built (load_relation: also under --empty, which empties ref()) -#}
    {%- set result = run_query(
        "select cast(value as double) from " ~ load_relation(seed) ~ " where constant_name = '" ~ name ~ "'"
    ) -%}
    {%- if result | length != 1 -%}
        {{ exceptions.raise_compiler_error("seed method_constants has no constant named '" ~ name ~ "' (model " ~ this ~ ")") }}
    {%- endif -%}
    {{ return('cast(' ~ result.columns[0].values()[0] ~ ' as double)') }}
{%- endmacro %}

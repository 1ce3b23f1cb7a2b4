{#-
  A commune code as a staging model reads it: text, trimmed. A code that lost its
  leading zero (4 digits, `1009` for `01009`: the file went through a tool that read it
  as a number) is repaired when var repair_commune_codes is true, and flagged: the
  model keeps is_code_repaired and its test counts and names the repaired rows (a
  warning); when false (the default) the code stays as read and the test commune_code
  stops the build naming the file, the line and the code.
  Example: {{ commune_code_of('"INSEE_COM"') }} as code_com,
           {{ commune_code_repaired('"INSEE_COM"') }} as is_code_repaired
-#}
{% macro commune_code_of(expr) -%}
    {%- if var('repair_commune_codes') -%}
        case
            when regexp_full_match(trim({{ expr }}), '[0-9]{4}') then '0' || trim({{ expr }})
            else trim({{ expr }})
        end
    {%- else -%}
        trim({{ expr }})
    {%- endif -%}
{%- endmacro %}

{% macro commune_code_repaired(expr) -%}
    {%- if var('repair_commune_codes') -%}
        coalesce(regexp_full_match(trim({{ expr }}), '[0-9]{4}'), false)
    {%- else -%}
        false
    {%- endif -%}
{%- endmacro %}

{#-
  True when commune traffic comes from the raw NetMob files (var traffic_source =
  netmob), false for the authors' published totals (`published`); any other value
  fails the build naming it. dbt_project.yml (variants) enables the models of each
  mode; the models that pick a variant, or branch on the mode, call this.
  Example: {% if netmob_enabled() %} ... {% endif %}
-#}
{% macro netmob_enabled() -%}
    {%- set source = var('traffic_source') -%}
    {%- if source not in ['netmob', 'published'] -%}
        {{ exceptions.raise_compiler_error("var traffic_source must be netmob or published, got '" ~ source ~ "'") }}
    {%- endif -%}
    {{ return(source == 'netmob') }}
{%- endmacro %}

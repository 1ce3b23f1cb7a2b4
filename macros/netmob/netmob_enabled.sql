{#-
  True when commune traffic comes from the raw NetMob files (var traffic_source =
  netmob): the models that read or aggregate them are enabled only then.
  Example: {{ config(enabled=netmob_enabled()) }}
-#}
{% macro netmob_enabled() -%}
    {%- set source = var('traffic_source') -%}
    {%- if source not in ['netmob', 'published'] -%}
        {{ exceptions.raise_compiler_error("var traffic_source must be netmob or published, got '" ~ source ~ "'") }}
    {%- endif -%}
    {{ return(source == 'netmob') }}
{%- endmacro %}

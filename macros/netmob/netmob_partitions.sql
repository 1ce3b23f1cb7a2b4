{#-
  The NetMob partitions of the study: one dict per city x service x direction of the
  vars netmob_cities, netmob_services, netmob_directions, in that order.
  Example: [{'city': 'Bordeaux', 'service': 'Tor', 'direction': 'DL'}, ...]
-#}
{% macro netmob_partitions() -%}
    {%- set parts = [] -%}
    {%- for city in list_var('netmob_cities') -%}
        {%- for service in list_var('netmob_services') -%}
            {%- for direction in list_var('netmob_directions') -%}
                {%- do parts.append({'city': city, 'service': service, 'direction': direction}) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(parts) }}
{%- endmacro %}

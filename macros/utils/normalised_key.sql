{#-
  A matching key for names: lower case, accents stripped, anything but letters and
  digits removed. Example: {{ normalised_key("'Provence-Alpes-Côte d''Azur'") }} ->
  'provencealpescotedazur'; 'Île-de-France' and 'ile de france' share a key.
-#}
{% macro normalised_key(expr) -%}
    regexp_replace(lower(strip_accents({{ expr }})), '[^a-z0-9]', '', 'g')
{%- endmacro %}

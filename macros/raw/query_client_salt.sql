{#-
  Salt for hashing query-log client identifiers on load: var('query_client_salt'),
  else the environment variable CPC_QUERY_SALT, else a fixed default that keeps the
  sample deterministic. Set your own secret salt for real logs.
-#}
{% macro query_client_salt() -%}
    {{ return(var('query_client_salt') or env_var('CPC_QUERY_SALT', 'cpc-tor-sample-salt')) }}
{%- endmacro %}

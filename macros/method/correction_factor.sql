{#-
  The correction factor c_j of one method (method.md section 5), as a SQL expression
  over a row of int_method_constants (alias `constants`):
  - pearson, spearman: onion_share x cp_share_of_porn x rho
  - pearson_sq:        onion_share x cp_share_of_porn x rho^2 (notebook's c2)
  - centered:          (rho - mean_rho + 1) x c_global, with c_global = onion_share x
                       porn share of onion pages x cp_share_of_porn (the 0.19 %)
  - v1_youtube_diff:   cp_share_of_porn x rho' (earlier paper: no onion share)
  A negative result is replaced by constants.c_floor (notebook). All arguments are SQL
  expressions. Example: {{ correction_factor('method', 'rho', 'onion_share', 'mean_rho') }}
-#}
{% macro correction_factor(method, rho, onion_share, mean_rho, constants='constants') -%}
    {%- set raw -%}
        case {{ method }}
            when 'pearson' then {{ onion_share }} * {{ constants }}.cp_share_of_porn * ({{ rho }})
            when 'spearman' then {{ onion_share }} * {{ constants }}.cp_share_of_porn * ({{ rho }})
            when 'pearson_sq' then {{ onion_share }} * {{ constants }}.cp_share_of_porn * ({{ rho }}) ^ 2
            when 'centered' then (({{ rho }}) - ({{ mean_rho }}) + 1.0)
                * {{ onion_share }} * {{ constants }}.porn_share_of_onion_pages * {{ constants }}.cp_share_of_porn
            when 'v1_youtube_diff' then {{ constants }}.cp_share_of_porn * ({{ rho }})
        end
    {%- endset -%}
    case when ({{ raw }}) < 0 then {{ constants }}.c_floor else ({{ raw }}) end
{%- endmacro %}

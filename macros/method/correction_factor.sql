{#-
  The correction factor c_j (docs/method.md section 5) as a SQL expression, for a method
  of the seed correction_methods whose columns factor_rule and uses_onion_share are
  passed as SQL expressions, over a row of int_method_constants (alias `constants`):
  - linear:   onion x cp_share_of_porn x rho      (pearson, spearman, v1_youtube_diff)
  - squared:  onion x cp_share_of_porn x rho^2    (pearson_sq, notebook's c2)
  - centered: (rho - mean_rho + 1) x onion x porn share of onion pages x cp_share_of_porn
              (the global share 0.19 % moved by the commune's deviation from the mean)
  with onion = `onion_share` where uses_onion_share, else 1 (the earlier paper's v1 has
  no onion share). A negative result is replaced by constants.c_floor (notebook);
  floor=false gives the rule's raw value (the unfloored mean of the headline figures).
  Example: {{ correction_factor('methods.factor_rule', 'methods.uses_onion_share', 'rho',
  'constants.onion_share', 'mean_rho') }}
-#}
{% macro correction_factor(factor_rule, uses_onion_share, rho, onion_share, mean_rho, constants='constants', floor=true) -%}
    {%- set onion -%}
        (case when {{ uses_onion_share }} then {{ onion_share }} else 1.0 end)
    {%- endset -%}
    {%- set raw -%}
        case {{ factor_rule }}
            when 'linear' then {{ onion }} * {{ constants }}.cp_share_of_porn * ({{ rho }})
            when 'squared' then {{ onion }} * {{ constants }}.cp_share_of_porn * ({{ rho }}) ^ 2
            when 'centered' then (({{ rho }}) - ({{ mean_rho }}) + 1.0)
                * {{ onion }} * {{ constants }}.porn_share_of_onion_pages * {{ constants }}.cp_share_of_porn
        end
    {%- endset -%}
    {%- if floor %}
    case when ({{ raw }}) < 0 then {{ constants }}.c_floor else ({{ raw }}) end
    {%- else %}
    ({{ raw }})
    {%- endif %}
{%- endmacro %}

{#-
  Average rank (1-based) of `expr` within `partition`, ties sharing the mean of their
  ranks, as pandas' and scipy's default. rank() is the lowest rank of the ties and
  count(*) over the same ordered window (RANGE frame, peers included) the highest, so
  one sort serves both.
  Example: {{ average_rank('log_target', 'code_com') }}
-#}
{% macro average_rank(expr, partition) -%}
    (
        (
            rank() over (partition by {{ partition }} order by {{ expr }})
            + count(*) over (partition by {{ partition }} order by {{ expr }})
        ) / 2.0
    )
{%- endmacro %}

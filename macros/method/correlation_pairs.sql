{#-
  The correlations a correction method may use (column correlation of the seed
  correction_methods), each as the pair (x on the Tor side, y on the Web_Adult side)
  of expressions over the ranked pairs of int_commune_hour_pairs (docs/method.md section 5):
  Pearson of the logs, Spearman of their average ranks, and the earlier paper's
  Spearman of the differences from YouTube. The one list of them: int_commune_hour_pairs
  writes each as columns <name>_x and <name>_y, which int_commune_correlations
  correlates and int_commune_day_sums sums.
  Example: {% for name, pair in correlation_pairs().items() %} {{ pair[0] }} as {{ name }}_x {% endfor %}
-#}
{% macro correlation_pairs() -%}
    {{ return({
        'pearson': ('log_target', 'log_reference'),
        'spearman': ('rank_target', 'rank_reference'),
        'spearman_baseline_difference': ('rank_target_minus_baseline', 'rank_reference_minus_baseline'),
    }) }}
{%- endmacro %}

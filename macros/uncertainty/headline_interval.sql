{#-
  The interval columns of a headline mean from its bootstrap quantiles (docs/method.md
  section 13): the percentile interval [q_low, q_high] as `<name>_ci_low/_high`, the
  basic interval [2 point - q_high, 2 point - q_low] as `<name>_basic_ci_low/_high`, and
  `<name>_ci_note`, which says why the percentile interval does not contain the estimate
  (NULL when it does): a zero-width interval (a mean constant by construction, the
  centered rule), or the floor (c < 0 -> 1e-5 on each replicate), which lifts the
  replicates of a mean whose communes' rho lie near 0 above the estimate (the basic
  interval, its reflection, excludes it too; the unfloored mean shows the floor's share).
  `part` 'percentile' gives the first two columns, 'extra' the three others (so that a
  mart keeps its published columns first and adds the new ones after).
  Example: {{ headline_interval('point.mean_c', 'q.mean_c_low', 'q.mean_c_high', 'mean_c', 'percentile') }}
-#}
{% macro headline_interval(point, q_low, q_high, name, part) -%}
    {%- if part == 'percentile' -%}
    {{ q_low }} as {{ name }}_ci_low,
    {{ q_high }} as {{ name }}_ci_high
    {%- else -%}
    2 * {{ point }} - {{ q_high }} as {{ name }}_basic_ci_low,
    2 * {{ point }} - {{ q_low }} as {{ name }}_basic_ci_high,
    case
        when {{ q_low }} is null or {{ point }} is null or {{ within_interval(point, q_low, q_high) }} then null
        when {{ q_high }} - {{ q_low }} <= 1e-9 * abs({{ point }})
            then 'zero width: the mean is the same in every replicate (the centered rule''s mean c is the'
            || ' global share by construction); the estimate differs by rounding only'
        else 'the floor (c < 0 -> 1e-5 on each replicate) lifts the replicates above the estimate:'
            || ' the percentile and basic intervals exclude it; compare the unfloored mean'
    end as {{ name }}_ci_note
    {%- endif -%}
{%- endmacro %}

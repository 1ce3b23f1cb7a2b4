{#-
  Fails on every row whose interval [`low`, `high`] does not contain its `estimate`
  (to a relative 1e-9, macro within_interval), unless the row's `note` column says why
  (a percentile interval of floored replicates, ...). Rows without an interval pass.
  Names the row's key or location and the three values.
  Example:
    data_tests:
      - interval_contains_estimate:
          arguments: {estimate: mean_c, low: mean_c_ci_low, high: mean_c_ci_high, note: mean_c_ci_note}
-#}
{% test interval_contains_estimate(model, estimate, low, high, note=none, key=none) %}

{%- set failing %}
select
    {{ (as_text(key) if key else row_location(model)) }} as location,
    {{ as_text(estimate) }} as estimate_text,
    {{ as_text(low) }} as low_text,
    {{ as_text(high) }} as high_text
from {{ model }}
where
    {{ low }} is not null and {{ high }} is not null and {{ estimate }} is not null
    and not {{ within_interval(estimate, low, high) }}
    {%- if note %}
        and {{ note }} is null
    {%- endif %}
{%- endset %}

{{ fail_naming(
    'intervals of ' ~ model.identifier ~ ' excluding ' ~ estimate,
    failing,
    "location || ': " ~ estimate ~ " ' || estimate_text || ' outside [' || low_text || ', ' || high_text"
    ~ " || ']; expected the interval to contain its estimate" ~ (" or " ~ note ~ " to say why" if note else "") ~ "'",
    'location'
) }}

{% endtest %}

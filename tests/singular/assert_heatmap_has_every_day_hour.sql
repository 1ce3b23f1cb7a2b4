{{ config(enabled=netmob_enabled()) }}
-- Every heatmap scope covers the 7 x 24 day-of-week x hour cells once.
{%- set failing %}
select
    scope,
    count(*) as n_cells
from {{ ref('fct_heatmap_day_hour') }}
group by scope
having count(*) <> 168
{%- endset %}

{{ fail_naming(
    'heatmap cells',
    failing,
    "'fct_heatmap_day_hour scope ' || scope || ' has ' || n_cells || ' day x hour cells; expected 168'",
    'scope'
) }}

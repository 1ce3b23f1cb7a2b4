-- The paper's Figure 1 and the notebook's bounds: with the lower onion share, 0.011 x
-- 2,267,628 / 5,437,248 x 105 / 253 = 0.19 %; the middle and upper bounds give the
-- products of 0.034 and 0.078 with the same shares. Fails on any row that differs.
{%- set failing %}
with

composition as (
    select * from {{ ref('fct_global_composition') }}
    where scope = 'global'
),

expected as (
    select
        'lower' as onion_share_bound,
        0.19 as share_pct_2dp
    union all
    select
        'middle' as onion_share_bound,
        round(100 * 0.034 * 2267628.0 / 5437248 * 105.0 / 253, 2) as share_pct_2dp
    union all
    select
        'upper' as onion_share_bound,
        round(100 * 0.078 * 2267628.0 / 5437248 * 105.0 / 253, 2) as share_pct_2dp
)

select
    expected.onion_share_bound,
    expected.share_pct_2dp,
    composition.share_pct
from expected
left outer join composition on expected.onion_share_bound = composition.onion_share_bound
where composition.share_pct is null or round(composition.share_pct, 2) <> expected.share_pct_2dp
{%- endset %}

{{ fail_naming(
    'Figure 1 against the paper',
    failing,
    "'fct_global_composition, ' || onion_share_bound || ' bound: share ' || coalesce(cast(share_pct as varchar), 'missing') || ' %; expected ' || share_pct_2dp || ' % (2 decimals)'",
    'onion_share_bound'
) }}

{#-
  One row per onion-share bound, correction method, Tor lag and bootstrap replicate:
  the headline means of the estimate in that replicate (docs/method.md section 13), the
  unweighted mean of c over communes (the abstract's 0.08 %) and the traffic-weighted
  share sum(c x Tor) / sum(Tor), c recomputed from the replicate's rho with the bound's
  onion share (macro correction_factor, the floor applied per replicate). Empty with
  the authors' published totals.
-#}

with

replicates as (
    select
        code_com,
        correction_method,
        lag_hours,
        replicate,
        rho,
        mean_pearson_rho
    from {{ ref('int_commune_factor_draws') }}
    where replicate > 0
),

totals as (
    select
        code_com,
        target_traffic
    from {{ ref('int_commune_traffic_totals') }}
),

methods as (
    select
        correction_method,
        factor_rule,
        uses_onion_share
    from {{ ref('correction_methods') }}
),

constants as (
    select * from {{ ref('int_method_constants') }}
),

bounds as (
    {{ onion_share_bounds('constants') }}
),

recomputed as (
    select
        bounds.onion_share_bound,
        replicates.correction_method,
        replicates.lag_hours,
        replicates.replicate,
        replicates.code_com,
        totals.target_traffic,
        {{ correction_factor(
            'methods.factor_rule', 'methods.uses_onion_share', 'replicates.rho',
            'bounds.onion_share', 'replicates.mean_pearson_rho'
        ) }} as c
    from replicates
    inner join totals on replicates.code_com = totals.code_com
    inner join methods on replicates.correction_method = methods.correction_method
    cross join bounds
    cross join constants
),

final as (
    select
        onion_share_bound,
        correction_method,
        lag_hours,
        replicate,
        -- exact decimal sums (a fixed result whatever the order or the threads, and far
        -- cheaper than ordered aggregates over tens of millions of rows); the decimal
        -- digits keep every term to better than double precision
        cast(sum(cast(c as decimal(38, 24))) as double) / count(c) as mean_c,
        cast(sum(cast(c * target_traffic as decimal(38, 12))) as double)
        / nullif(cast(sum(cast(target_traffic as decimal(38, 12))) as double), 0)
            as traffic_weighted_share,
        count(c) as n_communes
    from recomputed
    group by onion_share_bound, correction_method, lag_hours, replicate
)

select * from final

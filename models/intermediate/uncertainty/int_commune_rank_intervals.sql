{#-
  One row per commune, correction method and Tor lag: the commune's rank by cpc per 1000
  inhabitants (1 = highest, among the communes with a value), and how far that rank moves
  over the day-bootstrap replicates (int_commune_factor_draws, replicates 1 ..
  var bootstrap_replicates): the central var bootstrap_level range of its rank and the
  share of replicates that place it in the top decile (the first ceil(n / 10) ranks).
  Ties are broken by commune code, so ranks are unique and deterministic. NULL ranges
  without replicates (the authors' published totals, or bootstrap_replicates 0).
-#}
{%- set level = var('bootstrap_level') | float %}

with

draws as (
    select
        code_com,
        correction_method,
        lag_hours,
        replicate,
        cpc_per_1000
    from {{ ref('int_commune_factor_draws') }}
    where replicate >= 0 and cpc_per_1000 is not null
),

ranked as (
    select
        code_com,
        correction_method,
        lag_hours,
        replicate,
        row_number() over (
            partition by correction_method, lag_hours, replicate
            order by cpc_per_1000 desc, code_com asc
        ) as cpc_rank,
        count(*) over (partition by correction_method, lag_hours, replicate) as n_ranked
    from draws
),

final as (
    select
        code_com,
        correction_method,
        lag_hours,
        max(cpc_rank) filter (where replicate = 0) as cpc_rank,
        max(n_ranked) filter (where replicate = 0) as n_ranked,
        quantile_disc(cpc_rank, {{ (1 - level) / 2 }}) filter (where replicate > 0) as cpc_rank_ci_low,
        quantile_disc(cpc_rank, {{ 1 - (1 - level) / 2 }}) filter (where replicate > 0) as cpc_rank_ci_high,
        avg(cast(cpc_rank <= ceil(n_ranked / 10.0) as double)) filter (
            where replicate > 0
        ) as top_decile_probability,
        count(*) filter (where replicate > 0) as n_rank_replicates
    from ranked
    group by code_com, correction_method, lag_hours
)

select * from final

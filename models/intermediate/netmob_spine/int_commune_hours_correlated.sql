{#-
  NetMob variant of int_commune_correlations (part of the spine): one row per commune,
  correction method (seed correction_methods) and Tor lag (var
  correction_lags): the method's correlation of the commune's log hourly reference
  (Web_Adult) and target (Tor) series (docs/method.md section 5), over the paired hours of
  int_commune_hour_pairs (Tor at local hour t - lag beside Web_Adult at hour t), each
  correlation a pair of its columns (macro correlation_pairs): Pearson of the logs;
  Spearman with average ranks for ties (as pandas); for v1 the Spearman of log WA -
  log YT and log Tor - log YT (earlier paper). mean_pearson_rho is the mean
  Pearson rho of the lag over all communes (the centre of the `centered` method).
  Var correction_methods, when not empty, keeps only the methods it names.
-#}
{%- set subset = list_var('correction_methods') %}

with

pairs as (
    select * from {{ ref('int_commune_hour_pairs') }}
),

methods as (
    select
        correction_method,
        correlation
    from {{ ref('correction_methods') }}
    {%- if subset %}
        where correction_method in ({{ "'" ~ subset | join("', '") ~ "'" }})
    {%- endif %}
),

correlations as (
    -- ordered aggregates: the same floating-point result whatever the parallelism
    select
        lag_hours,
        code_com,
        {%- for name in correlation_pairs() %}
            {{ ordered_corr(name ~ '_x', name ~ '_y', 'hour_start') }} as rho_{{ name }},
        {%- endfor %}
        count(*) as n_hours
    from pairs
    group by lag_hours, code_com
),

mean_rhos as (
    select
        lag_hours,
        {{ ordered_avg('rho_pearson', 'code_com') }} as mean_pearson_rho
    from correlations
    group by lag_hours
),

final as (
    select
        correlations.code_com,
        methods.correction_method,
        correlations.lag_hours,
        case methods.correlation
            {%- for name in correlation_pairs() %}
                when '{{ name }}' then correlations.rho_{{ name }}
            {%- endfor %}
        end as rho,
        correlations.n_hours,
        mean_rhos.mean_pearson_rho,
        cast(null as double) as given_c
    from correlations
    inner join mean_rhos on correlations.lag_hours = mean_rhos.lag_hours
    cross join methods
)

select * from final

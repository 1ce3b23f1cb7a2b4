{#-
  One row per commune, correction method, Tor lag and draw: the correction factor and
  the cpc estimate (docs/method.md sections 5, 6 and 13) evaluated once for the estimate
  (replicate 0, from int_commune_correlations) and once for each bootstrap replicate of
  the correlation (replicates 1 .. var bootstrap_replicates, from
  int_commune_correlation_replicates; NetMob only: the authors' published totals have
  no hourly series, so no replicate) and, with var rho_interval_method ewc, once for
  each end of the commune's EWC interval of rho (replicates -1 and -2, and -3 the
  interval's point nearest 0; int_commune_rho_intervals). The one place where the
  formulas of the estimate are computed:
  - c: the method's rule, floor included (macro correction_factor; seed
    correction_methods, constants of int_method_constants), or the source's own c
    (given_c, published mode);
  - cpc = c x Tor (the commune's study total of the target service);
  - cpc_per_1000 = cpc x 1000 / population (NULL where the population is missing or 0),
    log_cpc_per_1000 its natural log (NULL where not positive).
  A replicate's `centered` c uses that replicate's mean Pearson rho over the communes.
-#}

with

correlations as (
    select
        code_com,
        correction_method,
        lag_hours,
        rho,
        mean_pearson_rho,
        given_c
    from {{ ref('int_commune_correlations') }}
),

methods as (
    select
        correction_method,
        correlation,
        factor_rule,
        uses_onion_share
    from {{ ref('correction_methods') }}
),

constants as (
    select * from {{ ref('int_method_constants') }}
),

totals as (
    select
        code_com,
        population,
        target_traffic
    from {{ ref('int_commune_traffic_totals') }}
),

estimates as (
    select
        code_com,
        correction_method,
        lag_hours,
        0 as replicate,
        rho,
        mean_pearson_rho,
        given_c
    from correlations
),

{% if netmob_enabled() -%}

    replicate_correlations as (
        select
            code_com,
            lag_hours,
            correlation,
            replicate,
            -- a replicate without variance in a series has no correlation
            case when not isnan(rho) then rho end as rho
        from {{ ref('int_commune_correlation_replicates') }}
    ),

    pearson_means as (
        select
            lag_hours,
            replicate,
            avg(rho order by code_com) as mean_pearson_rho
        from replicate_correlations
        where correlation = 'pearson'
        group by lag_hours, replicate
    ),

    replicates as (
        select
            correlations.code_com,
            correlations.correction_method,
            correlations.lag_hours,
            replicate_correlations.replicate,
            replicate_correlations.rho,
            pearson_means.mean_pearson_rho,
            cast(null as double) as given_c
        from correlations
        inner join methods on correlations.correction_method = methods.correction_method
        inner join replicate_correlations
            on
                correlations.code_com = replicate_correlations.code_com
                and correlations.lag_hours = replicate_correlations.lag_hours
                and methods.correlation = replicate_correlations.correlation
        left outer join pearson_means
            on
                replicate_correlations.lag_hours = pearson_means.lag_hours
                and replicate_correlations.replicate = pearson_means.replicate
    ),

    {%- if var('rho_interval_method') == 'ewc' %}

        -- the interval's ends (EWC, int_commune_rho_intervals) through the same formula:
        -- -1 the lower end of rho, -2 the upper, -3 the point of the interval nearest 0
        -- (where a rule that is not monotone in rho, rho^2, has its smallest value)
        end_replicates as (
            {{ values_of([-1, -2, -3], 'replicate') }}
        ),

        interval_ends as (
            select
                correlations.code_com,
                correlations.correction_method,
                correlations.lag_hours,
                ends.replicate,
                case ends.replicate
                    when -1 then intervals.rho_ci_low
                    when -2 then intervals.rho_ci_high
                    else greatest(intervals.rho_ci_low, least(intervals.rho_ci_high, 0.0))
                end as rho,
                correlations.mean_pearson_rho,
                cast(null as double) as given_c
            from correlations
            inner join methods on correlations.correction_method = methods.correction_method
            inner join {{ ref('int_commune_rho_intervals') }} as intervals
                on
                    correlations.code_com = intervals.code_com
                    and correlations.lag_hours = intervals.lag_hours
                    and methods.correlation = intervals.correlation
            cross join end_replicates as ends
        ),
    {%- endif %}

    draws as (
        select * from estimates
        union all
        select * from replicates
        {%- if var('rho_interval_method') == 'ewc' %}
            union all
            select * from interval_ends
        {%- endif %}
    ),

{%- else -%}

    draws as (
        select * from estimates
    ),

{%- endif %}

factors as (
    select
        draws.code_com,
        draws.correction_method,
        draws.lag_hours,
        draws.replicate,
        draws.rho,
        draws.mean_pearson_rho,
        coalesce(
            draws.given_c,
            {{ correction_factor(
                'methods.factor_rule', 'methods.uses_onion_share', 'draws.rho',
                'constants.onion_share', 'draws.mean_pearson_rho'
            ) }}
        ) as c
    from draws
    inner join methods on draws.correction_method = methods.correction_method
    cross join constants
),

scaled as (
    select
        factors.*,
        factors.c * totals.target_traffic as cpc,
        totals.population
    from factors
    left outer join totals on factors.code_com = totals.code_com
),

per_1000 as (
    select
        *,
        case when population > 0 then cpc * 1000.0 / population end as cpc_per_1000
    from scaled
),

final as (
    select
        code_com,
        correction_method,
        lag_hours,
        replicate,
        rho,
        mean_pearson_rho,
        c,
        cpc,
        cpc_per_1000,
        case when cpc_per_1000 > 0 then ln(cpc_per_1000) end as log_cpc_per_1000
    from per_1000
)

select * from final

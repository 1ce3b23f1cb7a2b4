{#-
  One row per study commune and INSEE indicator of the seed insee_indicators: the value
  at the indicator's preferred level (commune, EPCI or department), falling back to the
  intercommunality and then the department where it is missing (docs/method.md section 7),
  with the level used and whether it is a fallback. A municipal arrondissement uses its
  parent's EPCI. The study communes carry their EPCI and department in both traffic
  modes (published mode: the department from the code, no EPCI).
-#}

with

indicators as (
    select
        indicator_name,
        indicator_label,
        preferred_level
    from {{ ref('insee_indicators') }}
),

communes as (
    select
        code_com,
        code_epci,
        code_dep
    from {{ ref('int_commune_traffic_totals') }}
),

commune_values as (
    select
        code_com,
        indicator_label,
        indicator_value
    from {{ ref('stg_insee__commune_indicators') }}
),

epci_values as (
    select
        code_epci,
        indicator_label,
        indicator_value
    from {{ ref('stg_insee__epci_indicators') }}
),

department_values as (
    select
        code_dep,
        indicator_label,
        indicator_value
    from {{ ref('stg_insee__department_indicators') }}
),

candidates as (
    select
        communes.code_com,
        indicators.indicator_name,
        indicators.preferred_level,
        case when indicators.preferred_level = 'commune' then commune_values.indicator_value end
            as commune_value,
        case
            when indicators.preferred_level in ('commune', 'epci') then epci_values.indicator_value
        end as epci_value,
        department_values.indicator_value as department_value
    from communes
    cross join indicators
    left outer join commune_values
        on
            communes.code_com = commune_values.code_com
            and indicators.indicator_label = commune_values.indicator_label
    left outer join epci_values
        on
            communes.code_epci = epci_values.code_epci
            and indicators.indicator_label = epci_values.indicator_label
    left outer join department_values
        on
            communes.code_dep = department_values.code_dep
            and indicators.indicator_label = department_values.indicator_label
),

final as (
    select
        code_com,
        indicator_name,
        preferred_level,
        coalesce(commune_value, epci_value, department_value) as indicator_value,
        case
            when commune_value is not null then 'commune'
            when epci_value is not null then 'epci'
            when department_value is not null then 'department'
        end as level_used,
        case
            when commune_value is not null then preferred_level <> 'commune'
            when epci_value is not null then preferred_level <> 'epci'
            when department_value is not null then preferred_level <> 'department'
        end as is_fallback
    from candidates
)

select * from final

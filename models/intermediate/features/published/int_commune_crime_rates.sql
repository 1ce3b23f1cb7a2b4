{{ config(enabled=not netmob_enabled()) }}
{#-
  Published mode (var traffic_source = published): one row per commune of the authors'
  cpc_com.csv with their sexual-violence rates (their SSMSI join), and the drug-use
  rate of the SSMSI file where it has the commune.
-#}

with

published as (
    select * from {{ ref('stg_published__commune_totals') }}
),

ssmsi as (
    select * from {{ ref('int_ssmsi_rates_by_commune') }}
),

final as (
    select
        published.code_com,
        published.sv_19,
        published.sv_17_21,
        published.sv_com_19,
        published.sv_com_17_21,
        ssmsi.drug_com_17_21
    from published
    left outer join ssmsi on published.code_com = ssmsi.code_com
)

select * from final

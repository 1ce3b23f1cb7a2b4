{{ config(enabled=netmob_enabled()) }}
{#-
  One row per commune of the SSMSI file: the sexual-violence and drug-use rates the
  regressions use (int_ssmsi_rates_by_commune). The published mode has a file of the
  same name reading the authors' rates.
-#}

with

ssmsi as (
    select * from {{ ref('int_ssmsi_rates_by_commune') }}
),

final as (
    select
        code_com,
        sv_19,
        sv_17_21,
        sv_com_19,
        sv_com_17_21,
        drug_com_17_21
    from ssmsi
)

select * from final

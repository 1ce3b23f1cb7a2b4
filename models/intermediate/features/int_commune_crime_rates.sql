{#-
  One row per commune: the sexual-violence and drug-use rates the regressions use
  (docs/method.md section 7). The variant of var traffic_source (dbt_project.yml, variants)
  is picked here: `netmob` reads the SSMSI file (int_ssmsi_rates_by_commune);
  `published` takes the authors' sexual-violence rates (their SSMSI join, in
  cpc_com.csv) and the drug-use rate of the SSMSI file where it has the commune.
-#}

with

ssmsi as (
    select
        code_com,
        sv_19,
        sv_17_21,
        sv_com_19,
        sv_com_17_21,
        drug_com_17_21
    from {{ ref('int_ssmsi_rates_by_commune') }}
),

{% if netmob_enabled() -%}

    final as (
        select * from ssmsi
    )

{%- else -%}

    published as (
        select
            code_com,
            sv_19,
            sv_17_21,
            sv_com_19,
            sv_com_17_21
        from {{ ref('stg_published__commune_totals') }}
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

{%- endif %}

select * from final

{#-
  The study's commune geography: ADMIN EXPRESS communes, with Paris, Lyon and Marseille
  replaced by their municipal arrondissements (as the paper and the INSEE/SSMSI files
  do), joined to the INSEE legal population. Each unit keeps the file and feature it
  was read from; two units whose polygons overlap past var max_commune_overlap_m2 stop
  the build naming both.
-#}

with

communes as (
    select
        code_com,
        commune_name,
        code_dep,
        code_reg,
        code_epci,
        geom_l93,
        source_file,
        source_line
    from {{ ref('stg_admin__communes') }}
),

arrondissements as (
    select
        code_arm,
        arrondissement_name,
        code_parent_com,
        geom_l93,
        source_file,
        source_line
    from {{ ref('stg_admin__municipal_arrondissements') }}
),

populations as (
    select
        code_com,
        municipal_population
    from {{ ref('stg_insee__legal_populations') }}
),

plain_communes as (
    select
        code_com,
        commune_name,
        code_dep,
        code_reg,
        code_epci,
        cast(null as varchar) as code_parent_com,
        'commune' as unit_kind,
        geom_l93,
        source_file,
        source_line
    from communes
    where code_com not in (select arrondissements.code_parent_com from arrondissements)
),

arrondissement_units as (
    select
        arrondissements.code_arm as code_com,
        arrondissements.arrondissement_name as commune_name,
        communes.code_dep,
        communes.code_reg,
        communes.code_epci,
        arrondissements.code_parent_com,
        'municipal_arrondissement' as unit_kind,
        arrondissements.geom_l93,
        arrondissements.source_file,
        arrondissements.source_line
    from arrondissements
    inner join communes on arrondissements.code_parent_com = communes.code_com
),

unioned as (
    select * from plain_communes
    union all
    select * from arrondissement_units
),

final as (
    select
        unioned.code_com,
        unioned.commune_name,
        unioned.code_dep,
        unioned.code_reg,
        unioned.code_epci,
        unioned.code_parent_com,
        unioned.unit_kind,
        populations.municipal_population as population,
        st_area(unioned.geom_l93) / 1e6 as area_km2,
        unioned.geom_l93,
        unioned.source_file,
        unioned.source_line
    from unioned
    left outer join populations on unioned.code_com = populations.code_com
)

select * from final

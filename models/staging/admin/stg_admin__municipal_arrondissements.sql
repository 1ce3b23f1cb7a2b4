{#-
  IGN ADMIN EXPRESS COG, layer ARRONDISSEMENT_MUNICIPAL: the 45 municipal
  arrondissements of Paris, Lyon and Marseille, with their parent commune.
-#}

with

source as (
    select
        "INSEE_ARM",
        "NOM",
        "INSEE_COM",
        "POPULATION",
        geom
    from st_read({{ raw_path('admin_arrondissements_path') }})
),

final as (
    select
        cast("INSEE_ARM" as varchar) as code_arm,
        cast("NOM" as varchar) as arrondissement_name,
        cast("INSEE_COM" as varchar) as code_parent_com,
        cast("POPULATION" as bigint) as admin_population,
        st_crs(geom) as source_crs,
        st_transform(geom, st_crs(geom), 'EPSG:2154', always_xy := true) as geom_l93
    from source
)

select * from final

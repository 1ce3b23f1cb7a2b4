{#-
  The SSMSI communal-base editions this project recognises, by their header: each maps
  the project's column names to the edition's. A file whose header matches none is
  refused by name (see stg_ssmsi__communal_crime).
  - '2023': donnee-data.gouv-2022-geographie2023-produit-le2023-07-17.csv (the paper's)
  - '2024': the renamed layout of later releases (CODGEO_2024, taux_pour_mille, ...)
-#}
{% macro ssmsi_editions() -%}
    {{ return({
        'geographie2023': {
            'code_com': 'CODGEO_2023', 'year': 'annee', 'crime_class': 'classe',
            'counting_unit': 'unité.de.compte', 'publication_status': 'valeur.publiée',
            'facts': 'faits', 'rate_per_1000': 'tauxpourmille',
            'dep_mean_facts': 'complementinfoval', 'dep_mean_rate': 'complementinfotaux',
            'population': 'POP', 'population_vintage': 'millPOP',
            'dwellings': 'LOG', 'dwellings_vintage': 'millLOG'
        },
        'geographie2024': {
            'code_com': 'CODGEO_2024', 'year': 'annee', 'crime_class': 'indicateur',
            'counting_unit': 'unite_de_compte', 'publication_status': 'est_diffuse',
            'facts': 'nombre', 'rate_per_1000': 'taux_pour_mille',
            'dep_mean_facts': 'complement_info_nombre', 'dep_mean_rate': 'complement_info_taux',
            'population': 'insee_pop', 'population_vintage': 'insee_pop_millesime',
            'dwellings': 'insee_log', 'dwellings_vintage': 'insee_log_millesime'
        }
    }) }}
{%- endmacro %}

{#- The edition whose columns are exactly `header` (any order), or a compiler error. -#}
{% macro ssmsi_edition_of(path, header) -%}
    {%- set editions = ssmsi_editions() -%}
    {%- for name, mapping in editions.items() -%}
        {%- if header | sort == mapping.values() | list | sort -%}
            {{ return(name) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set known = [] -%}
    {%- for name, mapping in editions.items() -%}
        {%- do known.append(name ~ ' (' ~ mapping.values() | list | join(';') ~ ')') -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error(path ~ ": unrecognised SSMSI edition; its columns are " ~ header | join(';') ~ "; known editions: " ~ known | join(' | ')) }}
{%- endmacro %}

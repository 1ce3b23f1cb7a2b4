{#-
  INSEE legal populations (donnees_communes.csv): `;`-separated, header
  CODREG;REG;CODDEP;CODARR;CODCAN;CODCOM;COM;PMUN;PCAP;PTOT; Paris, Lyon and Marseille
  by arrondissement. Codes read as text; the commune code is CODDEP || CODCOM.
-#}
{%- set path = source_path('insee', 'legal_populations', 'insee_populations_path') %}

with

source as (
    select *
    from read_csv(
        {{ path }},
        delim = ';',
        header = true,
        auto_detect = false,
        strict_mode = true,
        columns = {
            'CODREG': 'VARCHAR', 'REG': 'VARCHAR', 'CODDEP': 'VARCHAR', 'CODARR': 'VARCHAR',
            'CODCAN': 'VARCHAR', 'CODCOM': 'VARCHAR', 'COM': 'VARCHAR', 'PMUN': 'BIGINT',
            'PCAP': 'BIGINT', 'PTOT': 'BIGINT'
        }
    )
),

final as (
    select
        "CODDEP" || "CODCOM" as code_com,
        "COM" as commune_name,
        "CODDEP" as code_dep,
        "CODREG" as code_reg,
        "PMUN" as municipal_population,
        "PCAP" as counted_apart_population,
        "PTOT" as total_population
    from source
)

select * from final

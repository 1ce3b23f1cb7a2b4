{#-
  INSEE legal populations (donnees_communes.csv): `;`-separated, header
  CODREG;REG;CODDEP;CODARR;CODCAN;CODCOM;COM;PMUN;PCAP;PTOT (seed
  ref_raw_file_headers), every column read by its name; Paris, Lyon and Marseille by
  arrondissement. Codes read as text; the commune code is CODDEP || CODCOM. A number
  that is not one stops the build naming the file, the line and the column; so does a
  row whose total is not PMUN + PCAP (two columns swapped would change every rate).
-#}
{%- set path = source_path('insee', 'legal_populations', 'insee_populations_path', quote=false) %}
{%- set header = csv_header(path, ';') %}
{%- set contract = check_header('insee_legal_populations', path, header) %}
{%- set at = "source_file || ':' || source_line || ': commune ' || \"CODDEP\" || \"CODCOM\"" %}

with

source as (
    {{ read_csv_by_name(path, header, ';') }}
),

parsed as (
    select
        {{ commune_code_of('"CODDEP" || "CODCOM"') }} as code_com,
        "COM" as commune_name,
        trim("CODDEP") as code_dep,
        "CODREG" as code_reg,
        {{ parse_number('"PMUN"', at ~ " || ', PMUN'", missing=[], type='bigint') }} as municipal_population,
        {{ parse_number('"PCAP"', at ~ " || ', PCAP'", missing=[], type='bigint') }} as counted_apart_population,
        {{ parse_number('"PTOT"', at ~ " || ', PTOT'", missing=[], type='bigint') }} as total_population,
        {{ commune_code_repaired('"CODDEP" || "CODCOM"') }} as is_code_repaired,
        {{ at }} as located,
        source_file,
        source_line
    from source
),

final as (
    select
        code_com,
        commune_name,
        code_dep,
        code_reg,
        case
            when total_population = municipal_population + counted_apart_population then municipal_population
            else error(
                located || ': PTOT ' || total_population || ' is not PMUN ' || municipal_population
                || ' + PCAP ' || counted_apart_population || ' (columns swapped?); expected PTOT = PMUN + PCAP'
            )
        end as municipal_population,
        counted_apart_population,
        total_population,
        is_code_repaired,
        source_file,
        source_line
    from parsed
)

select * from final

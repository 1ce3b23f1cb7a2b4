{#-
  The authors' published commune-level derivative `cpc_com.csv` (netmob_tor, GPL-3;
  docs/method.md section 12): `;`-separated, one row per commune with the study totals of
  Web_Adult, Tor and YouTube download traffic, their correction factor c, population
  and sexual-violence rates. Commune codes that lost their leading zero (`1234`) are
  re-padded (is_code_repadded); the header is checked against seed ref_raw_file_headers
  and every column read by its name; `Tor_to_darknet_share` reads 11 for 0.011. The file's `log_*` columns
  carry the notebook's bug (ln(X) x 1000 / pop) and are not read.
-#}
{%- set path = source_path('published', 'commune_totals', 'published_commune_totals_path', quote=false) %}
{%- set header = csv_header(path, ';') %}
{%- set contract = check_header('published_commune_totals', path, header) %}
{%- set at = "source_file || ':' || source_line || ': commune ' || code_com" %}

with

source as (
    {{ read_csv_by_name(path, header, ';') }}
),

final as (
    select
        cities as city,
        case
            when regexp_full_match(code_com, '[0-9]{4}') then '0' || code_com
            else code_com
        end as code_com,
        regexp_full_match(code_com, '[0-9]{4}') as is_code_repadded,
        traffic_dir as direction,
        {{ parse_number('"Web_Adult"', at ~ " || ', Web_Adult'") }} as web_adult_traffic,
        {{ parse_number('"Tor"', at ~ " || ', Tor'") }} as tor_traffic,
        {{ parse_number('"YouTube"', at ~ " || ', YouTube'") }} as youtube_traffic,
        {{ parse_number('c', at ~ " || ', c'") }} as c,
        {{ parse_number('pop', at ~ " || ', pop'", type='bigint') }} as population,
        {{ parse_number('"Tor_to_darknet_share"', at ~ " || ', Tor_to_darknet_share'") }} / 1000.0
            as onion_share,
        {{ parse_number('sv_19', at ~ " || ', sv_19'") }} as sv_19,
        {{ parse_number('sv_17_21', at ~ " || ', sv_17_21'") }} as sv_17_21,
        {{ parse_number('sv_com_19', at ~ " || ', sv_com_19'") }} as sv_com_19,
        {{ parse_number('sv_com_17_21', at ~ " || ', sv_com_17_21'") }} as sv_com_17_21,
        source_file,
        source_line
    from source
)

select * from final

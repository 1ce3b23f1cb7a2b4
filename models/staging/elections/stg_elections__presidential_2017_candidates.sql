{#-
  2017 presidential election, first round, results by commune (Ministry of the
  Interior), `;`-separated with comma decimals: 18 fixed columns, then 11 candidate
  blocks (N°Panneau; Sexe; Nom; Prénom; Voix; % Voix/Ins; % Voix/Exp) sorted by votes
  per commune, so candidates are identified by name, never by position. The header
  names the first block only; it is checked before reading. Department codes are not
  zero-padded (`1`, `2A`), commune numbers not padded (`9`): both are re-padded here.
-#}

{%- set path = source_path('elections', 'presidential_2017_first_round', 'elections_path', quote=false) %}
{%- set fixed = ['Code du département', 'Libellé du département', 'Code de la commune',
    'Libellé de la commune', 'Inscrits', 'Abstentions', '% Abs/Ins', 'Votants', '% Vot/Ins',
    'Blancs', '% Blancs/Ins', '% Blancs/Vot', 'Nuls', '% Nuls/Ins', '% Nuls/Vot',
    'Exprimés', '% Exp/Ins', '% Exp/Vot'] %}
{%- set block = ['N°Panneau', 'Sexe', 'Nom', 'Prénom', 'Voix', '% Voix/Ins', '% Voix/Exp'] %}
{%- set n_blocks = 11 %}
{%- set header = csv_header(path, ';') %}
{%- set at = "'" ~ path ~ ": commune ' || c0 || '/' || c2 || ', " %}
{%- set at_candidate = "'" ~ path ~ ": commune ' || code_dep || '/' || commune_number"
    ~ " || ', candidate ' || candidate.surname || ', " %}
{%- if execute and header[:25] != fixed + block %}
    {{ exceptions.raise_compiler_error(
        path ~ ": not the 2017 first-round layout; expected the header to start with "
        ~ (fixed + block) | join(';') ~ ", found " ~ header[:25] | join(';')
    ) }}
{%- endif %}

with

source as (
    select *
    from read_csv(
        '{{ path }}',
        delim = ';',
        header = false,
        skip = 1,
        auto_detect = false,
        strict_mode = true,
        quote = '"',
        columns = {
            {%- for i in range(18 + 7 * n_blocks) %}
                'c{{ i }}': 'VARCHAR'{{ "," if not loop.last }}
            {%- endfor %}
        }
    )
),

communes as (
    select
        -- department: `1` -> `01`; `2A`, `ZA` kept; commune number: `9` -> `009`
        case
            when regexp_full_match(trim(c0), '[0-9]') then '0' || trim(c0)
            else trim(c0)
        end as code_dep,
        trim(c2) as commune_number,
        c3 as commune_name,
        {{ parse_number('c4', at ~ "Inscrits'", type='bigint') }} as registered_voters,
        {{ parse_number('c7', at ~ "Votants'", type='bigint') }} as voters,
        {{ parse_number('c15', at ~ "Exprimés'", type='bigint') }} as valid_votes,
        {{ parse_number('c16', at ~ "% Exp/Ins'", comma=true) }} as pct_valid_of_registered,
        [
            {%- for b in range(n_blocks) %}
                {%- set o = 18 + 7 * b %}
                {
                    'block': {{ b + 1 }},
                    'panel': c{{ o }},
                    'sex': c{{ o + 1 }},
                    'surname': c{{ o + 2 }},
                    'first_name': c{{ o + 3 }},
                    'votes': c{{ o + 4 }},
                    'pct_ins': c{{ o + 5 }},
                    'pct_exp': c{{ o + 6 }}
                }{{ "," if not loop.last }}
            {%- endfor %}
        ] as candidate_blocks
    from source
),

candidates as (
    select
        code_dep,
        commune_number,
        commune_name,
        registered_voters,
        voters,
        valid_votes,
        pct_valid_of_registered,
        unnest(candidate_blocks) as candidate
    from communes
),

final as (
    select
        code_dep
        || case
            when regexp_full_match(commune_number, '[0-9]+') then lpad(commune_number, 3, '0')
            else commune_number
        end as code_com,
        code_dep,
        commune_name,
        registered_voters,
        voters,
        valid_votes,
        pct_valid_of_registered,
        candidate.block as block_position,
        cast(candidate.panel as integer) as panel_number,
        candidate.sex as candidate_sex,
        upper(trim(candidate.surname)) as candidate_surname,
        candidate.first_name as candidate_first_name,
        {{ parse_number('candidate.votes', at_candidate ~ "Voix'", type='bigint') }} as votes,
        {{ parse_number('candidate.pct_ins', at_candidate ~ "% Voix/Ins'", comma=true) }}
            as pct_votes_of_registered,
        {{ parse_number('candidate.pct_exp', at_candidate ~ "% Voix/Exp'", comma=true) }}
            as pct_votes_of_valid
    from candidates
)

select * from final

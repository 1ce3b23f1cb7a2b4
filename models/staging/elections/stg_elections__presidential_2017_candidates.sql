{#-
  2017 presidential election, first round, results by commune (Ministry of the
  Interior), `;`-separated with comma decimals: 18 fixed columns, then 11 candidate
  blocks (N°Panneau; Sexe; Nom; Prénom; Voix; % Voix/Ins; % Voix/Exp) sorted by votes
  per commune, so candidates are identified by name, never by position. The header
  names the fixed columns and the first block only: it is checked against seed
  ref_raw_file_headers and every column is found by its name in it (the blocks repeat
  the first block's layout). A surname not in seed ref_election_2017_candidates stops
  the build naming the file, the line and the surname. Department codes are not
  zero-padded (`1`, `2A`), commune numbers not padded (`9`): both are re-padded here.
-#}

{%- set path = source_path('elections', 'presidential_2017_first_round', 'elections_path', quote=false) %}
{%- set header = csv_header(path, ';') %}
{%- set contract = check_header('elections_presidential_2017', path, header) %}
{%- set n_blocks = 11 %}
{%- set block = ['N°Panneau', 'Sexe', 'Nom', 'Prénom', 'Voix', '% Voix/Ins', '% Voix/Exp'] %}
{%- set block_keys = ['panel', 'sex', 'surname', 'first_name', 'votes', 'pct_ins', 'pct_exp'] %}
{%- set at = namespace(col={}) %}
{%- for name in header %}{%- do at.col.update({name: 'c' ~ loop.index0}) %}{%- endfor %}
{#- while parsing no file is read: every name stands for column c0 -#}
{%- set c = at.col if header else {} %}
{#- the blocks follow the first one at the header's positions, 7 columns apart -#}
{%- set first_block = c.get('N°Panneau', 'c0')[1:] | int %}
{%- set n_columns = first_block + 7 * n_blocks %}
{%- set here = "source_file || ':' || source_line || ': commune ' || "
    ~ c.get('Code du département', 'c0') ~ " || '/' || " ~ c.get('Code de la commune', 'c0') ~ " || ', '" %}
{%- set here_candidate = "candidates.source_file || ':' || candidates.source_line || ': commune '"
    ~ " || candidates.code_com || ', candidate ' || candidates.surname_text || ', '" %}

with

source as (
    select
        *,
        '{{ path }}' as source_file,
        row_number() over () + 1 as source_line
    from read_csv(
        '{{ path }}',
        delim = ';',
        header = false,
        skip = 1,
        auto_detect = false,
        strict_mode = true,
        quote = '"',
        columns = {
            {%- for i in range(n_columns) %}
                'c{{ i }}': 'VARCHAR'{{ "," if not loop.last }}
            {%- endfor %}
        }
    )
),

communes as (
    select
        -- department: `1` -> `01`; `2A`, `ZA` kept; commune number: `9` -> `009`
        case
            when regexp_full_match(trim({{ c.get('Code du département', 'c0') }}), '[0-9]')
                then '0' || trim({{ c.get('Code du département', 'c0') }})
            else trim({{ c.get('Code du département', 'c0') }})
        end as code_dep,
        trim({{ c.get('Code de la commune', 'c0') }}) as commune_number,
        {{ c.get('Libellé de la commune', 'c0') }} as commune_name,
        {{ parse_number(c.get('Inscrits', 'c0'), here ~ " || 'Inscrits'", type='bigint') }} as registered_voters,
        {{ parse_number(c.get('Votants', 'c0'), here ~ " || 'Votants'", type='bigint') }} as voters,
        {{ parse_number(c.get('Exprimés', 'c0'), here ~ " || 'Exprimés'", type='bigint') }} as valid_votes,
        {{ parse_number(c.get('% Exp/Ins', 'c0'), here ~ " || '% Exp/Ins'", comma=true) }} as pct_valid_of_registered,
        [
            {%- for b in range(n_blocks) %}
                {%- set o = 7 * b %}
                {
                    'block': {{ b + 1 }},
                    {%- for name, key in zip(block, block_keys) %}
                        '{{ key }}': c{{ (c.get(name, 'c0')[1:] | int) + o }}{{ "," if not loop.last }}
                    {%- endfor %}
                }{{ "," if not loop.last }}
            {%- endfor %}
        ] as candidate_blocks,
        source_file,
        source_line
    from source
),

blocks as (
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
        unnest(candidate_blocks) as candidate,
        source_file,
        source_line
    from communes
),

candidates as (
    select
        code_com,
        code_dep,
        commune_name,
        registered_voters,
        voters,
        valid_votes,
        pct_valid_of_registered,
        candidate.block as block_position,
        candidate.panel as panel_text,
        candidate.sex as candidate_sex,
        candidate.surname as surname_text,
        candidate.first_name as candidate_first_name,
        candidate.votes as votes_text,
        candidate.pct_ins as pct_ins_text,
        candidate.pct_exp as pct_exp_text,
        source_file,
        source_line
    from blocks
),

known as (
    select candidate_surname from {{ ref('ref_election_2017_candidates') }}
),

final as (
    select
        candidates.code_com,
        candidates.code_dep,
        candidates.commune_name,
        candidates.registered_voters,
        candidates.voters,
        candidates.valid_votes,
        candidates.pct_valid_of_registered,
        candidates.block_position,
        {{ parse_number('candidates.panel_text', here_candidate ~ " || 'N°Panneau'", type='integer') }}
            as panel_number,
        candidates.candidate_sex,
        coalesce(
            known.candidate_surname,
            error(
                {{ here_candidate }} || 'Nom: "' || coalesce(candidates.surname_text, 'NULL')
                || '" is not a candidate of seed ref_election_2017_candidates'
                || ' (a renamed candidate, or another election)'
            )
        ) as candidate_surname,
        candidates.candidate_first_name,
        {{ parse_number('candidates.votes_text', here_candidate ~ " || 'Voix'", type='bigint') }} as votes,
        {{ parse_number('candidates.pct_ins_text', here_candidate ~ " || '% Voix/Ins'", comma=true) }}
            as pct_votes_of_registered,
        {{ parse_number('candidates.pct_exp_text', here_candidate ~ " || '% Voix/Exp'", comma=true) }}
            as pct_votes_of_valid,
        candidates.source_file,
        candidates.source_line
    from candidates
    left outer join known on upper(trim(candidates.surname_text)) = known.candidate_surname
)

select * from final

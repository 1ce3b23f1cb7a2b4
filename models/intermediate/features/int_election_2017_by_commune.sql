{#-
  One row per study-geography commune: the 2017 presidential first round, turnout
  (% Exp/Ins) and the shares of the candidates named by vars election_le_pen_surname
  and election_macron_surname (% Voix/Ins), in percent. Where the commune has no row in
  the election file (municipal arrondissements, communes created after 2017), the value
  falls back to the parent commune, then the intercommunality, then the department
  (shares recomputed from the votes), and the level used is recorded.
-#}

with

candidates as (
    select
        code_com,
        code_dep,
        registered_voters,
        valid_votes,
        pct_valid_of_registered,
        candidate_surname,
        votes,
        pct_votes_of_registered
    from {{ ref('stg_elections__presidential_2017_candidates') }}
),

election as (
    select
        code_com,
        any_value(code_dep) as code_dep,
        any_value(registered_voters) as registered_voters,
        any_value(valid_votes) as valid_votes,
        any_value(pct_valid_of_registered) as turnout_pct,
        sum(votes) filter (where candidate_surname = '{{ var("election_le_pen_surname") }}')
            as le_pen_votes,
        sum(votes) filter (where candidate_surname = '{{ var("election_macron_surname") }}')
            as macron_votes,
        sum(pct_votes_of_registered) filter (
            where candidate_surname = '{{ var("election_le_pen_surname") }}'
        ) as le_pen_pct,
        sum(pct_votes_of_registered) filter (
            where candidate_surname = '{{ var("election_macron_surname") }}'
        ) as macron_pct
    from candidates
    group by code_com
),

admin_epci as (
    select
        code_com,
        code_epci
    from {{ ref('stg_admin__communes') }}
),

epci_totals as (
    select
        admin_epci.code_epci,
        100.0 * sum(election.valid_votes) / sum(election.registered_voters) as turnout_pct,
        100.0 * sum(election.le_pen_votes) / sum(election.registered_voters) as le_pen_pct,
        100.0 * sum(election.macron_votes) / sum(election.registered_voters) as macron_pct
    from election
    inner join admin_epci on election.code_com = admin_epci.code_com
    group by admin_epci.code_epci
),

department_totals as (
    select
        code_dep,
        100.0 * sum(valid_votes) / sum(registered_voters) as turnout_pct,
        100.0 * sum(le_pen_votes) / sum(registered_voters) as le_pen_pct,
        100.0 * sum(macron_votes) / sum(registered_voters) as macron_pct
    from election
    group by code_dep
),

communes as (
    select
        code_com,
        code_parent_com,
        code_epci,
        code_dep
    from {{ ref('int_communes_unioned') }}
),

levels as (
    select
        communes.code_com,
        own.turnout_pct as own_turnout,
        own.le_pen_pct as own_le_pen,
        own.macron_pct as own_macron,
        parent.turnout_pct as parent_turnout,
        parent.le_pen_pct as parent_le_pen,
        parent.macron_pct as parent_macron,
        epci_totals.turnout_pct as epci_turnout,
        epci_totals.le_pen_pct as epci_le_pen,
        epci_totals.macron_pct as epci_macron,
        department_totals.turnout_pct as dep_turnout,
        department_totals.le_pen_pct as dep_le_pen,
        department_totals.macron_pct as dep_macron
    from communes
    left outer join election as own on communes.code_com = own.code_com
    left outer join election as parent on communes.code_parent_com = parent.code_com
    left outer join epci_totals on communes.code_epci = epci_totals.code_epci
    left outer join department_totals on communes.code_dep = department_totals.code_dep
),

final as (
    select
        code_com,
        case
            when own_turnout is not null then own_turnout
            when parent_turnout is not null then parent_turnout
            when epci_turnout is not null then epci_turnout
            else dep_turnout
        end as turnout_pct,
        case
            when own_turnout is not null then own_le_pen
            when parent_turnout is not null then parent_le_pen
            when epci_turnout is not null then epci_le_pen
            else dep_le_pen
        end as le_pen_pct,
        case
            when own_turnout is not null then own_macron
            when parent_turnout is not null then parent_macron
            when epci_turnout is not null then epci_macron
            else dep_macron
        end as macron_pct,
        case
            when own_turnout is not null then 'commune'
            when parent_turnout is not null then 'parent_commune'
            when epci_turnout is not null then 'epci'
            when dep_turnout is not null then 'department'
        end as level_used
    from levels
)

select * from final

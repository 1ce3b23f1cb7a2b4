{#-
  One row per expert: answers given on the sampled queries, by kind, the expert's
  relevance (technical report, section 5: the share of the sampled F+>1 queries holding
  an explicit keyword that the expert tagged paedophile or probably) and whether the
  expert is kept (at least var expert_min_answers answers).
-#}

with

votes as (
    select
        query,
        expert,
        answer
    from {{ ref('stg_assessment__expert_votes') }}
),

sampled as (
    select distinct
        sample_set,
        query
    from {{ ref('fct_assessment_sample') }}
),

explicit_words as (
    select list(keyword order by position) as words
    from {{ ref('keyword_lists') }}
    where list_name = 'explicit'
),

explicit_queries as (
    select sampled.query
    from sampled
    cross join explicit_words
    where
        sampled.sample_set = 'F+>1'
        and list_has_any(string_split(sampled.query, ' '), explicit_words.words)
),

answered as (
    select votes.*
    from votes
    where votes.query in (select sampled.query from sampled)
),

final as (
    select
        answered.expert,
        count(*) as n_answers,
        count(*) filter (where answered.answer = 'paedophile') as n_paedophile,
        count(*) filter (where answered.answer = 'probably') as n_probably,
        count(*) filter (where answered.answer = 'don''t know') as n_dont_know,
        count(*) filter (where answered.answer = 'probably not') as n_probably_not,
        count(*) filter (where answered.answer = 'not') as n_not,
        count(*) filter (where answered.query in (select explicit_queries.query from explicit_queries))
            as n_explicit_answers,
        count(*) filter (
            where
            answered.query in (select explicit_queries.query from explicit_queries)
            and answered.answer in ('paedophile', 'probably')
        )
        / nullif(
            count(*) filter (where answered.query in (select explicit_queries.query from explicit_queries)), 0
        ) as relevance,
        count(*) >= {{ var('expert_min_answers') }} as is_kept
    from answered
    group by answered.expert
)

select * from final
